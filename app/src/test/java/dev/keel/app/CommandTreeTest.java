package dev.keel.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.AccessibleObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line a process builds for its arguments ({@link Main#commandLine(String[], PrintWriter, PrintWriter)}:
 * the root with the one command run, and of a group the one subcommand run) behaves as the whole tree does.
 */
class CommandTreeTest {

    /** Every group's subcommand, by every name it has, and every other command: its help and a mistake in it. */
    @Test
    void theCommandLineBuiltForOneCommandAnswersAsTheWholeTree() {
        List<List<String>> commands = new ArrayList<>();
        for (Map.Entry<String, Class<?>> top : Main.subcommands(KeelCommand.class).entrySet()) {
            commands.add(List.of(top.getKey()));
            if (CommandGroup.class.isAssignableFrom(top.getValue())) {
                Main.subcommands(top.getValue()).keySet().forEach(sub -> commands.add(List.of(top.getKey(), sub)));
            }
        }
        assertThat(commands).contains(List.of("tx", "list"), List.of("ops", "list"), List.of("account", "status"));
        for (List<String> command : commands) {
            for (String[] tail : new String[][] {{"--help"}, {"--no-such-option"}, {"--version"}, {"no-such-argument"}}) {
                String[] args = Stream.concat(command.stream(), Stream.of(tail)).toArray(String[]::new);
                assertThat(run(args, true)).as(String.join(" ", args)).isEqualTo(run(args, false));
            }
        }
    }

    /**
     * The root's own usage, help and version, answered by the root with each command only named and described, as by
     * the whole tree: the same list of commands, descriptions and hidden ones left out, the same version and exit code.
     */
    @Test
    void theRootAloneAnswersItsUsageHelpAndVersionAsTheWholeTree() {
        for (String[] args : new String[][] {{}, {"--help"}, {"-h"}, {"--version"}, {"-V"}}) {
            assertThat(run(args, true)).as(String.join(" ", args)).isEqualTo(run(args, false));
        }
        assertThat((String) run(new String[] {"--help"}, true).get(1))
                .contains("rebalance", "Read the transaction log.", "bench");
    }

    /**
     * A group is wrapped without picocli reading it ({@code CommandSpec.wrapWithoutInspection}), which holds only
     * while it declares nothing but its subcommands: no option, parameter, mixin or method of its own.
     */
    @Test
    void aGroupDeclaresNothingButItsSubcommands() {
        for (Class<?> type : Main.subcommands(KeelCommand.class).values()) {
            if (!CommandGroup.class.isAssignableFrom(type)) {
                continue;
            }
            List<AccessibleObject> members = new ArrayList<>(List.of(type.getDeclaredFields()));
            members.addAll(List.of(type.getDeclaredMethods()));
            for (AccessibleObject member : members) {
                assertThat(member.getAnnotations()).as(type.getSimpleName() + " " + member)
                        .noneMatch(a -> a.annotationType().getName().startsWith("picocli."));
            }
        }
    }

    /** The exit code, stdout and stderr of {@code args} on the command line built for them, or on the whole tree. */
    private static List<Object> run(String[] args, boolean forThem) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter outWriter = new PrintWriter(out);
        PrintWriter errWriter = new PrintWriter(err);
        CommandLine line = forThem ? Main.commandLine(args, outWriter, errWriter) : Main.commandLine(outWriter, errWriter);
        int code = line.execute(args);
        outWriter.flush();
        errWriter.flush();
        return List.of(code, out.toString(), err.toString());
    }
}
