package dev.keel.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.execution.RateLimitPolicy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of mistake is reported with the file, the line, the field path and what was expected. */
class ConfigProblemsTest {
    @TempDir
    Path dir;

    @Test
    void weightsThatDoNotSumToOneAreReportedOnTheTargets() {
        List<String> problems = problemsOf(ConfigFiles.edit(ConfigFiles.contract(), "GLD: 0.075, DBC: 0.075",
                "GLD: 0.05, DBC: 0.05"));

        assertThat(problems).containsExactly("keel.yaml:17: accounts[0].targets: weights must sum to 1.0, but sum to 0.95");
    }

    @Test
    void sumWithinTheToleranceIsAccepted() {
        String yaml = ConfigFiles.edit(ConfigFiles.contract(), "DBC: 0.075 }", "DBC: 0.07505 }");

        assertThat(ConfigLoader.parse(yaml, Path.of("keel.yaml"), dir).accounts()).hasSize(1);
    }

    @Test
    void unknownKeyNamesItsNearestKnownKey() {
        List<String> problems = problemsOf(ConfigFiles.edit(ConfigFiles.contract(), "latency: 20ms", "latnecy: 20ms"));

        assertThat(problems).containsExactly("keel.yaml:7: broker.paper.latnecy: unknown key; did you mean 'latency'?");
    }

    @Test
    void unknownKeyFarFromAnyListsTheKnownOnes() {
        List<String> problems = problemsOf(ConfigFiles.MINIMAL + "colour: blue\n");

        assertThat(problems).containsExactly("keel.yaml:4: colour: unknown key; expected one of journal, broker,"
                + " accounts, retry, circuit-breaker, resilience, risk, notifications, market-data, operations, serve, events");
    }

    @Test
    void eventsFromRedisNeedItsUrlAndAtLeastOneDelivery() {
        List<String> problems = problemsOf(ConfigFiles.MINIMAL + "events: { kind: redis, max-deliveries: 0 }\n");

        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("keel.yaml:4: events.url: is required for kind redis");
        assertThat(problems.get(1)).startsWith("keel.yaml:4: events.max-deliveries: ").contains("but was 0");
    }

    @Test
    void anAllocationHostIsAHostNameNotAUrl() {
        List<String> problems = problemsOf(ConfigFiles.MINIMAL
                + "events: { allocation-hosts: [ 'https://alloc.example.com/x' ] }\n");

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).startsWith("keel.yaml:4: events.allocation-hosts[0]: expected a host name such as"
                + " alloc.example.com (no scheme, port or path), but was 'https://alloc.example.com/x'");
    }

    @Test
    void eventsDefaultToTheEmbeddedInboxAndReadEveryKey() {
        KeelConfig config = ConfigLoader.parse(ConfigFiles.MINIMAL + """
                events: { kind: redis, url: 'redis://127.0.0.1:6379', stream: 's', group: 'g', max-deliveries: 3,
                          max-payload: 1024, visibility-timeout: 1m, backoff: 2s, max-backoff: 1m, idle: 1s,
                          allocation-hosts: [ Alloc.Example.com, weights.internal ] }
                """, Path.of("keel.yaml"), dir);
        assertThat(config.events()).isEqualTo(new EventsSettings(EventsSettings.Kind.REDIS,
                "redis://127.0.0.1:6379", "s", "g", 3, 1024, java.time.Duration.ofMinutes(1),
                java.time.Duration.ofSeconds(2), java.time.Duration.ofMinutes(1), java.time.Duration.ofSeconds(1),
                List.of("alloc.example.com", "weights.internal")));
        assertThat(config.events().backoffAfter(1)).isEqualTo(java.time.Duration.ofSeconds(2));
        assertThat(config.events().backoffAfter(3)).isEqualTo(java.time.Duration.ofSeconds(8));
        assertThat(config.events().backoffAfter(10)).isEqualTo(java.time.Duration.ofMinutes(1));
        assertThat(ConfigLoader.parse(ConfigFiles.MINIMAL, Path.of("keel.yaml"), dir).events())
                .isEqualTo(EventsSettings.DEFAULTS);
    }

    @Test
    void protectionGraceMustBeAPositiveDuration() {
        List<String> problems = problemsOf(ConfigFiles.MINIMAL + "operations: { protection-grace: 0s }\n");

        assertThat(problems).singleElement().asString().startsWith("keel.yaml:4: operations.protection-grace: ")
                .contains("but was 0s");
    }

    @Test
    void durationWithoutUnitSaysWhatADurationLooksLike() {
        List<String> problems = problemsOf(ConfigFiles.edit(ConfigFiles.contract(), "open-for: 30s", "open-for: 30"));

        assertThat(problems).containsExactly("keel.yaml:22: circuit-breaker.open-for: expected a duration like 20ms,"
                + " 1s, 30s, 5m, 1h or 90d, but was 30");
    }

    @Test
    void unknownFaultKindListsTheKindsAndSuggestsTheNearest() {
        List<String> problems = problemsOf(ConfigFiles.edit(ConfigFiles.contract(), "kind: rate-limited",
                "kind: timeout-afterr-accept"));

        assertThat(problems).containsExactly("keel.yaml:13: broker.paper.faults[1].kind: expected one of reject,"
                + " rate-limited, server-error, timeout-before-accept, timeout-after-accept, connection-reset, slow,"
                + " partial-fill, no-fill, stale-quote, no-quote, stream-drop, but was 'timeout-afterr-accept';"
                + " did you mean 'timeout-after-accept'?");
    }

    @Test
    void rejectWithoutReasonNamesTheReasons() {
        List<String> problems = problemsOf(ConfigFiles.edit(ConfigFiles.contract(), "reason: symbol-not-found, ", ""));

        assertThat(problems).containsExactly("keel.yaml:14: broker.paper.faults[2].reason: is missing; expected one of"
                + " insufficient-buying-power, symbol-not-found, market-closed, invalid-order, unauthorized"
                + " (kind reject needs it)");
    }

    @Test
    void faultFieldsThatDoNotFitTheKindAreRefused() {
        List<String> problems = problemsOf(ConfigFiles.edit(ConfigFiles.contract(),
                "{ op: submit, kind: timeout-after-accept, nth: 2 }",
                "{ op: cancel, kind: partial-fill, fraction: 1.0, delay: 1s, nth: 2, probability: 0.5 }"));

        assertThat(problems).containsExactly(
                "keel.yaml:12: broker.paper.faults[0].fraction: must be in (0, 1), but was 1.0",
                "keel.yaml:12: broker.paper.faults[0].probability: cannot be combined with nth; a fault fires on the"
                        + " nth call or by chance, not both",
                "keel.yaml:12: broker.paper.faults[0].delay: applies only to kind slow, but kind is partial-fill",
                "keel.yaml:12: broker.paper.faults[0].op: kind partial-fill happens only on op submit, but op is cancel");
    }

    @Test
    void theStreamOpTakesOnlyStreamDropAndStreamDropOnlyIt() {
        List<String> problems = problemsOf(ConfigFiles.edit(ConfigFiles.contract(),
                "{ op: submit, kind: timeout-after-accept, nth: 2 }", "{ op: stream, kind: server-error, nth: 2 }"));
        List<String> reversed = problemsOf(ConfigFiles.edit(ConfigFiles.contract(),
                "{ op: submit, kind: timeout-after-accept, nth: 2 }", "{ op: submit, kind: stream-drop, nth: 2 }"));

        assertThat(problems).containsExactly(
                "keel.yaml:12: broker.paper.faults[0].op: op stream takes only kind stream-drop, but kind is server-error");
        assertThat(reversed).containsExactly(
                "keel.yaml:12: broker.paper.faults[0].op: kind stream-drop happens only on op stream, but op is submit");
    }

    @Test
    void lowerCaseSymbolIsRefusedWithTheUpperCaseSpelling() {
        List<String> problems = problemsOf(ConfigFiles.edit(ConfigFiles.contract(), "targets: { VTI: 0.30",
                "targets: { vti: 0.30"));

        assertThat(problems).containsExactly("keel.yaml:17: accounts[0].targets.vti: symbol must be 1-16 upper-case"
                + " letters, digits, '.', '-' or '/', but was 'vti'; symbols are upper case: 'VTI'");
    }

    @Test
    void symbolThatCannotBeATickerIsRefused() {
        List<String> problems = problemsOf(ConfigFiles.edit(ConfigFiles.contract(), "symbol: DBC", "symbol: 'D B C'"));

        assertThat(problems).singleElement().asString()
                .startsWith("keel.yaml:14: broker.paper.faults[2].symbol: symbol must be 1-16 upper-case letters");
    }

    @Test
    void duplicateAccountIdNamesTheFirstUse() {
        List<String> problems = problemsOf(ConfigFiles.MINIMAL + """
                  - id: main
                    targets: { TLT: 1.0 }
                """);

        assertThat(problems).containsExactly("keel.yaml:4: accounts[1].id: duplicate account id 'main';"
                + " accounts[0] already uses it");
    }

    @Test
    void literalSecretIsRefusedWithAdviceToUseTheEnvironment() {
        List<String> problems = problemsOf(ConfigFiles.MINIMAL + """
                broker:
                  kind: paper
                  alpaca:
                    key-id: AKFAKE
                    secret-key: not-a-real-secret
                """);

        assertThat(problems).hasSize(2).allSatisfy(p -> assertThat(p)
                .contains("literal secrets do not belong in a config file; set APCA_API_KEY_ID and APCA_API_SECRET_KEY"
                        + " in the environment"));
        assertThat(problems.get(0)).startsWith("keel.yaml:7: broker.alpaca.key-id: ");
        assertThat(problems.get(1)).startsWith("keel.yaml:8: broker.alpaca.secret-key: ");
        assertThat(String.join("\n", problems)).doesNotContain("AKFAKE", "not-a-real-secret");
    }

    @Test
    void secretAnywhereIsASecretNotAnUnknownKey() {
        List<String> problems = problemsOf(ConfigFiles.MINIMAL + "api_token: abc\n");

        assertThat(problems).singleElement().asString().startsWith("keel.yaml:4: api_token: literal secrets");
    }

    @Test
    void passwordInTheJournalUrlIsASecret() {
        List<String> problems = problemsOf("journal: postgresql://db:5432/keel?user=keel&password=hunter2\n"
                + ConfigFiles.MINIMAL);

        assertThat(problems).containsExactly("keel.yaml:1: journal: holds a literal password; secrets do not belong"
                + " in a config file: set PGPASSWORD in the environment or use ~/.pgpass");
    }

    @Test
    void alpacaLiveEndpointIsRefusedUnlessTheConfigSaysLive() {
        List<String> problems = problemsOf(ConfigFiles.MINIMAL + "broker: { kind: alpaca, alpaca: { endpoint: live } }\n");

        assertThat(problems).singleElement().asString()
                .startsWith("keel.yaml:4: broker.alpaca.endpoint: 'live' is Alpaca's live endpoint, which trades real"
                        + " money; add broker.alpaca.live: true to mean it");
    }

    @Test
    void alpacaLiveEndpointIsAcceptedWhenTheConfigSaysLive() {
        KeelConfig config = ConfigLoader.parse(ConfigFiles.MINIMAL
                + "broker: { kind: alpaca, alpaca: { endpoint: live, live: true } }\n", Path.of("keel.yaml"), dir);

        assertThat(config.broker().alpaca().endpoint()).hasToString("https://api.alpaca.markets");
        assertThat(config.broker().alpaca().live()).isTrue();
        assertThat(config.resilience().rateLimit().calls()).as("Alpaca's published limit is the default").isEqualTo(200);
        assertThat(config.resilience().rateLimit().scope()).as("Alpaca counts per key, one key per account")
                .isEqualTo(RateLimitPolicy.Scope.ACCOUNT);
    }

    @Test
    void alpacaEndpointMustBePaperLiveOrAUrl() {
        List<String> problems = problemsOf(ConfigFiles.MINIMAL + "broker: { kind: alpaca, alpaca: { endpoint: papr } }\n");

        assertThat(problems).singleElement().asString()
                .startsWith("keel.yaml:4: broker.alpaca.endpoint: expected paper, live or an http(s) URL, but was 'papr'");
    }

    @Test
    void alpacaKeyFileInsideAGitWorkingTreeIsRefused() throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir.resolve(".git"));
        List<String> problems = problemsOf(ConfigFiles.MINIMAL
                + "broker: { kind: alpaca, alpaca: { key-file: secrets/alpaca.keys } }\n");

        assertThat(problems).singleElement().asString().startsWith("keel.yaml:4: broker.alpaca.key-file: '")
                .contains("is inside the git working tree");
    }

    @Test
    void everyProblemIsCollectedInFileOrder() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(withTypos(), Path.of("keel.yaml"), dir));

        assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID);
        assertThat(e.problems()).extracting(ConfigProblem::line).isSorted();
        assertThat(e.problems()).extracting(ConfigProblem::path).containsExactly("journal", "broker.paper.latency",
                "broker.paper.faults[1].kind", "accounts[0].id", "retry.max-attempts", "notifications[0].path");
        assertThat(e.getMessage().lines()).hasSize(6).allMatch(line -> line.startsWith("keel.yaml:"));
    }

    @Test
    void brokenYamlIsReportedWithItsLine() {
        List<String> problems = problemsOf("accounts:\n  - id: main\n    targets: { VTI: 1.0\n");

        assertThat(problems).singleElement().asString().startsWith("keel.yaml:").contains(": not valid YAML: ");
    }

    @Test
    void duplicateKeyNamesTheLineOfTheFirst() {
        assertThat(problemsOf(ConfigFiles.MINIMAL + "risk: { max-order: 10 }\nrisk: { max-order: 20 }\n"))
                .containsExactly("keel.yaml:5: risk: duplicate key; it was already given on line 4");
    }

    @Test
    void secondYamlDocumentIsRefusedNotIgnored() {
        assertThat(problemsOf(ConfigFiles.MINIMAL + "---\njournal: sqlite:other.db\n")).singleElement().asString()
                .contains("not valid YAML: a config file holds one YAML document, but this one has more");
    }

    @Test
    void emptyFileSaysWhatItNeeds() {
        assertThat(problemsOf("# nothing yet\n")).containsExactly(
                "keel.yaml: the file is empty; it needs at least an 'accounts' list");
    }

    @Test
    void missingAccountsIsReported() {
        assertThat(problemsOf("journal: sqlite:x.db\n")).containsExactly(
                "keel.yaml:1: accounts: is missing; expected a list of accounts, each with an id and targets");
    }

    @Test
    void wrongShapesSayWhatWasExpected() {
        List<String> problems = problemsOf("""
                accounts:
                  - id: main
                    targets: [VTI, TLT]
                retry: 3
                """);

        assertThat(problems).containsExactly(
                "keel.yaml:3: accounts[0].targets: expected a mapping, but was a list",
                "keel.yaml:4: retry: expected a mapping, but was 3");
    }

    @Test
    void missingFileIsAConfigProblemNotACrash() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.load(dir.resolve("absent.yaml"), dir));

        assertThat(e.getMessage()).isEqualTo(dir.resolve("absent.yaml") + ": cannot be read: no such file");
    }

    private String withTypos() {
        String yaml = ConfigFiles.contract();
        yaml = ConfigFiles.edit(yaml, "journal: sqlite:", "journal: mysql:");
        yaml = ConfigFiles.edit(yaml, "latency: 20ms", "latency: fast");
        yaml = ConfigFiles.edit(yaml, "kind: rate-limited", "kind: rate-limit");
        yaml = ConfigFiles.edit(yaml, "id: main", "id: Main");
        yaml = ConfigFiles.edit(yaml, "max-attempts: 4", "max-attempts: 0");
        return ConfigFiles.edit(yaml, "{ kind: console }", "{ kind: console, path: x.log }");
    }

    @Test
    void orderClassesMustBeAYamlBoolean() {
        List<String> problems = problemsOf(ConfigFiles.edit(ConfigFiles.contract(), "latency: 20ms",
                "latency: 20ms\n    order-classes: \"no\""));

        assertThat(problems).containsExactly("keel.yaml:8: broker.paper.order-classes: expected true or false, but was 'no'");
    }

    private List<String> problemsOf(String yaml) {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> ConfigLoader.parse(yaml, Path.of("keel.yaml"), dir));
        assertThat(e).as("expected the file to be refused").isNotNull();
        assertThat(e.getMessage().lines().toList()).isEqualTo(e.problems().stream().map(ConfigProblem::toString).toList());
        return e.getMessage().lines().toList();
    }
}
