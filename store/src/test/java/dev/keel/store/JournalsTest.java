package dev.keel.store;

import static dev.keel.core.journal.JournalSamples.T0;
import static dev.keel.core.journal.JournalSamples.started;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import dev.keel.core.time.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalsTest {
    private final ManualClock clock = new ManualClock(T0);

    @TempDir
    Path dir;

    @Test
    void sqliteUrlCreatesTheFileAndItsFolders() {
        Path file = dir.resolve("a/b/journal.db");

        try (JdbcJournal journal = Journals.open("sqlite:" + file, clock)) {
            journal.append(started("tx-1", "acct-1", T0));
            assertThat(journal.description()).isEqualTo("sqlite:" + file);
        }

        assertThat(file).exists();
        try (JdbcJournal journal = Journals.open("jdbc:sqlite:" + file, clock)) {
            assertThat(journal.lastSequence()).isEqualTo(1);
        }
    }

    @Test
    void relativeSqlitePathIsResolvedFromTheWorkingDirectory() throws Exception {
        Path relative = Path.of("target", "journals-test-" + Long.toHexString(T0.toEpochMilli()), "journal.db");
        try (JdbcJournal journal = Journals.open("sqlite:" + relative, clock)) {
            assertThat(journal.description()).isEqualTo("sqlite:" + relative.toAbsolutePath());
        } finally {
            try (var files = Files.list(relative.toAbsolutePath().getParent())) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(relative.toAbsolutePath().getParent());
        }
    }

    @Test
    void unknownUrlIsAConfigurationErrorThatHidesCredentials() {
        assertThatThrownBy(() -> Journals.open("mysql://u:secret@host/db?password=secret", clock))
                .isInstanceOfSatisfying(KeelException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .message().doesNotContain("secret");
        assertThatThrownBy(() -> Journals.open("sqlite:", clock))
                .isInstanceOfSatisfying(KeelException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
    }

    @Test
    void postgresUrlsOfEveryAcceptedShapeBecomeJdbcUrls() {
        assertThat(Journals.postgresJdbcUrl("postgresql://h:5432/db?user=u"))
                .isEqualTo("jdbc:postgresql://h:5432/db?user=u");
        assertThat(Journals.postgresJdbcUrl("postgres://h/db")).isEqualTo("jdbc:postgresql://h/db");
        assertThat(Journals.postgresJdbcUrl("jdbc:postgresql://h/db")).isEqualTo("jdbc:postgresql://h/db");
        assertThat(Journals.postgresJdbcUrl("sqlite:x.db")).isNull();
    }

    @Test
    void unreachablePostgresIsUnavailableWithAdviceAboutTheServerNotTheDisk() {
        // Port 1 on loopback: nothing listens there, the connection is refused at once.
        assertThatThrownBy(() -> Journals.open("postgresql://127.0.0.1:1/keel?user=postgres&password=secret", clock))
                .isInstanceOfSatisfying(KeelException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.JOURNAL_UNAVAILABLE);
                    assertThat(e.code().suggestion()).doesNotContain("disk space");
                })
                .message().contains("nothing answers at", "127.0.0.1:1", "start the database server")
                .doesNotContain("secret");
    }

    @Test
    void sqliteFolderThatCannotBeCreatedIsUnavailableAndNamesTheFolder() throws Exception {
        Path inTheWay = Files.writeString(dir.resolve("not-a-folder"), "a file, where the journal's folder would go");

        assertThatThrownBy(() -> Journals.open("sqlite:" + inTheWay.resolve("keel.db"), clock))
                .isInstanceOfSatisfying(KeelException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.JOURNAL_UNAVAILABLE))
                .message().contains("the journal's folder " + inTheWay + " cannot be created", "'journal' line");
    }
}
