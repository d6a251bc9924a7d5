package dev.keel.app;

import dev.keel.app.config.ConfigException;
import dev.keel.core.error.KeelException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code keel} entry point. User errors (bad usage, invalid config) print a tidy message and exit 2, without a
 * stack trace; anything unexpected prints one line, leaves the stack trace in the log file, and exits 1.
 */
public final class Main {
    /** The log file, as logback.xml writes it: {@code keel-data/keel.log} unless {@code -Dkeel.log=...}. */
    static final String LOG_FILE = System.getProperty("keel.log", "keel-data/keel.log");

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command line, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    /**
     * The {@code keel} command tree with Keel's exit codes and error handling, printing to {@code out} and
     * {@code err}. Subcommands are registered on {@link KeelCommand}; one added later with
     * {@code addSubcommand} needs {@code setOut}/{@code setErr} called again, as picocli hands writers only to the
     * subcommands present at the time.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new KeelCommand());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(Main::failed);
        commandLine.setParameterExceptionHandler(Main::badUsage);
        return commandLine;
    }

    private static int failed(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        if (e instanceof ConfigException invalid) {
            err.println(invalid.getMessage());
            err.flush();
            return ExitCodes.USAGE;
        }
        // Only to the file (see logback.xml): the terminal gets the one-line summary below, not a stack trace.
        LoggerFactory.getLogger(Main.class).error("{} failed", command.getCommandSpec().qualifiedName(), e);
        if (e instanceof KeelException keel) {
            err.println("keel: " + keel.code() + ": " + firstLine(keel.getMessage()) + " (details in " + LOG_FILE + ")");
            err.println("  what to do: " + keel.code().suggestion());
        } else {
            err.println("keel: internal error: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + firstLine(e.getMessage())) + " (details in " + LOG_FILE + ")");
        }
        err.flush();
        return ExitCodes.INTERNAL;
    }

    private static int badUsage(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("keel: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return ExitCodes.USAGE;
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }
}
