package dev.keel.store;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** Opens the journal a URL names: {@code sqlite:PATH} (the embedded default) or a PostgreSQL URL. */
public final class Journals {
    /** How long closed transactions stay in the live journal before {@code archive} may move them: 90 days. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);
    /** The default journal: a SQLite file under {@code keel-data/}, relative to the working directory. */
    public static final String DEFAULT_URL = "sqlite:keel-data/journal.db";

    private Journals() {
    }

    /**
     * Opens (creating and migrating if needed) and verifies the journal at {@code url}.
     *
     * @param url   {@code sqlite:PATH} (relative paths from the working directory; parent folders are created),
     *              {@code postgresql://host:port/db?user=...}, {@code postgres://...} or
     *              {@code jdbc:postgresql://...}
     * @param clock stamps archive runs; events carry their own time
     * @throws KeelException CONFIG_INVALID for a URL of no known kind, JOURNAL_UNAVAILABLE when the file's folder
     *                       cannot be created or the server does not answer, JOURNAL_CORRUPT when the file is
     *                       damaged, JOURNAL_WRITE_FAILED when the database cannot be migrated
     * @throws dev.keel.core.journal.JournalCorruptException when the newest records fail their check
     */
    public static JdbcJournal open(String url, Clock clock) {
        Database db = database(url);
        return new JdbcJournal(db, clock);
    }

    /**
     * Opens the journal at {@code url} for reading, as {@link #open} does, with the database's own check limited to
     * what a reader relies on besides the records ({@link JdbcJournal.OpenCheck#READ}): the records it reads are
     * checked as they are read. Its first write waits for {@link #open}'s check, and what that finds refuses every
     * write (JOURNAL_CORRUPT): open it for a command that reads, and that may write only now and then.
     */
    public static JdbcJournal openToRead(String url, Clock clock) {
        return new JdbcJournal(database(url), clock, JdbcJournal.OpenCheck.READ);
    }

    /**
     * Opens the journal at {@code url} without checking it, so that {@link JdbcJournal#verify(boolean,
     * Verification.Listener)} can say what is wrong with a damaged one, and {@link JdbcJournal#backup} copy it.
     * Work with an engine only on a journal from {@link #open}.
     */
    public static JdbcJournal openForInspection(String url, Clock clock) {
        return new JdbcJournal(database(url), clock, JdbcJournal.OpenCheck.NONE);
    }

    private static Database database(String url) {
        if (url == null || url.isBlank()) {
            throw new KeelException(ErrorCode.CONFIG_INVALID, "journal url must be set, but was '" + url + "'");
        }
        String pg = postgresJdbcUrl(url);
        String description = redact(url);
        try {
            if (pg != null) {
                return Database.postgres(pg, description);
            }
            if (url.startsWith("sqlite:") || url.startsWith("jdbc:sqlite:")) {
                return Database.sqlite(sqliteFile(url.substring(url.indexOf("sqlite:") + "sqlite:".length())));
            }
        } catch (RuntimeException e) {
            throw JournalFailure.of("open", description, e);
        }
        throw new KeelException(ErrorCode.CONFIG_INVALID, "journal url must start with sqlite:, postgresql://,"
                + " postgres:// or jdbc:postgresql://, but was '" + description + "'");
    }

    /** The JDBC URL for a PostgreSQL journal URL, or null when {@code url} names no PostgreSQL database. */
    static String postgresJdbcUrl(String url) {
        if (url.startsWith("jdbc:postgresql://")) {
            return url;
        }
        if (url.startsWith("postgresql://")) {
            return "jdbc:" + url;
        }
        if (url.startsWith("postgres://")) {
            return "jdbc:postgresql://" + url.substring("postgres://".length());
        }
        return null;
    }

    private static Path sqliteFile(String path) {
        if (path.isBlank()) {
            throw new KeelException(ErrorCode.CONFIG_INVALID, "sqlite journal url must name a file, but was empty");
        }
        Path file = Path.of(path).toAbsolutePath().normalize();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            String why = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "a file of that name is in the way"
                    : e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : "cannot be created";
            throw new KeelException(ErrorCode.JOURNAL_UNAVAILABLE, "the journal's folder " + file.getParent()
                    + " cannot be created (" + why + "); name a folder you can write in the configuration's "
                    + "'journal' line", ErrorContext.NONE.with("journal", file.toString()), e);
        }
        return file;
    }

    /** The URL without its query string and user info, where a password may be. */
    static String redact(String url) {
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query) + "?...";
        return base.replaceFirst("//[^/@]*@", "//***@");
    }
}
