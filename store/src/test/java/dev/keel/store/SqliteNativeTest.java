package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite's native library kept in a folder across processes. Each case runs in a child JVM, as a command does: the
 * driver loads its library once per process, and this test's own JVM has loaded it already.
 */
class SqliteNativeTest {
    @TempDir
    Path dir;

    @Test
    void theFirstProcessWritesTheLibraryAndTheNextLoadsThatCopyAsItIs() throws Exception {
        Path folder = dir.resolve("native");

        Child first = Child.run(folder, dir.resolve("a.db"));

        assertThat(first.kept()).as(first.output).isNotEqualTo("null").startsWith(folder.toString());
        Path library = Path.of(first.kept());
        assertThat(first.loadedFrom()).isEqualTo(library.getParent().toString());
        assertThat(first.answer()).isEqualTo("3");
        assertThat(leftovers(folder)).containsExactly(library);
        FileTime written = FileTime.from(Instant.parse("2026-01-02T03:04:05Z"));
        Files.setLastModifiedTime(library, written);

        Child second = Child.run(folder, dir.resolve("b.db"));

        assertThat(second.kept()).isEqualTo(library.toString());
        assertThat(second.answer()).isEqualTo("3");
        assertThat(Files.getLastModifiedTime(library)).as("loaded as it was, not written again").isEqualTo(written);
    }

    @Test
    void aDamagedCopyIsLeftForTheDriversOwnWayAndRemovedForTheNextProcessToWriteAnew() throws Exception {
        Path folder = dir.resolve("native");
        Path library = Path.of(Child.run(folder, dir.resolve("a.db")).kept());
        long size = Files.size(library);
        Files.write(library, new byte[(int) size]); // the same size: only a load can tell

        Child damaged = Child.run(folder, dir.resolve("b.db"));

        assertThat(damaged.kept()).as(damaged.output).isEqualTo("null");
        assertThat(damaged.loadedFrom()).as("the driver's own way").isEqualTo("null");
        assertThat(damaged.answer()).as(damaged.output).isEqualTo("3");
        assertThat(library).doesNotExist();

        Child next = Child.run(folder, dir.resolve("c.db"));

        assertThat(next.kept()).isEqualTo(library.toString());
        assertThat(next.answer()).isEqualTo("3");
        assertThat(Files.size(library)).isEqualTo(size);
    }

    @Test
    void aCopyCutShortIsWrittenAgain() throws Exception {
        Path folder = dir.resolve("native");
        Path library = Path.of(Child.run(folder, dir.resolve("a.db")).kept());
        long size = Files.size(library);
        Files.write(library, new byte[16]);

        Child next = Child.run(folder, dir.resolve("b.db"));

        assertThat(next.kept()).isEqualTo(library.toString());
        assertThat(next.answer()).isEqualTo("3");
        assertThat(Files.size(library)).isEqualTo(size);
        assertThat(leftovers(folder)).containsExactly(library);
    }

    /** Every file under {@code folder}: the library, and no half-written part beside it. */
    private static List<Path> leftovers(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** What a child process said: the library kept, the folder the driver was told, and 1 + 2 from SQLite. */
    private record Child(String output) {
        static Child run(Path folder, Path db) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), folder.toString(), db.toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            return new Child(output);
        }

        String kept() {
            return field("kept");
        }

        String loadedFrom() {
            return field("path");
        }

        String answer() {
            return field("answer");
        }

        private String field(String name) {
            return output.lines().filter(l -> l.startsWith(name + "=")).findFirst()
                    .map(l -> l.substring(name.length() + 1)).orElseThrow(() -> new AssertionError(output));
        }
    }

    /** The child: keeps the library in {@code args[0]}, then asks SQLite a question on {@code args[1]}. */
    public static final class Main {
        public static void main(String[] args) throws Exception {
            System.out.println("kept=" + SqliteNative.keepIn(Path.of(args[0])));
            System.out.println("path=" + System.getProperty("org.sqlite.lib.path"));
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + args[1]);
                 ResultSet rs = c.createStatement().executeQuery("SELECT 1 + 2")) {
                rs.next();
                System.out.println("answer=" + rs.getInt(1));
            }
        }
    }
}
