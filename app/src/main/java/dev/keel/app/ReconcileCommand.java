package dev.keel.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.keel.app.runtime.KeelRuntime;
import dev.keel.core.engine.RecoveryReport;
import dev.keel.core.execution.BrokerGateway;
import dev.keel.core.execution.TransactionView;
import dev.keel.core.journal.Journal;
import dev.keel.core.model.AccountSnapshot;
import dev.keel.core.model.BrokerOrder;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code keel reconcile}: brings every transaction left in progress to a terminal state, then compares what the
 * broker holds with what the journal knows: every open order at the broker must be one Keel journaled (law 1).
 */
@Command(name = "reconcile",
        description = "Recover open transactions, then check every open order at the broker against the journal.")
final class ReconcileCommand extends ConfiguredCommand {

    /** The reconciliation of one account. */
    record AccountReport(@JsonProperty("account") String account, @JsonProperty("snapshot") AccountSnapshot snapshot,
                         @JsonProperty("open_orders") int openOrders,
                         @JsonProperty("unknown_orders") List<BrokerOrder> unknownOrders) {
    }

    /** The whole result. */
    record Report(@JsonProperty("recovered") RecoveryReport recovered,
                  @JsonProperty("accounts") List<AccountReport> accounts, @JsonProperty("consistent") boolean consistent) {
    }

    @Override
    public Integer call() {
        Output output = output();
        try (KeelRuntime runtime = openRuntime()) {
            RecoveryReport recovered = runtime.engine().recover();
            List<AccountReport> accounts = new ArrayList<>();
            for (String id : runtime.engine().accountIds()) {
                BrokerGateway g = runtime.gateway(id);
                List<BrokerOrder> open = g.read(g.broker()::openOrders);
                List<BrokerOrder> unknown = open.stream()
                        .filter(o -> !journaled(runtime.journal(), o.clientOrderId())).toList();
                accounts.add(new AccountReport(id, g.read(g.broker()::account), open.size(), unknown));
            }
            boolean consistent = accounts.stream().allMatch(a -> a.unknownOrders().isEmpty());
            Report report = new Report(recovered, accounts, consistent);
            output.result(report, r -> print(output, r));
            return consistent ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /** Whether the journal holds the intent of this client order id: {@code <txId>:<leg>}. */
    static boolean journaled(Journal journal, String clientOrderId) {
        int colon = clientOrderId.lastIndexOf(':');
        if (colon <= 0) {
            return false;
        }
        TransactionView view = TransactionView.fold(journal.stream(clientOrderId.substring(0, colon)));
        return view.order(clientOrderId) != null;
    }

    private static void print(Output output, Report r) {
        output.line(r.recovered().transactions().isEmpty() ? "No transaction was left in progress."
                : "Recovered " + r.recovered().transactions().size() + " transaction(s).");
        Table t = new Table("ACCOUNT", "CASH", "EQUITY", "POSITIONS", "OPEN ORDERS", "NOT IN JOURNAL");
        for (AccountReport a : r.accounts()) {
            t.row(a.account(), a.snapshot().cash().toPlainString(), a.snapshot().equity().toPlainString(),
                    Integer.toString(a.snapshot().positions().size()), Integer.toString(a.openOrders()),
                    Integer.toString(a.unknownOrders().size()));
        }
        output.table(t);
        for (AccountReport a : r.accounts()) {
            for (BrokerOrder o : a.unknownOrders()) {
                output.line("NOT IN JOURNAL: " + a.account() + " " + o.brokerOrderId() + " " + o.clientOrderId() + " "
                        + o.spec().describe() + " — placed outside Keel, or a journal was lost; review before trading");
            }
        }
        output.line(r.consistent() ? "Consistent: every open order at the broker is in the journal."
                : "INCONSISTENT: see the orders above.");
    }
}
