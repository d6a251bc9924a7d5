package dev.keel.app;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command shares, as picocli mixins: {@code @Mixin Options.Config config;}. */
final class Options {
    private Options() {
    }

    /** {@code --config FILE}, default {@code keel.yaml} in the current directory. */
    static final class Config {
        @Option(names = "--config", paramLabel = "FILE", defaultValue = "keel.yaml",
                description = "The configuration file (default: ${DEFAULT-VALUE}).")
        Path file;

        Path file() {
            return file;
        }
    }

    /** {@code --json}: print one JSON document instead of text. */
    static final class Json {
        @Option(names = "--json", description = "Print one JSON document on stdout instead of text.")
        boolean enabled;

        boolean enabled() {
            return enabled;
        }
    }
}
