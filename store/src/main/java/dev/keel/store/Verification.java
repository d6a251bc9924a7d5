package dev.keel.store;

import java.util.List;

/**
 * What {@code keel journal verify} found.
 *
 * @param journal  where the journal lives, without credentials
 * @param full     whether every record was checked, or only what an open checks
 * @param records  live records whose checksum and sequence were checked
 * @param head     the journal's last sequence, archived records included
 * @param findings what is damaged, one line each; empty when the journal is sound
 */
public record Verification(String journal, boolean full, long records, long head, List<String> findings) {
    public Verification {
        findings = List.copyOf(findings);
    }

    /** Whether nothing is damaged. */
    public boolean sound() {
        return findings.isEmpty();
    }

    /** Told how far a verification has come. */
    @FunctionalInterface
    public interface Listener {
        /** {@code done} of about {@code total} records checked. */
        void progress(long done, long total);
    }
}
