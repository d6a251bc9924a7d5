package dev.keel.store;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Operating-system file locks, one file per account in a folder beside the SQLite journal: the kernel frees a lock
 * when its holder releases it or its process dies, so a lease is never left behind by a crash. A lock this JVM
 * already holds (through another lease object) counts as held by another.
 */
final class FileLocks implements ProcessLock {
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

    private final Path folder;
    /**
     * Each account's lock file, named once: naming compiles nothing and looks up no digest after the first lease,
     * which every rebalance and every recovered account takes (a regex and a SHA-256 instance per lease were 3 % of
     * recovering 1,000 accounts). As many entries as accounts this process leases.
     */
    private final Map<String, Path> files = new ConcurrentHashMap<>();

    /** @param folder where the lock files live, created on first use */
    FileLocks(Path folder) {
        this.folder = folder;
    }

    @Override
    public Held tryLock(String accountId) {
        Path file = files.computeIfAbsent(accountId, id -> folder.resolve(fileName(id)));
        FileChannel channel = null;
        try {
            Files.createDirectories(folder);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException inThisJvm) {
                lock = null;
            }
            if (lock == null) {
                channel.close();
                return null;
            }
            FileChannel held = channel;
            FileLock taken = lock;
            return () -> {
                try (held) {
                    taken.release();
                } catch (IOException e) {
                    // closing the channel releases the lock all the same
                }
            };
        } catch (IOException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new KeelException(ErrorCode.JOURNAL_UNAVAILABLE, "could not take account '" + accountId
                    + "''s lock file " + file + ": " + e.getMessage(), ErrorContext.NONE, e);
        }
    }

    /** A name any file system takes: the id's safe characters, then a hash of the whole id so no two collide. */
    static String fileName(String accountId) {
        String safe = UNSAFE.matcher(accountId).replaceAll("_");
        if (safe.length() > 40) {
            safe = safe.substring(0, 40);
        }
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(accountId.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        return safe + "-" + HexFormat.of().formatHex(digest, 0, 6) + ".lock";
    }
}
