package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
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
        assertThat(leftovers(folder)).containsExactlyInAnyOrder(library, noted(library));
        FileTime written = FileTime.from(Instant.parse("2026-01-02T03:04:05Z"));
        Files.setLastModifiedTime(library, written);

        Child second = Child.run(folder, dir.resolve("b.db"));

        assertThat(second.kept()).isEqualTo(library.toString());
        assertThat(second.answer()).isEqualTo("3");
        assertThat(Files.getLastModifiedTime(library)).as("loaded as it was, not written again").isEqualTo(written);
    }

    @Test
    void aDamagedCopyIsWrittenAgainAndLoaded() throws Exception {
        Path folder = dir.resolve("native");
        Path library = Path.of(Child.run(folder, dir.resolve("a.db")).kept());
        long size = Files.size(library);
        Files.write(library, new byte[(int) size]); // the same size: only a load can tell

        Child next = Child.run(folder, dir.resolve("b.db"));

        assertThat(next.kept()).as(next.output).isEqualTo(library.toString());
        assertThat(next.loadedFrom()).isEqualTo(library.getParent().toString());
        assertThat(next.answer()).as(next.output).isEqualTo("3");
        assertThat(Files.readAllBytes(library)).as("written again").isNotEqualTo(new byte[(int) size]);
        assertThat(leftovers(folder)).containsExactlyInAnyOrder(library, noted(library));
    }

    @Test
    void aFolderItCannotWriteLeavesTheDriverToItsOwnWay() throws Exception {
        Path folder = dir.resolve("native");
        Path library = Path.of(Child.run(folder, dir.resolve("a.db")).kept());
        Files.delete(library);
        Files.delete(noted(library));
        Files.delete(library.getParent());
        Files.writeString(library.getParent(), "a file where the library's folder would be");

        Child next = Child.run(folder, dir.resolve("b.db"));

        assertThat(next.kept()).as(next.output).isEqualTo("null");
        assertThat(next.loadedFrom()).as("the driver's own way").isEqualTo("null");
        assertThat(next.answer()).as(next.output).isEqualTo("3");
    }

    @Test
    void aProcessThatFindsItsCopyStartsNoOtherProcess() throws Exception {
        Path folder = dir.resolve("native");
        Path calls = dir.resolve("uname-calls");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path uname = bin.resolve("uname");
        // The driver asks 'uname -o' which of its libraries this system needs; this one notes each question.
        Files.writeString(uname, String.join("\n", "#!/bin/sh", "echo \"$*\" >> '" + calls + "'",
                "PATH='" + System.getenv("PATH") + "' exec uname \"$@\"", ""));
        Files.setPosixFilePermissions(uname, PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = bin + ":" + System.getenv("PATH");

        Child first = Child.run(folder, dir.resolve("a.db"), path);
        assertThat(first.kept()).as(first.output).isNotEqualTo("null");
        assertThat(calls).as("the process that writes the copy asks which library to write").exists();
        Files.delete(calls);

        Child second = Child.run(folder, dir.resolve("b.db"), path);

        assertThat(second.kept()).isEqualTo(first.kept());
        assertThat(second.answer()).isEqualTo("3");
        assertThat(calls).as("a command's start runs no uname").doesNotExist();
    }

    @Test
    void aCopyCutShortIsWrittenAgain() throws Exception {
        Path folder = dir.resolve("native");
        Path library = Path.of(Child.run(folder, dir.resolve("a.db")).kept());
        long size = Files.size(library);
        // Cut short past its headers, as a disk that filled up might leave it: such a copy can still load, and fail
        // only once code past its end runs.
        try (var file = java.nio.channels.FileChannel.open(library, java.nio.file.StandardOpenOption.WRITE)) {
            file.truncate(size * 9 / 10);
        }

        Child next = Child.run(folder, dir.resolve("b.db"));

        assertThat(next.kept()).isEqualTo(library.toString());
        assertThat(next.answer()).isEqualTo("3");
        assertThat(Files.size(library)).isEqualTo(size);
        assertThat(leftovers(folder)).containsExactlyInAnyOrder(library, noted(library));
    }

    /** The note of the library's length as written, which a later process checks the copy against. */
    private static Path noted(Path library) {
        return library.resolveSibling(library.getFileName() + ".length");
    }

    /** Every file under {@code folder}: the library and its note, and no half-written part beside them. */
    private static List<Path> leftovers(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    /** What a child process said: the library kept, the folder the driver was told, and 1 + 2 from SQLite. */
    private record Child(String output) {
        static Child run(Path folder, Path db) throws Exception {
            return run(folder, db, System.getenv("PATH"));
        }

        static Child run(Path folder, Path db, String path) throws Exception {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), folder.toString(), db.toString())
                    .redirectErrorStream(true);
            builder.environment().put("PATH", path);
            Process p = builder.start();
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
