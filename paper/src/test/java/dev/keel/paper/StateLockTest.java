package dev.keel.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.time.ManualClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateLockTest {
    @TempDir
    Path dir;

    private PaperConfig config(Path file) {
        return Fixtures.config().stateFile(file).build();
    }

    @Test
    void aSecondOwnerInTheSameJvmIsRefusedAndTheFileIsUntouched() {
        ManualClock clock = Fixtures.clock();
        Path file = dir.resolve("paper.db");
        try (PaperExchange first = Fixtures.exchange(config(file), clock)) {
            first.broker("acct").submit("first", Fixtures.buy(Fixtures.VTI, "1"));

            KeelException refused = catchThrowableOfType(KeelException.class,
                    () -> Fixtures.exchange(config(file), clock));

            assertThat(refused.code()).isEqualTo(ErrorCode.PAPER_STATE_IN_USE);
            assertThat(refused.getMessage()).contains(file.toString()).contains("in use by another owner");
            assertThat(first.broker("acct").submit("second", Fixtures.buy(Fixtures.VTI, "1")).brokerOrderId())
                    .isEqualTo("paper-acct-2");
        }
    }

    @Test
    void theNextOwnerOpensOnceTheFirstClosed() {
        ManualClock clock = Fixtures.clock();
        Path file = dir.resolve("paper.db");
        Fixtures.exchange(config(file), clock).close();
        try (PaperExchange next = Fixtures.exchange(config(file), clock)) {
            assertThat(next.orderLog()).isEmpty();
        }
    }

    @Test
    void anOwnerInAnotherProcessIsRespectedUntilItIsKilled() throws Exception {
        Path file = dir.resolve("shared.db");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                StateLockHolder.class.getName(), file.toString())).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("holding");
            ManualClock clock = Fixtures.clock();

            KeelException refused = catchThrowableOfType(KeelException.class,
                    () -> Fixtures.exchange(config(file), clock));
            assertThat(refused.code()).isEqualTo(ErrorCode.PAPER_STATE_IN_USE);

            holder.destroyForcibly(); // SIGKILL: the OS releases the lock with the process
            assertThat(holder.waitFor(60, TimeUnit.SECONDS)).isTrue();
            try (PaperExchange after = Fixtures.exchange(config(file), clock)) {
                assertThat(after.orderLog()).singleElement().extracting(ExchangeOrderLogEntry::clientOrderId)
                        .isEqualTo("from-the-other-process");
            }
        } finally {
            holder.destroyForcibly();
        }
    }
}
