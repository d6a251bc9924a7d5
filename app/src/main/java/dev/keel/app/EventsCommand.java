package dev.keel.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.keel.app.config.KeelConfig;
import dev.keel.app.intake.EventParser;
import dev.keel.app.intake.EventRejected;
import dev.keel.app.intake.Intake;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keel events push}: events for the workers, into the configured event source. */
@Command(name = "events", description = "Events for 'keel worker': push them into the configured event source.",
        subcommands = {EventsCommand.Push.class})
final class EventsCommand extends CommandGroup {

    /** {@code keel events push [FILE|-]}: one JSON object, or JSON lines. */
    @Command(name = "push", description = "Push events (one JSON object, or one per line) from FILE or stdin. Every "
            + "event is checked first as a worker would (JSON, known account and type, weights summing to 1, size); "
            + "if one fails, none is pushed.")
    static final class Push extends ConfiguredCommand {
        // Trailing tokens fail: two JSON lines are two events, never the first of them alone.
        private static final ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
                .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

        @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", defaultValue = "-",
                description = "The events; '-' (the default) reads stdin.")
        String file;

        @Option(names = "--no-check", description = "Push as given, leaving the checks to the worker, which "
                + "dead-letters what fails them (to rehearse the dead-letter path).")
        boolean noCheck;

        /** One event pushed, or found already there. */
        record Pushed(String eventId, String accountId, String type, boolean queued) {
        }

        record Report(int pushed, int alreadyQueued, List<Pushed> events) {
        }

        @Override
        public Integer call() {
            Output output = output();
            KeelConfig config = loadConfig();
            List<String> bodies = bodies(read());
            EventParser parser = EventParser.of(config, config.accounts().stream().map(a -> a.id()).toList());
            List<String> problems = new ArrayList<>();
            List<String[]> events = new ArrayList<>(); // id, account, type, body
            for (int i = 0; i < bodies.size(); i++) {
                String body = bodies.get(i);
                if (!noCheck) {
                    try {
                        parser.parse(body);
                    } catch (EventRejected e) {
                        problems.add("event " + (i + 1) + ": " + e.getMessage());
                        continue;
                    }
                }
                events.add(fields(body));
            }
            if (!problems.isEmpty()) {
                throw new KeelException(ErrorCode.EVENT_INVALID, (file.equals("-") ? "stdin" : file) + ": "
                        + problems.size() + " of " + bodies.size() + " event(s) cannot run, so none was pushed: "
                        + String.join("; ", problems));
            }
            List<Pushed> pushed = new ArrayList<>();
            try (Intake.Opened opened = Intake.open(config, Clock.systemUTC(), Intake.defaultConsumer())) {
                for (String[] e : events) {
                    boolean queued = opened.source().push(e[0], e[1], e[3]);
                    pushed.add(new Pushed(e[0], e[1], e[2], queued));
                }
            }
            int queued = (int) pushed.stream().filter(Pushed::queued).count();
            output.result(new Report(queued, pushed.size() - queued, pushed), r -> {
                Table t = new Table("EVENT", "ACCOUNT", "TYPE", "RESULT");
                r.events().forEach(p -> t.row(p.eventId(), p.accountId(), p.type(),
                        p.queued() ? "queued" : "already there (not queued again)"));
                output.table(t);
                output.line("Pushed " + r.pushed() + " event(s)" + (r.alreadyQueued() == 0 ? "" : ", "
                        + r.alreadyQueued() + " already there") + ".");
            });
            return ExitCodes.OK;
        }

        private String read() {
            try {
                if (file.equals("-")) {
                    InputStream in = System.in;
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                return Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new KeelException(ErrorCode.USAGE_INVALID, "cannot read " + file + ": " + e.getMessage());
            }
        }

        /** The whole text as one event when it is one JSON value, otherwise one event per non-blank line. */
        static List<String> bodies(String text) {
            String whole = text.strip();
            if (whole.isEmpty()) {
                return List.of();
            }
            try {
                JsonNode node = JSON.readTree(whole);
                if (node != null && node.isObject()) {
                    return List.of(JSON.writeValueAsString(node));
                }
            } catch (JsonProcessingException e) {
                // not one value: JSON lines
            }
            return whole.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        }

        /** The event id, account and type the body names, or a digest of the body as its id when it names none. */
        static String[] fields(String body) {
            String id = null;
            String account = null;
            String type = null;
            try {
                JsonNode node = JSON.readTree(body);
                if (node != null && node.isObject()) {
                    id = node.path("event_id").isTextual() ? node.get("event_id").asText() : null;
                    account = node.path("account_id").isTextual() ? node.get("account_id").asText() : null;
                    type = node.path("type").isTextual() ? node.get("type").asText() : null;
                }
            } catch (JsonProcessingException e) {
                // not JSON: pushed under its digest, and dead-lettered by the worker
            }
            return new String[] {id == null || id.isBlank() ? digest(body) : id, account, type, body};
        }

        private static String digest(String body) {
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(body.getBytes(StandardCharsets.UTF_8));
                return "sha256-" + HexFormat.of().formatHex(hash, 0, 8);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", e);
            }
        }
    }
}
