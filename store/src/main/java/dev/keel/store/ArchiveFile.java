package dev.keel.store;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The archive file format: gzip'd JSON lines, one stored record per line with its sequence, stream, type, payload
 * (the exact stored text) and checksum, so a record read back verifies as it did in the database.
 */
final class ArchiveFile {
    /** One line of an archive file. */
    record Line(long seq, String streamId, String type, String payload, long checksum) {
        static Line of(StoredRow row) {
            return new Line(row.sequence(), row.streamId(), row.type(), row.payload(), row.checksum());
        }

        StoredRow row() {
            return new StoredRow(seq, streamId, type, payload, checksum);
        }
    }

    private ArchiveFile() {
    }

    /**
     * Writes the rows to {@code file} durably: to a temporary file first, forced to disk, then moved into place
     * atomically, so a crash leaves the complete file or none.
     */
    static void write(Path file, List<StoredRow> rows) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (Files.exists(file)) {
            throw new IOException("archive file " + file + " exists already");
        }
        Path temp = dir.resolve(file.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            GZIPOutputStream gzip = new GZIPOutputStream(Channels.newOutputStream(channel), 1 << 16);
            Writer out = new BufferedWriter(new OutputStreamWriter(gzip, StandardCharsets.UTF_8));
            for (StoredRow row : rows) {
                out.write(EventCodec.JSON.writeValueAsString(Line.of(row)));
                out.write('\n');
            }
            out.flush();
            gzip.finish();
            channel.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(dir);
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Not every platform can open a directory to sync it; the file itself is already on disk.
        }
    }
}
