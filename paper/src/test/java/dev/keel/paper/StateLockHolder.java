package dev.keel.paper;

import dev.keel.core.time.ManualClock;
import java.io.IOException;
import java.nio.file.Path;

/** A second process for {@link StateLockTest}: opens an exchange on the state file, says so, holds it until killed. */
final class StateLockHolder {
    private StateLockHolder() {
    }

    public static void main(String[] args) throws IOException {
        ManualClock clock = Fixtures.clock();
        PaperExchange exchange = Fixtures.exchange(Fixtures.config().stateFile(Path.of(args[0])).build(), clock);
        exchange.broker("acct").submit("from-the-other-process", Fixtures.buy(Fixtures.VTI, "1"));
        System.out.println("holding");
        System.out.flush();
        // held until the parent kills this process: a read of stdin blocks without a timed wait
        while (System.in.read() >= 0) {
            // nothing to read
        }
    }
}
