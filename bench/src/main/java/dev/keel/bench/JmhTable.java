package dev.keel.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Prints a JMH JSON result file ({@code -rf json -rff FILE}) as the README's table: per benchmark and parameters,
 * the median and the range of every measured iteration of every fork. {@code bench/run-jmh --table FILE}.
 */
public final class JmhTable {
    private JmhTable() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: bench/run-jmh --table RESULT.json");
            System.exit(2);
        }
        JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
        System.out.printf("%-48s %-22s %8s %36s %8s%n", "BENCHMARK", "PARAMS", "THREADS", "MEDIAN (MIN-MAX)", "UNIT");
        for (JsonNode r : results) {
            List<Double> samples = new ArrayList<>();
            r.get("primaryMetric").get("rawData").forEach(fork -> fork.forEach(v -> samples.add(v.asDouble())));
            samples.sort(Double::compare);
            int n = samples.size();
            double median = n % 2 == 1 ? samples.get(n / 2) : (samples.get(n / 2 - 1) + samples.get(n / 2)) / 2;
            String name = r.get("benchmark").asText().replace("dev.keel.bench.", "");
            System.out.printf("%-48s %-22s %8d %36s %8s%n", name, params(r.get("params")), r.get("threads").asInt(),
                    format(median) + " (" + format(samples.get(0)) + "-" + format(samples.get(n - 1)) + ")",
                    r.get("primaryMetric").get("scoreUnit").asText());
        }
    }

    private static String params(JsonNode params) {
        if (params == null) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            parts.add(e.getKey() + "=" + e.getValue().asText());
        }
        return String.join(",", parts);
    }

    private static String format(double v) {
        return v >= 100 ? String.format("%,.0f", v) : String.format("%.2f", v);
    }
}
