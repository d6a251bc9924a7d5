package dev.keel.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run the launcher trains its class-data archive on after a build (the {@code keel} script): the commands
 * people run most, one after the other in this one JVM, on a scratch journal and paper exchange, so that the
 * archive holds the classes each of them loads, linked. Trained on {@code account status --offline} alone, the
 * archive left out the ~350 classes of a rebalance (the saga, the execution, the paper exchange's matching, most
 * journal events), which {@code keel rebalance} and {@code keel recover} then read from their jars, inflated and
 * verified at every start (issue 15). The rebalance meets a lost answer, so the lookups' classes are in too.
 *
 * <p>Not a command: the launcher throws its output away and ignores its exit code, since a training that fails only
 * leaves a smaller archive ({@code LauncherTrainingTest} runs it).
 */
public final class LauncherTraining {
    private LauncherTraining() {
    }

    /** @param args the scratch folder, which must exist and is left to the caller to delete */
    public static void main(String[] args) throws IOException {
        Main.keepNativeLibrary();
        train(Path.of(args[0]));
        System.exit(0);
    }

    /**
     * Runs the training's commands in this JVM on a scratch configuration written to {@code dir}, their output thrown
     * away; returns each command line (without its {@code --config}) with its exit code.
     */
    static Map<String, Integer> train(Path dir) throws IOException {
        Path folder = dir.toAbsolutePath();
        String config = folder.resolve("keel.yaml").toString();
        Files.writeString(folder.resolve("keel.yaml"), String.join("\n",
                "journal: sqlite:" + folder.resolve("keel.db"),
                "broker:",
                "  kind: paper",
                "  paper:",
                "    state: " + folder.resolve("paper.db"),
                "    cash: 10000.00",
                "    positions: { VTI: 10 }",
                "    prices: { VTI: 250.00, TLT: 90.00 }",
                "    faults: [ { op: submit, kind: timeout-after-accept, symbol: TLT, times: 1 } ]",
                "notifications: [ { kind: file, path: " + folder.resolve("notifications.log") + " } ]",
                "accounts: [ { id: train, targets: { VTI: 0.6, TLT: 0.4 } } ]",
                ""), StandardCharsets.UTF_8);
        List<List<String>> commands = List.of(
                List.of("account", "status", "--offline", "--json"),
                List.of("rebalance", "--account", "train", "--json"),
                List.of("rebalance", "--account", "train"),
                List.of("tx", "list"),
                List.of("tx", "list", "--json"),
                List.of("status"),
                List.of("status", "--json"),
                List.of("account", "status"),
                List.of("recover", "--json"));
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        Map<String, Integer> codes = new LinkedHashMap<>();
        for (List<String> command : commands) {
            List<String> line = new ArrayList<>(command);
            line.add("--config");
            line.add(config);
            codes.put(String.join(" ", command), Main.run(line.toArray(String[]::new), discard, discard));
        }
        return codes;
    }
}
