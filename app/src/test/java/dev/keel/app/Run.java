package dev.keel.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Consumer;
import picocli.CommandLine;

/**
 * One run of the {@code keel} command line with stdout and stderr captured.
 *
 * @param exitCode what the process would exit with
 * @param out      everything printed on stdout
 * @param err      everything printed on stderr
 */
record Run(int exitCode, String out, String err) {

    static Run of(String... args) {
        return of(null, args);
    }

    /** {@code extra} (nullable) may add subcommands to the tree before it runs. */
    static Run of(Consumer<CommandLine> extra, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter outWriter = new PrintWriter(out);
        PrintWriter errWriter = new PrintWriter(err);
        CommandLine commandLine = Main.commandLine(outWriter, errWriter);
        if (extra != null) {
            extra.accept(commandLine);
            // picocli hands writers to the subcommands present when they are set: again for the ones just added
            commandLine.setOut(outWriter);
            commandLine.setErr(errWriter);
        }
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
