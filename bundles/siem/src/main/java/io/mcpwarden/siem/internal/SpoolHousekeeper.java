package io.mcpwarden.siem.internal;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The slow file work of a {@link Spool} — fsync, closing a finished segment, the position file, retiring
 * delivered segments — on one background thread, in the order it was handed over, so that neither the thread
 * that spools nor the one that sends waits for the disk. The first failure is kept and handed out once by
 * {@link #takeFailure()}.
 */
final class SpoolHousekeeper {
    /** One piece of file work. */
    interface Job {
        void run() throws IOException;
    }

    private final ExecutorService thread;
    private final AtomicReference<String> failure = new AtomicReference<>();

    SpoolHousekeeper(String name) {
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Queues {@code job}; {@code what} names it in a failure message. */
    Future<?> submit(String what, Job job) {
        try {
            return thread.submit(() -> {
                try {
                    job.run();
                } catch (IOException | RuntimeException e) {
                    failure.compareAndSet(null, what + " failed: " + e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) { // after close: do it here
            try {
                job.run();
            } catch (IOException | RuntimeException x) {
                failure.compareAndSet(null, what + " failed: " + x.getMessage());
            }
            return null;
        }
    }

    /** Waits until everything queued so far is done. */
    void await() {
        Future<?> f = submit("wait", () -> {
        });
        if (f == null) {
            return;
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception ignore) {
            // the job itself cannot fail
        }
    }

    /** A failure since the last call, or null. */
    String takeFailure() {
        return failure.getAndSet(null);
    }

    /** Finishes the queued work and stops the thread. */
    void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                failure.compareAndSet(null, "spool housekeeping did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
