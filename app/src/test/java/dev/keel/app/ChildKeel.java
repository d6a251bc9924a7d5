package dev.keel.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** Keel as a separate process, for the tests that kill it: start it, and watch its journal from outside. */
final class ChildKeel {
    private ChildKeel() {
    }

    /** Starts {@code keel ARGS} in a child JVM on this test's classpath; its stderr goes to {@code stderr-ARG0.txt}. */
    static Process start(Path workDir, String... args) throws IOException {
        return builder(workDir, args).start();
    }

    /**
     * As {@link #start}, with stdout (where the test classpath's logback writes the log) going to
     * {@code stdout-ARG0.txt}, for the tests that read what the child logged.
     */
    static Process startLogged(Path workDir, String... args) throws IOException {
        return builder(workDir, args).redirectOutput(workDir.resolve("stdout-" + args[0] + ".txt").toFile()).start();
    }

    private static ProcessBuilder builder(Path workDir, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), "dev.keel.app.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workDir.toFile())
                .redirectError(workDir.resolve("stderr-" + args[0] + ".txt").toFile());
    }

    /**
     * Reads the SQLite journal file directly, as another process may: has the intent of this leg been made durable?
     * False while the file or its schema does not exist yet.
     */
    static boolean intentJournaled(Path db, String leg) {
        if (!Files.exists(db)) {
            return false;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT count(*) FROM events WHERE type = 'OrderIntentRecorded' AND payload LIKE '%:" + leg + "%'")) {
            return rs.next() && rs.getInt(1) > 0;
        } catch (SQLException e) {
            return false; // the schema may not exist yet while the engine starts
        }
    }
}
