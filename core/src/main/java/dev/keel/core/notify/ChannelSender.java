package dev.keel.core.notify;

import dev.keel.core.error.ErrorCode;
import dev.keel.core.error.ErrorContext;
import dev.keel.core.error.KeelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one channel send within a bound. The send runs on its own virtual thread and the dispatching thread waits for
 * it at most {@code timeout}; one that has not returned by then is interrupted and reported as a failed attempt, so
 * a channel that hangs (a mail server that accepts the connection and never answers) costs each round a bounded wait
 * and never stalls the trade. A zero timeout calls the channel on the dispatching thread, unbounded, as does a
 * channel that only {@linkplain NotificationChannel#appendsLocally appends to a local file}.
 *
 * <p>The bound is real time on purpose: it guards against real I/O that hangs, which no injected clock can advance.
 */
final class ChannelSender {
    private final Duration timeout;

    ChannelSender(Duration timeout) {
        this.timeout = timeout;
    }

    Duration timeout() {
        return timeout;
    }

    /** Sends, or throws: the channel's own exception, or one saying the send timed out. */
    void send(NotificationChannel channel, Notification notification) {
        if (timeout.isZero() || channel.appendsLocally()) {
            channel.send(notification);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread sending = Thread.ofVirtual().name("keel-notify-" + channel.name()).start(() -> {
            try {
                channel.send(notification);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            sending.interrupt();
            throw new KeelException(ErrorCode.NOTIFICATION_FAILED, "channel '" + channel.name()
                    + "' did not answer within " + timeout + "; the send was abandoned and will be retried",
                    ErrorContext.NONE, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new KeelException(ErrorCode.NOTIFICATION_FAILED, "channel '" + channel.name() + "' failed: "
                    + e.getCause(), ErrorContext.NONE, e.getCause());
        } catch (InterruptedException e) {
            // The dispatching thread is being stopped: abandon the send and keep the interrupt for the caller.
            sending.interrupt();
            Thread.currentThread().interrupt();
            throw new KeelException(ErrorCode.NOTIFICATION_FAILED, "the send to channel '" + channel.name()
                    + "' was interrupted; it will be retried", ErrorContext.NONE, e);
        }
    }
}
