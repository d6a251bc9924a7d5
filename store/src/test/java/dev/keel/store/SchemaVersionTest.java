package dev.keel.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * A journal whose schema is current opens without Flyway (issue 15: its scan took a third of a read command's
 * time), so {@link Dialect#SCHEMA_VERSION} must name the newest migration, and a database behind it or with a
 * failed migration must still go to Flyway.
 */
class SchemaVersionTest {
    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.*\\.sql");

    @TempDir
    Path dir;

    @Test
    void theSchemaVersionIsTheNewestMigrations() throws IOException, URISyntaxException {
        Path migrations = Paths.get(SchemaVersionTest.class.getResource("/dev/keel/store/db/common").toURI());
        int newest;
        try (Stream<Path> files = Files.list(migrations)) {
            newest = files.map(f -> VERSIONED.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
        }
        assertThat(Dialect.SCHEMA_VERSION).isEqualTo(newest);
    }

    @Test
    void onlyADatabaseWhoseEveryMigrationSucceededUpToTheNewestIsCurrent() throws Exception {
        Path file = dir.resolve("journal.db");
        SQLiteDataSource source = new SQLiteDataSource();
        source.setUrl("jdbc:sqlite:" + file);
        assertThat(Database.schemaIsCurrent(source)).as("a new file has no history").isFalse();

        Database.sqlite(file).close();
        assertThat(Database.schemaIsCurrent(source)).as("migrated by Flyway").isTrue();

        try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
            s.execute("UPDATE flyway_schema_history SET success = 0 WHERE version = '" + Dialect.SCHEMA_VERSION + "'");
        }
        assertThat(Database.schemaIsCurrent(source)).as("the newest migration failed").isFalse();

        try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM flyway_schema_history WHERE version = '" + Dialect.SCHEMA_VERSION + "'");
        }
        assertThat(Database.schemaIsCurrent(source)).as("one migration behind").isFalse();
    }
}
