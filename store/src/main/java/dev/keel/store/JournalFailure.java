package dev.keel.store;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Turns what JDBC, SQLite, PostgreSQL or Flyway threw into a catalog error in the user's terms, from structured
 * signals only (exception types, SQLite result codes, SQL states), never from message text:
 * <ul>
 *   <li>JOURNAL_CORRUPT: SQLite says the file is damaged or not a database;</li>
 *   <li>JOURNAL_UNAVAILABLE: nothing answers at the server's address, the server refuses the user or has no such
 *       database, or SQLite cannot open or write the file;</li>
 *   <li>otherwise JOURNAL_WRITE_FAILED (disk full, a lost connection mid-write...).</li>
 * </ul>
 */
final class JournalFailure {
    private JournalFailure() {
    }

    /**
     * The catalog error for {@code failure} while {@code doing} something ("open", "read", "append") with the
     * journal at {@code description}; a KeelException in the chain is returned as it is.
     */
    static KeelException of(String doing, String description, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof KeelException keel) {
                return keel;
            }
        }
        ErrorContext context = ErrorContext.NONE.with("journal", description);
        if (find(failure, ConnectException.class) != null || find(failure, UnknownHostException.class) != null) {
            return new KeelException(ErrorCode.JOURNAL_UNAVAILABLE, "cannot " + doing + " the journal: nothing "
                    + "answers at " + description + "; start the database server, or correct the host and port in "
                    + "the configuration's 'journal' line", context, failure);
        }
        SQLiteException sqlite = find(failure, SQLiteException.class);
        if (sqlite != null) {
            SQLiteErrorCode code = primary(sqlite.getResultCode());
            String said = "SQLite: " + code.message;
            switch (code) {
                case SQLITE_CORRUPT, SQLITE_NOTADB -> {
                    return corrupt(description, said, failure);
                }
                case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_READONLY, SQLITE_AUTH -> {
                    return new KeelException(ErrorCode.JOURNAL_UNAVAILABLE, "cannot " + doing + " the journal file "
                            + file(description) + " (" + said + "); check that the file and its folder exist and "
                            + "that you may write them", context, failure);
                }
                default -> {
                    // SQLITE_FULL, SQLITE_IOERR, SQLITE_BUSY...: the write itself failed
                }
            }
        }
        SQLException sql = find(failure, SQLException.class);
        String state = sql == null || sql.getSQLState() == null ? "" : sql.getSQLState();
        if (sqlite == null && state.startsWith("08")) {
            return new KeelException(ErrorCode.JOURNAL_UNAVAILABLE, "cannot " + doing + " the journal: the database "
                    + "server at " + description + " cannot be reached (SQL state " + state + "); is it running?",
                    context, failure);
        }
        if (sqlite == null && state.startsWith("28")) {
            return new KeelException(ErrorCode.JOURNAL_UNAVAILABLE, "cannot " + doing + " the journal: the database "
                    + "server at " + description + " refused the user (SQL state " + state + "); check the user in "
                    + "the URL and the server's access rules", context, failure);
        }
        if (sqlite == null && state.equals("3D000")) {
            return new KeelException(ErrorCode.JOURNAL_UNAVAILABLE, "cannot " + doing + " the journal: the database "
                    + "named in " + description + " does not exist; create it (createdb) or correct the URL",
                    context, failure);
        }
        String reason = sql != null ? sql.getMessage() : failure.getMessage();
        return new KeelException(ErrorCode.JOURNAL_WRITE_FAILED, "journal " + doing + " failed at " + description
                + ": " + reason, context, failure);
    }

    /** The file is damaged: which file, what SQLite said, and what to do about it. */
    static KeelException corrupt(String description, String what, Throwable cause) {
        return new KeelException(ErrorCode.JOURNAL_CORRUPT, "the journal file " + file(description) + " is damaged: "
                + what, ErrorContext.NONE.with("journal", description), cause);
    }

    /** {@code sqlite:/a/b.db} as {@code /a/b.db}; other descriptions as they are. */
    static String file(String description) {
        return description.startsWith("sqlite:") ? description.substring("sqlite:".length()) : description;
    }

    private static SQLiteErrorCode primary(SQLiteErrorCode code) {
        // Extended codes (SQLITE_CORRUPT_INDEX...) carry the primary code in their low byte.
        return code == null ? SQLiteErrorCode.UNKNOWN_ERROR : SQLiteErrorCode.getErrorCode(code.code & 0xff);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
            for (Throwable s : t.getSuppressed()) {
                if (type.isInstance(s)) {
                    return type.cast(s);
                }
            }
        }
        return null;
    }
}
