package dev.keel.app.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keel.app.config.ConfigLoader;
import dev.keel.app.config.PaperSettings;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code broker.paper} reaches the paper exchange's own configuration. */
class PaperSetupTest {
    @TempDir
    Path dir;

    private PaperSettings paper(String orderClasses) {
        String yaml = """
                broker:
                  paper:
                    %s
                accounts:
                  - id: main
                    targets: { VTI: 1.0 }
                """.formatted(orderClasses);
        return ConfigLoader.parse(yaml, Path.of("keel.yaml"), dir).broker().paper();
    }

    @Test
    void orderClassesFalseMakesTheExchangeRefuseOcoAndBracketClasses() {
        assertThat(PaperSetup.config(paper("order-classes: false")).orderClasses()).isFalse();
    }

    @Test
    void orderClassesDefaultToHeldByTheExchange() {
        assertThat(PaperSetup.config(paper("seed: 1")).orderClasses()).isTrue();
    }
}
