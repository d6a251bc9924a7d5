package dev.keel.app;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.keel.app.config.WireName;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a command prints, in one of two modes. Human mode: text lines and {@link Table}s on stdout, progress and
 * errors on stderr. JSON mode ({@code --json}): exactly one JSON document on stdout (pretty-printed; snake_case keys; BigDecimal as
 * plain numbers, instants as ISO-8601, durations as ISO-8601 {@code PT1S}, paths as strings, config enums as their
 * YAML spelling) and nothing else there, so {@code keel ... --json | jq} always works.
 *
 * <p>A command builds its result as a value and hands it to {@link #result(Object, Consumer)}:
 * <pre>{@code
 * Output output = Output.of(spec, json.enabled());
 * output.result(report, r -> output.table(tableOf(r)));
 * }</pre>
 */
public final class Output {
    private static final ObjectMapper JSON = jsonMapper();

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;

    private Output(PrintWriter out, PrintWriter err, boolean json) {
        this.out = out;
        this.err = err;
        this.json = json;
    }

    /** The output of the running picocli command (its out and err writers). */
    public static Output of(CommandSpec spec, boolean json) {
        return new Output(spec.commandLine().getOut(), spec.commandLine().getErr(), json);
    }

    public static Output human(PrintWriter out, PrintWriter err) {
        return new Output(out, err, false);
    }

    public static Output json(PrintWriter out, PrintWriter err) {
        return new Output(out, err, true);
    }

    public boolean isJson() {
        return json;
    }

    /** The command's result: the document as JSON in JSON mode, otherwise {@code human} renders it. */
    public <T> void result(T document, Consumer<? super T> human) {
        if (json) {
            try {
                out.println(JSON.writeValueAsString(document));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException("cannot write " + document.getClass().getSimpleName() + " as JSON", e);
            }
        } else {
            human.accept(document);
        }
        out.flush();
    }

    /** A line of text on stdout; ignored in JSON mode. */
    public void line(String text) {
        if (!json) {
            out.println(text);
        }
    }

    /** A table on stdout; ignored in JSON mode. */
    public void table(Table table) {
        if (!json) {
            table.lines().forEach(out::println);
        }
    }

    /** A message for the user on stderr, in both modes. */
    public void error(String text) {
        err.println(text);
        err.flush();
    }

    /** Progress of {@code total} steps (0 if unknown): lines on stderr in human mode, silent in JSON mode. */
    public Progress progress(int total) {
        return new Progress(err, json, total);
    }

    /**
     * The naming of every document: snake_case, with the transaction log's own name for a transaction's id: a record's {@code txId} (the code's
     * short name) is {@code transaction_id} in every document, as {@code keel tx list} prints it, never {@code tx_id}.
     */
    private static final class TransactionLogNames extends PropertyNamingStrategies.SnakeCaseStrategy {
        private static final long serialVersionUID = 1L;

        @Override
        public String translate(String name) {
            return switch (name) {
                case "txId" -> "transaction_id";
                case "txIds" -> "transaction_ids";
                default -> super.translate(name);
            };
        }
    }

    /** The JSON mapper of {@code --json}, for anyone who must write the same shapes (tests, the server later). */
    public static ObjectMapper jsonMapper() {
        SimpleModule keel = new SimpleModule("keel-output");
        keel.addSerializer(Path.class, ToStringSerializer.instance);
        keel.addSerializer(dev.keel.core.model.Symbol.class, ToStringSerializer.instance);
        keel.addSerializer(dev.keel.core.execution.ResiliencePolicies.class, new ResilienceJson());
        keel.addSerializer(WireName.class, new JsonSerializer<>() {
            @Override
            public void serialize(WireName value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
                gen.writeString(value.wire());
            }
        });
        return JsonMapper.builder()
                // Every --json key in the transaction log's snake_case, named or not (explicit names stay as written).
                .propertyNamingStrategy(new TransactionLogNames())
                .addModule(new JavaTimeModule())
                .addModule(keel)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .build();
    }
}
