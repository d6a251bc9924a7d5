package dev.keel.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;
import org.sqlite.util.OSInfo;

/**
 * SQLite's native library, kept extracted in one folder across runs. The driver otherwise copies it out of its jar
 * into the temporary folder under a new name in every process and loads that copy, a tenth of a second of every
 * command's start (issue 15: {@code keel tx list} 0.92 -> 0.82 s). The launcher names a folder beside the build; a
 * process that finds no copy there writes one (to a temporary name, then moved into place, so a process beside it
 * never loads half a file) and the driver loads it from there. A copy that does not load is removed and leaves the
 * driver to its own way.
 */
public final class SqliteNative {
    private SqliteNative() {
    }

    /**
     * Points the SQLite driver at its native library in {@code folder}, extracting it there first when no copy of
     * this driver version's is there yet. Call before the first SQLite connection; a failure changes nothing.
     *
     * @return the library the driver will load, or null when it is left to extract its own
     */
    public static Path keepIn(Path folder) {
        try {
            String version = SQLiteJDBCLoader.getVersion();
            String name = LibraryLoaderUtil.getNativeLibName();
            URL resource = SqliteNative.class.getResource(LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name);
            if (version == null || version.isBlank() || version.equals("unknown") || resource == null) {
                return null;
            }
            Path dir = folder.resolve("sqlite-jdbc-" + version + "-" + OSInfo.getNativeLibFolderPathForCurrentOS()
                    .replace('/', '-'));
            Path library = dir.resolve(name);
            long size = resource.openConnection().getContentLengthLong();
            if (!Files.isRegularFile(library) || Files.size(library) != size) {
                Files.createDirectories(dir);
                Path part = Files.createTempFile(dir, name, ".part");
                try (InputStream in = resource.openStream()) {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(part);
                }
            }
            // Loaded here first, so that a copy the driver could not load (damaged, or on a folder that forbids
            // running code) leaves it to its own extraction instead of failing every connection; its own load of
            // the same file is then a no-op. A damaged copy is removed, for the next process to write anew.
            try {
                System.load(library.toAbsolutePath().toString());
            } catch (UnsatisfiedLinkError e) {
                Files.deleteIfExists(library);
                return null;
            }
            System.setProperty("org.sqlite.lib.path", dir.toAbsolutePath().toString());
            System.setProperty("org.sqlite.lib.name", name);
            return library;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
