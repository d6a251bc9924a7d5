package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code --json} document uses the transaction log's snake_case keys: no key of any command's output is camelCase,
 * and a transaction's id is {@code transaction_id}.
 */
class JsonKeysTest {
    /** A lower-case letter followed by an upper-case one: camelCase. Symbols (VTI) and metric names pass. */
    private static final Pattern CAMEL = Pattern.compile(".*[a-z][A-Z].*");

    @TempDir
    Path dir;

    @Test
    void noCommandPrintsACamelCaseKey() throws Exception {
        String cfg = CommandsTest.config(dir, "").toString();
        assertThat(Run.of("rebalance", "--config", cfg).exitCode()).isZero();
        String tx = new ObjectMapper().readTree(Run.of("tx", "list", "--config", cfg, "--json").out()).get(0)
                .get("transaction_id").asText();
        List<List<String>> commands = List.of(
                List.of("rebalance", "--dry-run"), List.of("tx", "list"), List.of("tx", "show", tx),
                List.of("broker", "orders"), List.of("broker", "positions"), List.of("broker", "account"),
                List.of("status"), List.of("account", "status"), List.of("ops", "list"), List.of("ops", "stats"),
                List.of("config", "check"), List.of("journal", "verify"), List.of("recover"), List.of("reconcile"),
                List.of("order", "close", "--symbol", "GLD"), List.of("alerts", "list"), List.of("alerts", "outbox"),
                List.of("dlq", "list"));
        for (List<String> command : commands) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--config", cfg, "--json"));
            Run run = Run.of(args.toArray(String[]::new));
            JsonNode doc = new ObjectMapper().readTree(run.out());
            assertThat(keys(doc)).as("%s: %s", command, run.out()).noneMatch(k -> CAMEL.matcher(k).matches())
                    .as("%s names a transaction's id as the transaction log does: %s", command, run.out())
                    .doesNotContain("tx_id", "tx_ids");
        }
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                keys.add(field.getKey());
                keys.addAll(keys(field.getValue()));
            }
        } else if (node.isArray()) {
            node.forEach(n -> keys.addAll(keys(n)));
        }
        return keys;
    }
}
