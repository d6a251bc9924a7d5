package dev.keel.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * SQLite's native library, kept extracted in one folder across runs. The driver otherwise copies it out of its jar
 * into the temporary folder under a new name in every process and loads that copy, a tenth of a second of every
 * command's start (issue 15: {@code keel tx list} 0.92 -> 0.82 s). The launcher names a folder beside the build; a
 * process that finds no copy there writes one (to a temporary name, then moved into place, so a process beside it
 * never loads half a file) and the driver loads it from there. A copy that does not load is removed and written again
 * once; one that still does not load leaves the driver to its own way.
 *
 * <p>The kept copy's folder is named from what the JVM knows (the driver's version, {@code os.name},
 * {@code os.arch}), and a process that finds a copy there loads it without asking the driver which of its libraries
 * this system needs: the driver asks by running {@code uname -o} (is this Android?), twice in a process that extracts,
 * and two processes started on the main thread were ~0.025 s of every command's start, {@code --help} included
 * (issue 15). Only a process that writes the copy asks. A copy written for another system that shares the folder's
 * name (a build folder shared with an Alpine container, say) does not load, and is written again.
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
            if (version == null || version.isBlank() || version.equals("unknown")) {
                return null;
            }
            String name = LibraryLoaderUtil.getNativeLibName();
            Path dir = folder.resolve(("sqlite-jdbc-" + version + "-" + System.getProperty("os.name") + "-"
                    + System.getProperty("os.arch")).replaceAll("[^A-Za-z0-9._-]", "_"));
            Path library = dir.resolve(name);
            if (!(Files.isRegularFile(library) && whole(library) && loads(library))) {
                URL resource = SqliteNative.class.getResource(
                        LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name);
                if (resource == null) {
                    return null;
                }
                Files.createDirectories(dir);
                Path part = Files.createTempFile(dir, name, ".part");
                try (InputStream in = resource.openStream()) {
                    Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(part, library, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    Files.writeString(part, Long.toString(Files.size(library)));
                    Files.move(part, length(library), StandardCopyOption.ATOMIC_MOVE,
                            StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(part);
                }
                if (!loads(library)) {
                    return null;
                }
            }
            System.setProperty("org.sqlite.lib.path", dir.toAbsolutePath().toString());
            System.setProperty("org.sqlite.lib.name", name);
            return library;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The note of {@code library}'s length as written, beside it. */
    private static Path length(Path library) {
        return library.resolveSibling(library.getFileName() + ".length");
    }

    /**
     * Whether the copy is as long as when it was written: one cut short can still load, and fail only once code past
     * its end runs. The length noted beside it stands in for the jar's, which only the driver's lookup could name.
     */
    private static boolean whole(Path library) {
        try {
            return Long.parseLong(Files.readString(length(library)).trim()) == Files.size(library);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /**
     * Loads {@code library}, before the driver does: a copy that does not load (damaged, cut short, written for another
     * system, or on a folder that forbids running code) is removed, and the driver's own load of a loaded one is a
     * no-op.
     */
    private static boolean loads(Path library) throws IOException {
        try {
            System.load(library.toAbsolutePath().toString());
            return true;
        } catch (UnsatisfiedLinkError e) {
            Files.deleteIfExists(library);
            return false;
        }
    }
}
