package dev.keel.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Keel's logging, set up in code when logback starts (a {@link Configurator} service): everything from INFO up goes
 * to {@link Main#LOG_FILE}; the terminal gets only WARN and above, without stack traces, so human output and JSON stay
 * clean; {@link Main}'s own lines (a failure with its stack trace) go to the file only. MDC keys: operationId,
 * accountId, correlationId. Built in code rather than read from an XML file: logback's XML configuration took 70-75 ms
 * of every command's start, this 30 (issue 15).
 *
 * <p>A configuration file named with {@code -Dlogback.configurationFile} (the launcher's JSON format,
 * {@code logback-json.xml}) or a {@code logback-test.xml} on the class path (tests) is left to logback to read.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogConfigurator extends ContextAwareBase implements Configurator {
    /** Each line of the log file. */
    static final String FILE_PATTERN = "%d{ISO8601} %-5level [%thread] %logger{36} op=%X{operationId:-}"
            + " account=%X{accountId:-} correlation=%X{correlationId:-} - %msg%n";
    /** Each line on the terminal: the level and the message, no stack trace. */
    static final String CONSOLE_PATTERN = "keel: %level: %msg%n%nopex";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null
                || LogConfigurator.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        install(context, Main.LOG_FILE);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Sets {@code context} up to log to {@code file} and, from WARN up, to standard error. */
    static void install(LoggerContext context, String file) {
        FileAppender<ILoggingEvent> toFile = new FileAppender<>();
        toFile.setContext(context);
        toFile.setName("FILE");
        toFile.setFile(file);
        toFile.setAppend(true);
        toFile.setEncoder(encoder(context, FILE_PATTERN));
        toFile.start();

        ConsoleAppender<ILoggingEvent> toTerminal = new ConsoleAppender<>();
        toTerminal.setContext(context);
        toTerminal.setName("CONSOLE");
        toTerminal.setTarget("System.err");
        ThresholdFilter warnings = new ThresholdFilter();
        warnings.setLevel(Level.WARN.levelStr);
        warnings.start();
        toTerminal.addFilter(warnings);
        toTerminal.setEncoder(encoder(context, CONSOLE_PATTERN));
        toTerminal.start();

        // Main reports failures on the terminal itself; its log lines (with stack traces) go to the file only.
        Logger main = context.getLogger(Main.class.getName());
        main.setLevel(Level.INFO);
        main.setAdditive(false);
        main.addAppender(toFile);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(toFile);
        root.addAppender(toTerminal);
    }

    private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }
}
