package dev.keel.notify;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.Runbook;
import java.util.Objects;

/**
 * Where a notification points the operator: the dashboard and the runbook page of its error code.
 *
 * @param dashboard   the dashboard's address, or null when there is none
 * @param runbookBase the folder of the runbook pages, a URL or a path ending in '/'; default {@value #DEFAULT_RUNBOOKS}
 */
public record Links(String dashboard, String runbookBase) {
    /** The default runbook folder, relative to the repository: {@code docs/runbooks/}. */
    public static final String DEFAULT_RUNBOOKS = "docs/runbooks/";
    /** Runbook pages and no dashboard. */
    public static final Links DEFAULTS = new Links(null, DEFAULT_RUNBOOKS);

    public Links {
        Objects.requireNonNull(runbookBase, "runbookBase");
        if (!runbookBase.endsWith("/")) {
            throw new IllegalArgumentException("runbookBase must end with '/', but was '" + runbookBase + "'");
        }
    }

    /** The runbook page of {@code code}, or the runbook index when the notification has no code. */
    public String runbook(ErrorCode code) {
        return runbookBase + (code == null ? "README.md" : page(code));
    }

    /** The file name of a code's runbook page: {@code broker-timeout.md}. */
    public static String page(ErrorCode code) {
        return Runbook.page(code);
    }

    /** Whether {@code link} can be opened from a chat or a mail (an http(s) address). */
    public static boolean isWeb(String link) {
        return link != null && (link.startsWith("https://") || link.startsWith("http://"));
    }
}
