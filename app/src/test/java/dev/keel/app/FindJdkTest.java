package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/find-jdk}, which the launcher sources on every command's start to find a JDK 21+ without starting a
 * process: the order of its candidates and how it reads a JDK's version. The JDKs here are folders made to look like
 * one (a {@code bin/javac} and a {@code release} file, or a {@code bin/java} that answers), so each case decides its
 * answer whatever JDKs the machine has: the explicit choices come first in the order.
 */
class FindJdkTest {
    private static final Path SCRIPT = Path.of("..", "bin", "find-jdk").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void keelJavaHomeComesFirstAndAnOlderJdkIsPassedOverForTheNext() throws Exception {
        Path old = jdk("old", "JAVA_VERSION=\"17.0.15\"");
        Path current = jdk("current", "JAVA_VERSION=\"21.0.5\"");

        Run run = run("printf '%s %s' \"$KEEL_JDK\" \"$KEEL_JDK_MAJOR\"",
                Map.of("KEEL_JAVA_HOME", old.toString(), "JAVA_HOME", current.toString()));

        assertThat(run.out).isEqualTo(current + " 21");
    }

    @Test
    void anExplicitChoiceWinsOverANewerOne() throws Exception {
        Path chosen = jdk("chosen", "IMPLEMENTOR=\"x\"", "JAVA_VERSION=\"22\"");
        Path newer = jdk("newer", "JAVA_VERSION=\"25.0.3\"");

        Run run = run("echo \"$KEEL_JDK $KEEL_JDK_MAJOR\"",
                Map.of("KEEL_JAVA_HOME", chosen.toString(), "JAVA_HOME", newer.toString()));

        assertThat(run.out).isEqualTo(chosen + " 22\n");
    }

    @Test
    void javaEightsOldVersionSchemeIsReadAsEight() throws Exception {
        Path eight = jdk("eight", "JAVA_VERSION=\"1.8.0_292\"");
        Path current = jdk("current", "JAVA_VERSION=\"21\"");

        Run run = run("echo \"$KEEL_JDK_MAJOR\"", Map.of("KEEL_JAVA_HOME", eight.toString(),
                "JAVA_HOME", current.toString()));

        assertThat(run.out).isEqualTo("21\n");
        assertThat(run("keel_jdk_major '" + eight + "'; echo \"$REPLY\"", Map.of()).out).isEqualTo("8\n");
    }

    @Test
    void aJdkWithoutAReleaseFileIsAskedItsVersion() throws Exception {
        Path asked = jdk("asked");
        Path java = asked.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho '    java.specification.version = 23' >&2\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));

        Run run = run("echo \"$KEEL_JDK $KEEL_JDK_MAJOR\"", Map.of("KEEL_JAVA_HOME", asked.toString()));

        assertThat(run.out).isEqualTo(asked + " 23\n");
    }

    @Test
    void aFolderWithoutJavacIsNoJdk() throws Exception {
        Path jre = Files.createDirectories(dir.resolve("jre"));
        Files.writeString(jre.resolve("release"), "JAVA_VERSION=\"21\"\n");
        Path current = jdk("current", "JAVA_VERSION=\"24\"");

        Run run = run("echo \"$KEEL_JDK\"", Map.of("KEEL_JAVA_HOME", jre.toString(), "JAVA_HOME", current.toString()));

        assertThat(run.out).isEqualTo(current + "\n");
    }

    @Test
    void runAsAScriptItPrintsTheHome() throws Exception {
        Path current = jdk("current", "JAVA_VERSION=\"21.0.1\"");
        ProcessBuilder builder = new ProcessBuilder("bash", SCRIPT.toString());
        builder.environment().put("KEEL_JAVA_HOME", current.toString());

        Run run = Run.of(builder);

        assertThat(run.code).isZero();
        assertThat(run.out).isEqualTo(current + "\n");
    }

    /** A folder that looks like a JDK: an executable {@code bin/javac}, and a release file of {@code lines}. */
    private Path jdk(String name, String... lines) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name).resolve("bin")).getParent();
        Path javac = Files.writeString(home.resolve("bin/javac"), "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(javac, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (lines.length > 0) {
            Files.writeString(home.resolve("release"), String.join("\n", lines) + "\n");
        }
        return home;
    }

    /** Sources the script as the launcher does, with {@code set -euo pipefail}, and runs {@code then}. */
    private Run run(String then, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c",
                "set -euo pipefail; . '" + SCRIPT + "'; keel_find_jdk; " + then);
        builder.environment().remove("JAVA_HOME");
        builder.environment().remove("KEEL_JAVA_HOME");
        builder.environment().putAll(env);
        Run run = Run.of(builder);
        assertThat(run.code).as(run.err).isZero();
        return run;
    }

    private record Run(int code, String out, String err) {
        static Run of(ProcessBuilder builder) throws Exception {
            Process p = builder.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return new Run(p.exitValue(), out, err);
        }
    }
}
