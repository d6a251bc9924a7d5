package dev.keel.store;

import static dev.keel.core.journal.JournalSamples.T0;
import static dev.keel.core.journal.JournalSamples.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.time.ManualClock;
import org.junit.jupiter.api.Test;

class PostgresTestServerTest {
    /** Nothing listens on loopback port 1. */
    private static final String NOWHERE = "jdbc:postgresql://127.0.0.1:1/test?user=postgres";

    @Test
    void missingServerFailsLoudlyWhenServicesAreRequired() {
        assertThatThrownBy(() -> PostgresTestServer.connect(NOWHERE, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not reachable at jdbc:postgresql://127.0.0.1:1/test")
                .hasMessageContaining("required");
    }

    @Test
    void databaseUrlKeepsHostPortAndParameters() {
        assertThat(PostgresTestServer.withDatabase("jdbc:postgresql://127.0.0.1:5432/test?user=postgres", "k"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/k?user=postgres");
        assertThat(PostgresTestServer.withDatabase("jdbc:postgresql://localhost:5/postgres", "k"))
                .isEqualTo("jdbc:postgresql://localhost:5/k");
    }

    /**
     * A user's fresh machine has no PostgreSQL server: the tests then start one from the io.zonky.test binaries on
     * Maven Central. Runs on every build (a few seconds) so that path cannot rot.
     */
    @Test
    void missingServerFallsBackToEmbeddedPostgres() {
        PostgresTestServer server = PostgresTestServer.connect(NOWHERE, false);
        try (TestDatabase db = server.createDatabase();
             JdbcJournal journal = Journals.open(db.jdbcUrl(), new ManualClock(T0))) {
            assertThat(server.embedded()).isTrue();
            assertThat(journal.append(started("tx-1", "acct-1", T0)).sequence()).isEqualTo(1);
        } finally {
            server.close();
        }
    }
}
