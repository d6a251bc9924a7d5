package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The writer's memory of streams whose rows have an account: only what a batch committed, the latest kept. */
class KnownAccountsTest {
    @Test
    void aStreamIsKnownOnlyOnceItsBatchCommitted() {
        KnownAccounts known = new KnownAccounts(8);
        known.pending("tx-1");
        assertThat(known.has("tx-1")).as("written, not committed").isFalse();
        known.rolledBack();
        known.committed();
        assertThat(known.has("tx-1")).as("its batch rolled back").isFalse();

        known.pending("tx-1");
        known.committed();
        assertThat(known.has("tx-1")).isTrue();
    }

    @Test
    void theLeastRecentlyWrittenStreamsAreForgottenPastTheCapacity() {
        KnownAccounts known = new KnownAccounts(2);
        known.pending("tx-1");
        known.pending("tx-2");
        known.committed();
        assertThat(known.has("tx-1")).isTrue(); // tx-1 is now the most recently used
        known.pending("tx-3");
        known.committed();

        assertThat(known.has("tx-1")).isTrue();
        assertThat(known.has("tx-2")).isFalse();
        assertThat(known.has("tx-3")).isTrue();
    }
}
