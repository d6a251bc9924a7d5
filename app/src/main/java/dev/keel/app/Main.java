package dev.keel.app;

import dev.keel.app.config.ConfigException;
import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import dev.keel.store.SqliteNative;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code keel} entry point. User mistakes (bad usage, invalid config, an unknown id) print a tidy message and
 * exit 2, without a stack trace; a journal or broker Keel cannot work with exits 4, and only Keel's own bugs exit 1,
 * the stack trace in the log file. With {@code --json} every error is the standard error response on stdout.
 */
public final class Main {
    /** The log file, as {@link LogConfigurator} writes it: {@code keel-data/keel.log} unless {@code -Dkeel.log=...}. */
    static final String LOG_FILE = System.getProperty("keel.log", "keel-data/keel.log");

    /**
     * The system property naming the folder where SQLite's native library is kept across runs
     * ({@link SqliteNative}); the launcher sets it beside the build.
     */
    static final String NATIVE_DIR = "keel.native-dir";

    private Main() {
    }

    public static void main(String[] args) {
        keepNativeLibrary();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Where the launcher asks ({@value #NATIVE_DIR}), SQLite's native library is kept across runs. */
    static void keepNativeLibrary() {
        String nativeDir = System.getProperty(NATIVE_DIR);
        if (nativeDir != null) {
            SqliteNative.keepIn(Path.of(nativeDir));
        }
    }

    /** Runs one command line, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(args, out, err).execute(args);
    }

    /**
     * The {@code keel} command tree with Keel's exit codes and error handling, printing to {@code out} and
     * {@code err}. Subcommands are registered on {@link KeelCommand}; one added later with
     * {@code addSubcommand} needs {@code setOut}/{@code setErr} called again, as picocli hands writers only to the
     * subcommands present at the time.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return configured(new CommandLine(new KeelCommand()), out, err);
    }

    /**
     * The command line for {@code args}: when they name a subcommand, the root with that one alone, and when that one
     * only groups subcommands ({@link CommandGroup}: {@code tx}, {@code ops}, {@code account}) and the next argument
     * names one of them, the group with that one alone. Picocli reads every command class of the tree as it builds it,
     * a tenth of a read command's start-up for the one it runs (a group's siblings of the one run: ~0.015 s of
     * {@code keel tx list}, issue 15). The root's own usage and version ({@code keel}, {@code --help},
     * {@code --version}) get the root with every command named and described but none read ({@link #listing}).
     * Anything else (an unknown command, an option of the root's or the group's) gets the whole tree, or the whole
     * group, for its help and its suggestions.
     */
    static CommandLine commandLine(String[] args, PrintWriter out, PrintWriter err) {
        Class<?> only = args.length == 0 ? null : SUBCOMMANDS.get(args[0]);
        if (only == null) {
            return ROOT_ALONE.contains(List.of(args)) ? configured(listing(), out, err) : commandLine(out, err);
        }
        CommandLine root = new CommandLine(new KeelRoot());
        root.addSubcommand(command(only, args.length > 1 ? args[1] : null));
        return configured(root, out, err);
    }

    /**
     * The command {@code type}; when it is a group and {@code next} names one of its subcommands, the group with that
     * one alone. A group declares nothing of its own but its subcommands (CommandTreeTest), so it is wrapped without
     * picocli reading it, and only the subcommand run is read.
     */
    private static CommandLine command(Class<?> type, String next) {
        Class<?> named = next == null || !CommandGroup.class.isAssignableFrom(type) ? null
                : subcommands(type).get(next);
        if (named == null) {
            return new CommandLine(type, CommandLine.defaultFactory());
        }
        Command group = type.getAnnotation(Command.class);
        CommandGroup instance;
        try {
            instance = (CommandGroup) CommandLine.defaultFactory().create(type);
        } catch (Exception e) {
            return new CommandLine(type, CommandLine.defaultFactory());
        }
        CommandLine wrapped = new CommandLine(CommandSpec.wrapWithoutInspection(instance)
                .name(group.name()).aliases(group.aliases()));
        wrapped.addSubcommand(new CommandLine(named, CommandLine.defaultFactory()));
        return wrapped;
    }

    /** The command lines that the root answers by itself: its usage, its help and its version. */
    private static final Set<List<String>> ROOT_ALONE = Set.of(List.of(), List.of("--help"), List.of("-h"),
            List.of("--version"), List.of("-V"));

    /**
     * The root with each top-level command as its name, aliases and description, and nothing else of it: what the
     * root's usage lists. Picocli reads every option of every command as it builds the whole tree, and that was most of
     * {@code keel --help} and {@code keel --version} (656 and 627 ms against 441 ms for {@code keel tx list --help},
     * issue 15).
     */
    private static CommandLine listing() {
        CommandLine root = new CommandLine(new KeelRoot());
        for (Class<?> type : KeelCommand.class.getAnnotation(Command.class).subcommands()) {
            Command command = type.getAnnotation(Command.class);
            CommandSpec named = CommandSpec.create().name(command.name()).aliases(command.aliases());
            named.usageMessage().description(command.description()).header(command.header())
                    .hidden(command.hidden());
            root.addSubcommand(new CommandLine(named));
        }
        return root;
    }

    /** The top-level subcommands by name, as {@link KeelCommand} registers them. */
    private static final Map<String, Class<?>> SUBCOMMANDS = subcommands(KeelCommand.class);

    /** The subcommands {@code parent}'s annotation registers, by name and alias. */
    static Map<String, Class<?>> subcommands(Class<?> parent) {
        Map<String, Class<?>> byName = new HashMap<>();
        for (Class<?> c : parent.getAnnotation(Command.class).subcommands()) {
            Command command = c.getAnnotation(Command.class);
            byName.put(command.name(), c);
            for (String alias : command.aliases()) {
                byName.put(alias, c);
            }
        }
        return Map.copyOf(byName);
    }

    private static CommandLine configured(CommandLine commandLine, PrintWriter out, PrintWriter err) {
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(Main::failed);
        commandLine.setParameterExceptionHandler(Main::badUsage);
        commandLine.registerConverter(BigDecimal.class, Main::decimal);
        return commandLine;
    }

    private static int failed(Exception e, CommandLine command, ParseResult parsed) {
        return report(command, wantsJson(parsed.originalArgs()), e);
    }

    private static int badUsage(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        if (wantsJson(List.of(args))) {
            return report(command, true, e);
        }
        PrintWriter err = command.getErr();
        err.println("keel: " + Messages.clean(e.getMessage()));
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return ExitCodes.USAGE;
    }

    /**
     * Tells the user what went wrong, in their terms: in JSON mode the standard error response as the one document
     * on stdout, otherwise a line or two on stderr. User mistakes exit 2 and are not logged; failures of what Keel
     * works with (journal, broker) exit 4 and Keel's own bugs 1, both with the stack trace in the log file only.
     */
    private static int report(CommandLine command, boolean json, Exception e) {
        ErrorCode code = e instanceof KeelException k ? k.code()
                : e instanceof ParameterException ? ErrorCode.USAGE_INVALID : ErrorCode.INTERNAL_ERROR;
        int exit = ExitCodes.of(code);
        ErrorContext context = e instanceof KeelException k ? k.context() : ErrorContext.NONE;
        String correlationId = context.correlationId() != null ? context.correlationId()
                : UUID.randomUUID().toString();
        context = new ErrorContext(context.operationId(), context.accountId(), correlationId, context.details());
        String message = code == ErrorCode.INTERNAL_ERROR && !(e instanceof KeelException)
                ? "internal error: " + (e.getMessage() == null ? "no message" : firstLine(e.getMessage()))
                : e instanceof ConfigException ? e.getMessage() : Messages.clean(firstLine(e.getMessage()));
        if (exit != ExitCodes.USAGE) {
            // Only to the file (see LogConfigurator): the terminal gets the summary below, not a stack trace.
            LoggerFactory.getLogger(Main.class).error("{} failed (correlation id {})",
                    command.getCommandSpec().qualifiedName(), correlationId, e);
        }
        if (json) {
            Output.json(command.getOut(), command.getErr()).result(
                    ErrorDocument.of(code, message, context, Clock.systemUTC().instant(), exit), d -> { });
            return exit;
        }
        PrintWriter err = command.getErr();
        if (e instanceof ConfigException) {
            err.println(message);
        } else if (e instanceof ParameterException) {
            err.println("keel: " + message);
            err.println("Try '" + command.getCommandSpec().qualifiedName() + " --help'.");
        } else if (exit == ExitCodes.USAGE) {
            err.println("keel: " + code + ": " + message);
            err.println("  nothing was done; what to do: " + code.suggestion());
        } else if (code == ErrorCode.INTERNAL_ERROR) {
            err.println("keel: " + message + " (details in " + LOG_FILE + ", correlation id " + correlationId + ")");
            err.println("  what to do: this is a bug in Keel; report it with that part of the log");
        } else {
            err.println("keel: " + code + ": " + message + " (details in " + LOG_FILE + ")");
            err.println("  what to do: " + code.suggestion());
        }
        err.flush();
        return exit;
    }

    /** Whether the command line asked for {@code --json} (before a {@code --} that ends the options). */
    static boolean wantsJson(List<String> args) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals("--json")) {
                return true;
            }
        }
        return false;
    }

    /** A number as the user typed it; the message names what was expected, not a Java exception. */
    private static BigDecimal decimal(String text) {
        try {
            return new BigDecimal(text.strip());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("expected a number like 10 or 2.5, but was '" + text + "'");
        }
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("");
    }
}
