package dev.keel.store;

import dev.keel.core.journal.JournalCorruptException;
import dev.keel.core.journal.JournalRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** Reads a journal archive file back, verifying every record's checksum, so nothing archived is lost. */
public final class ArchiveReader {
    private ArchiveReader() {
    }

    /**
     * The records of one archive file, in sequence order.
     *
     * @throws JournalCorruptException naming the first record whose checksum or payload is bad
     * @throws UncheckedIOException    when the file cannot be read or is not an archive
     */
    public static List<JournalRecord> read(Path file) {
        List<JournalRecord> records = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file), 1 << 16), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                ArchiveFile.Line parsed = EventCodec.JSON.readValue(line, ArchiveFile.Line.class);
                records.add(EventCodec.decode(parsed.row()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read journal archive " + file, e);
        }
        return records;
    }
}
