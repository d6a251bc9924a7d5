package dev.keel.sim;

import java.util.List;

/**
 * A law broken in one run.
 *
 * @param law       which law of the architecture (1-9), or 0 for the final agreement of journal and exchange
 * @param accountId the account, or null
 * @param operation the transaction (or client order id), or null
 * @param context   the events around it, one per line
 */
public record Violation(long seed, int law, String accountId, String operation, String message, List<String> context) {
    public Violation {
        context = List.copyOf(context);
    }

    public String headline() {
        return "seed " + seed + ": law " + (law == 0 ? "'journal equals exchange'" : law) + " broken"
                + (accountId == null ? "" : " on " + accountId) + (operation == null ? "" : " in " + operation)
                + ": " + message;
    }
}
