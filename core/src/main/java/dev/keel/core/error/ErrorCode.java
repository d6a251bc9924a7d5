package dev.keel.core.error;

import static dev.keel.core.error.ErrorCategory.AUTH;
import static dev.keel.core.error.ErrorCategory.BROKER;
import static dev.keel.core.error.ErrorCategory.DATA;
import static dev.keel.core.error.ErrorCategory.NETWORK;
import static dev.keel.core.error.ErrorCategory.RATE_LIMIT;
import static dev.keel.core.error.ErrorCategory.SYSTEM;
import static dev.keel.core.error.ErrorCategory.TIMEOUT;
import static dev.keel.core.error.ErrorCategory.VALIDATION;
import static dev.keel.core.error.RecoveryStrategy.CIRCUIT_BREAK;
import static dev.keel.core.error.RecoveryStrategy.DEGRADE;
import static dev.keel.core.error.RecoveryStrategy.IGNORE;
import static dev.keel.core.error.RecoveryStrategy.MANUAL;
import static dev.keel.core.error.RecoveryStrategy.RETRY_BACKOFF;
import static dev.keel.core.error.Severity.CRITICAL;
import static dev.keel.core.error.Severity.HIGH;
import static dev.keel.core.error.Severity.INFO;
import static dev.keel.core.error.Severity.LOW;
import static dev.keel.core.error.Severity.MEDIUM;

/**
 * The error catalog. Every error Keel reports has one of these codes; {@code docs/errors.md} is generated from
 * this enum and a test keeps it in step.
 */
public enum ErrorCode {
    // network
    CONNECTION_RESET(NETWORK, HIGH, true, RETRY_BACKOFF,
            "The connection to the broker was reset. Keel resolves any order in flight by looking it up.",
            "Check network reachability of the broker endpoint; if resets persist, check the broker's status page."),
    CONNECTION_REFUSED(NETWORK, HIGH, true, RETRY_BACKOFF,
            "The broker refused the connection; the request was not delivered.",
            "Verify the broker URL and that outbound HTTPS is allowed; Keel retries with backoff."),
    ALLOCATION_UNAVAILABLE(NETWORK, HIGH, true, RETRY_BACKOFF,
            "The allocation API could not be read (timeout, refused connection, HTTP 5xx or its circuit breaker"
                    + " open) after the configured retries; the rebalance was aborted before anything was sent.",
            "Check the allocation service and its URL; the next run tries again, its circuit breaker permitting."),
    // timeout
    BROKER_TIMEOUT(TIMEOUT, HIGH, true, RETRY_BACKOFF,
            "The broker did not answer in time. An order in flight is UNKNOWN until a lookup resolves it.",
            "Run 'keel reconcile' if UNKNOWN orders remain; raise the timeout only if the broker is known slow."),
    // auth
    UNAUTHORIZED(AUTH, CRITICAL, false, MANUAL,
            "The broker rejected the API credentials (HTTP 401).",
            "Check APCA key id and secret in the environment or key file; rotate them if they were revoked."),
    FORBIDDEN(AUTH, CRITICAL, false, MANUAL,
            "The account may not perform this action (HTTP 403).",
            "Check account status and permissions at the broker (trading blocked, account restricted)."),
    // rate limit
    RATE_LIMITED(RATE_LIMIT, MEDIUM, true, RETRY_BACKOFF,
            "The broker rate-limited the request (HTTP 429); Keel waits at least Retry-After.",
            "If frequent, lower request concurrency or the configured rate limit for this broker."),
    // broker
    BROKER_SERVER_ERROR(BROKER, HIGH, true, CIRCUIT_BREAK,
            "The broker answered with a server error (HTTP 5xx). An order in flight is UNKNOWN until looked up.",
            "Check the broker's status page; the circuit breaker opens if errors persist."),
    BROKER_UNAVAILABLE(BROKER, HIGH, true, CIRCUIT_BREAK,
            "The broker's circuit breaker is open; calls are refused without reaching the broker.",
            "Wait for the breaker to half-open; 'keel status' shows its state."),
    INSUFFICIENT_BUYING_POWER(BROKER, MEDIUM, false, MANUAL,
            "The broker rejected the order for insufficient buying power.",
            "Check pending orders and cash; Keel sizes buys on settled cash, so another process may be trading."),
    SYMBOL_NOT_FOUND(BROKER, MEDIUM, false, MANUAL,
            "The broker does not know the symbol, or it is not tradable.",
            "Check the ticker in the targets (delisted or renamed?) and replace it in the config."),
    MARKET_CLOSED(BROKER, MEDIUM, false, MANUAL,
            "The market is closed for this order type.",
            "Run during market hours, or use an order type the broker queues for the open."),
    ORDER_REJECTED(BROKER, MEDIUM, false, MANUAL,
            "The broker rejected the order (HTTP 422) for a reason Keel has no specific code for.",
            "Read the broker's message in the transaction log and correct the order or its parameters."),
    DUPLICATE_CLIENT_ORDER_ID(BROKER, INFO, false, IGNORE,
            "The broker already holds an order with this client order id: the earlier submit got through.",
            "Nothing to do: Keel adopts the existing order by looking it up."),
    ORDER_NOT_FOUND(BROKER, INFO, false, IGNORE,
            "The broker answered that no order has this id.",
            "After the visibility grace period this means the submit never arrived; Keel resubmits the same id."),
    ORDER_NOT_FILLED(BROKER, MEDIUM, false, MANUAL,
            "The order was accepted but did not fill in the time allowed, and was cancelled.",
            "Check liquidity and market hours; the next rebalance picks up the remaining drift."),
    BROKER_RESPONSE_UNRECOGNIZED(BROKER, HIGH, false, MANUAL,
            "The broker answered something Keel does not understand; the raw answer is in the journal.",
            "Open the journal entry ('keel tx show'), and report the raw answer; the order is treated as UNKNOWN."),
    // validation
    INVALID_ORDER(VALIDATION, MEDIUM, false, MANUAL,
            "The order is invalid (size, price or type).",
            "Check min-trade, fractional support of the symbol and limit prices."),
    CONFIG_INVALID(VALIDATION, HIGH, false, MANUAL,
            "The configuration is invalid.",
            "Fix the named field in the named file; 'keel rebalance --dry-run' validates without trading."),
    USAGE_INVALID(VALIDATION, MEDIUM, false, MANUAL,
            "The command line is not valid: an unknown command or option, a missing value, or a value of the wrong"
                    + " form; nothing was done.",
            "Correct the named option; 'keel COMMAND --help' lists the options and their forms."),
    UNKNOWN_ID(VALIDATION, MEDIUM, false, MANUAL,
            "The command names a transaction, operation, order or account that Keel does not know; nothing was"
                    + " done.",
            "Check the id: 'keel tx list', 'keel ops list', 'keel broker orders' and 'keel account status' show the"
                    + " known ones."),
    REQUEST_REFUSED(VALIDATION, MEDIUM, false, MANUAL,
            "The request is well-formed but cannot be done in the state things are in (an order already replaced"
                    + " or ended, an operation that cannot be undone); nothing was sent.",
            "Read the reason given; 'keel ops show ID' and 'keel broker orders' show the current state."),
    RISK_LIMIT_EXCEEDED(VALIDATION, HIGH, false, MANUAL,
            "The plan exceeds a risk limit (max turnover or max order); nothing was sent.",
            "Review the plan with --dry-run; raise the limit only if the trade is intended."),
    ALLOCATION_INVALID(VALIDATION, HIGH, false, MANUAL,
            "The allocation API answered, but not with a usable allocation (HTTP 4xx, bad JSON, an unknown or"
                    + " duplicate symbol, weights outside (0, 1] or not summing to 1); nothing was sent.",
            "Fix the allocation service's answer for this account; 'keel rebalance --dry-run' shows what Keel reads."),
    // data
    QUOTE_MISSING(DATA, MEDIUM, true, DEGRADE,
            "No quote is available for the symbol; Keel does not size orders without a price.",
            "Check the market-data source; the symbol is skipped in this run."),
    QUOTE_STALE(DATA, MEDIUM, true, DEGRADE,
            "The quote is older than allowed or not sane (zero or crossed); Keel does not size orders on it.",
            "Check the market-data source's health; the symbol is skipped in this run."),
    QUOTE_OUTLIER(DATA, MEDIUM, true, DEGRADE,
            "The quote is implausible: further from the symbol's last good price than allowed, or its spread is"
                    + " wider than allowed; Keel does not size orders on it.",
            "Compare the quote with another source; if the move is real, the next run after the close accepts it."),
    DATA_GAP(DATA, LOW, true, DEGRADE,
            "A bar series has intervals missing in market hours that no fallback source could fill.",
            "Check the market-data sources' history; Keel uses the bars it has and marks the series."),
    RECONCILIATION_MISMATCH(DATA, HIGH, false, MANUAL,
            "The broker's positions or cash differ from what the journal expects beyond tolerance.",
            "Compare 'keel broker positions' with 'keel tx show'; resolve the difference before trading resumes."),
    PROTECTION_FAILED(BROKER, HIGH, false, MANUAL,
            "A bracket's protective orders (stop-loss and take-profit) could not be placed after retries, so its filled"
                    + " position was closed and whatever was placed cancelled.",
            "See the operation with 'keel ops show ID' for the broker's answers; fix the cause (prices on the wrong"
                    + " side of the market, an unsupported order type) before placing the bracket again."),
    EMERGENCY_CLOSE_FAILED(BROKER, CRITICAL, false, MANUAL,
            "An unprotected position could not be closed: the protective orders failed and so did the close.",
            "Close the position by hand now ('keel order close' or at the broker); the account only reduces risk"
                    + " until an operator resumes it."),
    OCO_DOUBLE_FILL(BROKER, HIGH, false, MANUAL,
            "Both legs of a one-cancels-other pair filled (a race the broker or Keel's emulation lost); the excess"
                    + " was flattened.",
            "Check the flattening order's fill in 'keel ops show ID'; if the broker holds OCO pairs natively, report"
                    + " the double fill to it."),
    CANCEL_UNCONFIRMED(BROKER, HIGH, false, MANUAL,
            "A cancel could not be confirmed: the broker did not answer and a lookup could not tell whether the order"
                    + " is still working.",
            "Run 'keel reconcile' when the broker is reachable; the order may still fill."),
    ORDER_OUTCOME_UNKNOWN(DATA, CRITICAL, false, MANUAL,
            "An order's outcome could not be resolved: the broker could not be asked whether it exists.",
            "Run 'keel reconcile' when the broker is reachable; never re-place the order by hand before that."),
    // system
    JOURNAL_WRITE_FAILED(SYSTEM, CRITICAL, false, MANUAL,
            "Keel could not write its journal (disk full, permissions, database down); nothing was sent.",
            "Free disk space or restore the database, then run 'keel recover'."),
    JOURNAL_UNAVAILABLE(SYSTEM, CRITICAL, false, MANUAL,
            "The journal the configuration names cannot be opened: its folder cannot be created or written, or its"
                    + " database server does not answer; nothing was done.",
            "Check the 'journal' line of the config: a sqlite: path must be in a folder you can write, a"
                    + " postgresql:// URL must name a server that is running and accepts you; 'keel config check'"
                    + " tries it."),
    JOURNAL_CORRUPT(SYSTEM, CRITICAL, false, MANUAL,
            "The journal file or database is damaged: a record failed its checksum or sequence check, a view"
                    + " disagrees with the events, or the database's own integrity check failed; Keel refuses to"
                    + " work on it.",
            "Stop Keel, keep the damaged file, restore the newest backup ('keel journal backup' makes one) and run"
                    + " 'keel journal verify --full' on it; never delete records to proceed."),
    PAPER_STATE_IN_USE(SYSTEM, HIGH, false, MANUAL,
            "The paper exchange's state file is held by another owner (a running 'keel paper serve' or another Keel"
                    + " process with broker kind paper); two owners would overwrite each other's orders, so this one"
                    + " refused to start.",
            "Stop the other owner, or point this Keel at the running server (broker kind alpaca, its URL) instead of"
                    + " opening the state file itself."),
    ACCOUNT_LOCKED(SYSTEM, MEDIUM, true, RETRY_BACKOFF,
            "Another operation holds the account's lock; this one timed out waiting.",
            "Wait for the other operation to finish ('keel tx list'); rerun afterwards."),
    STREAM_MOVED(SYSTEM, MEDIUM, true, RETRY_BACKOFF,
            "Another writer appended to an account's or a transaction's journal stream between Keel's read and its"
                    + " write, so the write was refused and nothing was written (optimistic concurrency).",
            "Keel re-reads and decides again by itself; if this reaches you, rerun the command."),
    LEASE_LOST(SYSTEM, HIGH, false, IGNORE,
            "This process no longer holds the account's lease: another process took it over (this one paused or was"
                    + " cut off for longer than the lease lasts), so the journal refused its write and nothing was"
                    + " written (fencing).",
            "Nothing to undo: the process that holds the lease now recovers the account's work. Look for why this"
                    + " process stalled (GC pause, lost database connection) in keel.log."),
    ACCOUNT_HALTED(SYSTEM, HIGH, false, MANUAL,
            "The account is HALTED: its positions were uncertain (a mismatch, an unresolved order) or an operator "
                    + "halted it; nothing but cancels is sent.",
            "See why with 'keel account status --account ID'; reconcile, then 'keel account resume --account ID "
                    + "--reason TEXT'."),
    ACCOUNT_REDUCING(SYSTEM, MEDIUM, false, MANUAL,
            "The account is REDUCING: order placement at the broker is failing, so only cancels and sells of long "
                    + "positions are sent; buys are skipped.",
            "The account returns to ACTIVE by itself once the order-placement breaker has closed; "
                    + "'keel account status' shows why, 'keel account resume' lifts it by hand."),
    NOTIFICATION_FAILED(SYSTEM, LOW, true, RETRY_BACKOFF,
            "A notification channel failed; the notification stays in the outbox and is retried.",
            "Check the channel's configuration (file path, SMTP, webhook)."),
    BULKHEAD_FULL(SYSTEM, MEDIUM, true, RETRY_BACKOFF,
            "Too many calls to the broker were in flight at once (its bulkhead is full); this one was not sent.",
            "Nothing to do if rare; if frequent, look for a slow broker or raise resilience.bulkhead.max-concurrent."),
    EVENT_INVALID(VALIDATION, MEDIUM, false, MANUAL,
            "An event could not be run as sent (not JSON, no or unknown account, unknown type, weights that do not"
                    + " sum to 1, a payload over the size limit); it went straight to the dead letters and nothing"
                    + " was sent.",
            "Read the reason with 'keel dlq show ID', fix the sender, push a corrected event; then 'keel dlq"
                    + " resolve ID --note TEXT'."),
    EVENTS_UNAVAILABLE(SYSTEM, HIGH, true, RETRY_BACKOFF,
            "The event source (the Redis server of events.url) cannot be reached; the worker takes no events until it"
                    + " answers again, and loses none: an event it held unsettled is delivered again.",
            "Check that Redis runs and answers at events.url ('redis-cli -u URL ping'); the worker resumes by itself."),
    EVENT_UNSETTLED(SYSTEM, HIGH, false, MANUAL,
            "An event was delivered the configured number of times (events.max-deliveries) and no worker settled it:"
                    + " each that took it died or stalled past the visibility timeout. It went to the dead letters.",
            "Look in keel.log of the workers for what they were doing with the event; once the cause is fixed,"
                    + " 'keel dlq retry ID'."),
    INTERNAL_ERROR(SYSTEM, CRITICAL, false, MANUAL,
            "An unexpected internal error.",
            "Report it with the journal; the operation was closed as NEEDS_REVIEW.");

    private final ErrorCategory category;
    private final Severity severity;
    private final boolean retryable;
    private final RecoveryStrategy strategy;
    private final String description;
    private final String suggestion;

    ErrorCode(ErrorCategory category, Severity severity, boolean retryable, RecoveryStrategy strategy,
              String description, String suggestion) {
        this.category = category;
        this.severity = severity;
        this.retryable = retryable;
        this.strategy = strategy;
        this.description = description;
        this.suggestion = suggestion;
    }

    public ErrorCategory category() {
        return category;
    }

    public Severity severity() {
        return severity;
    }

    /** Whether repeating the same request may succeed. For an order submit this is only ever done by the UNKNOWN path. */
    public boolean retryable() {
        return retryable;
    }

    public RecoveryStrategy strategy() {
        return strategy;
    }

    /** One sentence: what happened. */
    public String description() {
        return description;
    }

    /** One sentence: what the operator should do. */
    public String suggestion() {
        return suggestion;
    }

    /** The runbook anchor in {@code docs/errors.md}. */
    public String runbook() {
        return "docs/errors.md#" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
