package dev.keel.store;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import java.io.IOException;
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
     * @throws KeelException CONFIG_INVALID for a URL of no known kind, JOURNAL_WRITE_FAILED when the database
     *                       cannot be opened or migrated
     * @throws dev.keel.core.journal.JournalCorruptException when the newest records fail their check
     */
    public static JdbcJournal open(String url, Clock clock) {
        Database db = database(url);
        return new JdbcJournal(db, clock);
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
        } catch (KeelException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KeelException(ErrorCode.JOURNAL_WRITE_FAILED, "cannot open the journal at " + description
                    + ": " + e.getMessage(), ErrorContext.NONE.with("journal", description), e);
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
            throw new KeelException(ErrorCode.JOURNAL_WRITE_FAILED, "cannot create the folder of the journal "
                    + file + ": " + e.getMessage(), ErrorContext.NONE.with("journal", file.toString()), e);
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
