package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command with bad input: the exit code says whose mistake it was (2: the user's, nothing done), no Java class
 * name reaches the user, and with {@code --json} the error is the standard error response, one JSON document with
 * snake_case keys on stdout.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MistakesTest {
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** What a Java class name or stack trace looks like in output. */
    private static final Pattern JAVA = Pattern.compile("Exception|java\\.|javax\\.|dev\\.keel\\.|picocli\\.|\\tat ");
    private static final Pattern SNAKE = Pattern.compile("[a-z][a-z0-9_]*");

    @TempDir
    static Path dir;

    private String cfg;

    @BeforeAll
    void journalWithOneRebalance() throws IOException {
        cfg = CommandsTest.config(dir, "").toString();
        Run run = Run.of("rebalance", "--config", cfg);
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    /** Each bad command line ({@code CFG} stands for the test's config file) and the exit code it must give. */
    static Stream<Arguments> mistakes() {
        Object[][] table = {
                {2, "rebalnce"},
                {2, "rebalance", "--config", "CFG", "--bogus"},
                {2, "rebalance", "--config", "CFG", "--account", "nobody"},
                {2, "rebalance", "--config", "no-such-file.yaml"},
                {2, "tx", "list", "--config", "CFG", "--limit", "-3"},
                {2, "tx", "list", "--config", "CFG", "--limit", "abc"},
                {2, "tx", "show", "rb-does-not-exist", "--config", "CFG"},
                {2, "tx", "archive", "--config", "CFG", "--older-than", "soon"},
                {2, "recover", "--config", "no-such-file.yaml"},
                {2, "reconcile", "--config", "no-such-file.yaml"},
                {2, "status", "--config", "CFG", "--window", "forever"},
                {2, "broker", "orders", "--config", "CFG", "--account", "nobody"},
                {2, "broker", "positions", "--config", "CFG", "--account", "nobody"},
                {2, "broker", "account", "--config", "CFG", "--account", "nobody"},
                {2, "config", "check", "--config", "no-such-file.yaml"},
                {2, "sim", "--seeds", "-1"},
                {2, "sim", "--accounts", "0"},
                {2, "account", "status", "--config", "CFG", "--account", "nobody"},
                {2, "account", "halt", "--config", "CFG", "--account", "nobody", "--reason", "x"},
                {2, "account", "halt", "--config", "CFG", "--account", "main", "--reason", " "},
                {2, "account", "resume", "--config", "CFG", "--account", "nobody", "--reason", "x"},
                {2, "order", "bracket", "--config", "CFG", "--symbol", "VTI", "--qty", "1", "--stop", "260",
                        "--target", "240"},
                {2, "order", "bracket", "--config", "CFG", "--symbol", "VTI", "--qty", "1", "--stop", "240",
                        "--target", "260", "--tif", "forever"},
                {2, "order", "oco", "--config", "CFG", "--symbol", "VTI", "--qty", "-1", "--stop", "240",
                        "--target", "260"},
                {2, "order", "close", "--config", "CFG", "--symbol", "VTI", "--qty", "abc"},
                {2, "order", "close", "--config", "CFG", "--symbol", "VTI", "--qty", "-5"},
                {2, "order", "close", "--config", "CFG", "--symbol", "v t i"},
                {2, "order", "cancel-all", "--config", "CFG", "--account", "nobody"},
                {2, "order", "modify", "--config", "CFG", "--order", "nope", "--limit", "5"},
                {2, "order", "modify", "--config", "CFG", "--order", "nope"},
                {2, "ops", "list", "--config", "CFG", "--limit", "0"},
                {2, "ops", "list", "--config", "CFG", "--state", "SIDEWAYS"},
                {2, "ops", "show", "nope", "--config", "CFG"},
                {2, "ops", "rollback", "nope", "--config", "CFG"},
                {2, "ops", "stats", "--config", "CFG", "--account", "nobody"},
                {2, "ops", "cleanup", "--config", "CFG", "--older-than", "soon"},
                {2, "ops", "watch", "--config", "CFG", "--every", "soon"},
                {2, "ops", "watch", "--config", "CFG", "--account", "nobody"},
                {2, "journal", "verify", "--journal", "mysql://host/db"},
                {2, "journal", "backup", "--config", "CFG"},
                {2, "demo", "--scenario", "nope"},
                {2, "bench", "rebalance", "--runs", "0"},
                {2, "bench", "recovery", "--runs", "0"},
        };
        return Arrays.stream(table).map(row -> Arguments.of(row[0],
                Arrays.stream(row, 1, row.length).map(String.class::cast).toList()));
    }

    @ParameterizedTest(name = "{1} exits {0}")
    @MethodSource("mistakes")
    void mistakeExitsWithItsCodeInTheUsersTerms(int exit, List<String> args) {
        Run run = Run.of(args(args, false));

        assertThat(run.err()).as("an unknown id is not advice to fix a config field")
                .doesNotContain("Fix the named field");
        assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isEqualTo(exit);
        assertThat(run.err()).as("says what went wrong").isNotBlank();
        assertThat(run.out() + run.err()).as("no Java class name reaches the user").doesNotContainPattern(JAVA);
    }

    @ParameterizedTest(name = "{1} --json exits {0}")
    @MethodSource("mistakes")
    void mistakeWithJsonIsTheStandardErrorResponseOnStdout(int exit, List<String> args) throws IOException {
        Run run = Run.of(args(args, true));

        assertThat(run.exitCode()).as("%s%n%s", run.out(), run.err()).isEqualTo(exit);
        assertThat(run.out() + run.err()).as("no Java class name reaches the user").doesNotContainPattern(JAVA);
        JsonNode doc;
        try (var parser = JSON.createParser(run.out())) {
            doc = JSON.readTree(parser);
            assertThat(parser.nextToken()).as("one document, nothing after it").isNull();
        }
        assertThat(doc.isObject()).as(run.out()).isTrue();
        JsonNode error = doc.get("error");
        assertThat(error).as(run.out()).isNotNull();
        for (String field : List.of("code", "category", "severity", "message", "suggestion", "correlation_id",
                "timestamp")) {
            assertThat(error.path(field).asText()).as("error.%s in %s", field, run.out()).isNotBlank();
        }
        assertThat(doc.at("/recovery/strategy").asText()).isNotBlank();
        assertThat(doc.get("exit_code").asInt()).isEqualTo(exit);
        assertThat(keys(doc)).as("snake_case keys").allSatisfy(k -> assertThat(k).matches(SNAKE));
    }

    private String[] args(List<String> args, boolean json) {
        List<String> all = new ArrayList<>();
        args.forEach(a -> all.add(a.equals("CFG") ? cfg : a));
        if (json) {
            all.add("--json");
        }
        return all.toArray(String[]::new);
    }

    /** Every object key of the document, at any depth; the keys of {@code details} maps are data, not names. */
    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                keys.add(field.getKey());
                if (!field.getKey().equals("details")) {
                    keys.addAll(keys(field.getValue()));
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> keys.addAll(keys(n)));
        }
        return keys;
    }
}
