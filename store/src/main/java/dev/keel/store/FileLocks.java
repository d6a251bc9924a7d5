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

/**
 * Operating-system file locks, one file per account in a folder beside the SQLite journal: the kernel frees a lock
 * when its holder releases it or its process dies, so a lease is never left behind by a crash. A lock this JVM
 * already holds (through another lease object) counts as held by another.
 */
final class FileLocks implements ProcessLock {
    private final Path folder;

    /** @param folder where the lock files live, created on first use */
    FileLocks(Path folder) {
        this.folder = folder;
    }

    @Override
    public Held tryLock(String accountId) {
        Path file = folder.resolve(fileName(accountId));
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
        String safe = accountId.replaceAll("[^A-Za-z0-9._-]", "_");
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
