package dev.keel.paper;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.KeelException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one-owner rule of a state file: an exclusive OS lock on a sidecar file {@code <state>.lock}, held while the
 * exchange is open. A second owner, in this JVM or another process, is refused with
 * {@link ErrorCode#PAPER_STATE_IN_USE} instead of silently overwriting the first one's orders. The OS releases the
 * lock when the owning process dies, even by SIGKILL, so a killed owner never blocks the next one.
 */
final class StateLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private StateLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The sidecar file guarding {@code stateFile}. */
    static Path sidecar(Path stateFile) {
        return stateFile.resolveSibling(stateFile.getFileName() + ".lock");
    }

    static StateLock acquire(Path stateFile) {
        Path path = sidecar(stateFile.toAbsolutePath());
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IllegalStateException("paper exchange cannot open the lock file " + path, e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by another owner in this same JVM
        } catch (IOException e) {
            closeQuietly(channel, e);
            throw new IllegalStateException("paper exchange cannot lock " + path, e);
        }
        if (lock == null) {
            closeQuietly(channel, null);
            throw new KeelException(ErrorCode.PAPER_STATE_IN_USE, "paper state file " + stateFile
                    + " is in use by another owner (a 'keel paper serve' or a Keel with broker kind paper holds "
                    + path + "); stop it, or point this Keel at the running paper server instead");
        }
        return new StateLock(channel, lock);
    }

    private static void closeQuietly(FileChannel channel, Exception primary) {
        try {
            channel.close();
        } catch (IOException e) {
            if (primary != null) {
                primary.addSuppressed(e);
            }
        }
    }

    @Override
    public void close() {
        if (!channel.isOpen()) {
            return;
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new IllegalStateException("paper exchange cannot release its state lock", e);
        }
    }
}
