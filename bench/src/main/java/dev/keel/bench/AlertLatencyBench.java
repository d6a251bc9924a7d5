package dev.keel.bench;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Severity;
import dev.keel.core.journal.Journal;
import dev.keel.core.notify.Outbox;
import dev.keel.notify.Links;
import dev.keel.notify.Secret;
import dev.keel.notify.email.EmailChannel;
import dev.keel.notify.email.EmailSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time from a CRITICAL notification entering the journal to the SMTP server holding the mail (issue 14): the
 * journal append of the outbox, a dispatch round, the e-mail channel's SMTP session (connect, AUTH, MAIL, DATA) and
 * GreenMail storing the message, which the benchmark waits for. Sampled one alert at a time, so JMH's percentiles are
 * the latency's p50 and p99. GreenMail runs in the benchmark's JVM on 127.0.0.1: the network is loopback, the rest is
 * what a production alert pays.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 4)
@Fork(1)
@Threads(1)
public class AlertLatencyBench {
    private static final String PASSWORD = "bench-secret";

    @Param({"sqlite", "postgresql"})
    String store;

    BenchJournal bench;
    Journal journal;
    GreenMail smtp;
    Outbox outbox;
    final AtomicInteger sent = new AtomicInteger();

    @Setup(Level.Trial)
    public void open() {
        bench = BenchJournal.open(store);
        journal = bench.journal();
        smtp = new GreenMail(ServerSetup.dynamicPort(new ServerSetup[] {
            new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)})[0]);
        smtp.setUser("ops@keel.test", "keel", PASSWORD);
        smtp.start();
        EmailSettings settings = new EmailSettings("127.0.0.1", smtp.getSmtp().getPort(),
                EmailSettings.Security.NONE, "keel", Secret.of(PASSWORD, "bench"), "keel@keel.test",
                List.of("ops@keel.test"), Duration.ofSeconds(10), null);
        outbox = Outbox.builder(journal, Clock.systemUTC(), new SplittableRandom(14))
                .channel(new EmailChannel("email", Severity.INFO, settings, Links.DEFAULTS)).build();
    }

    @TearDown(Level.Trial)
    public void close() {
        smtp.stop();
        bench.close();
    }

    /** One CRITICAL alert from the journal to the SMTP server's mailbox. */
    @Benchmark
    public int criticalToSmtp() {
        int expected = sent.incrementAndGet();
        journal.append(outbox.prepare("main", null, Severity.CRITICAL, ErrorCode.RECONCILIATION_MISMATCH,
                "Account main HALTED (was ACTIVE)", "Broker positions differ from the journal.", null));
        outbox.dispatch();
        if (!smtp.waitForIncomingEmail(10_000, expected)) {
            throw new IllegalStateException("the SMTP server did not receive alert " + expected + " within 10 s");
        }
        return expected;
    }
}
