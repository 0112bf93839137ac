package io.replicator.core.resource;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The daemon's {@link ResourceScheduler}: one daemon thread per lane, named {@code resource NAME},
 * {@code resource NAME resync} and {@code resource NAME events}, and the system clock.
 */
public final class ThreadedScheduler implements ResourceScheduler {
    private final String name;
    private final ScheduledExecutorService owner;
    private final ScheduledExecutorService background;
    private final ExecutorService listeners;
    /** The owner thread, so that work it hands itself runs inline instead of waiting for itself. */
    private volatile Thread ownerThread;

    public ThreadedScheduler(String resource) {
        this.name = resource;
        this.owner = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = daemon(task, "resource " + resource);
            ownerThread = thread;
            return thread;
        });
        this.background = Executors.newSingleThreadScheduledExecutor(named("resource " + resource + " resync"));
        this.listeners = Executors.newSingleThreadExecutor(named("resource " + resource + " events"));
    }

    private static ThreadFactory named(String name) {
        return task -> daemon(task, name);
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    @Override
    public void execute(Runnable task) {
        owner.execute(task);
    }

    @Override
    public <T> T call(Callable<T> work) {
        if (Thread.currentThread() == ownerThread) {
            return ResourceScheduler.callInline(work);
        }
        Future<T> future = owner.submit(work);
        try {
            return future.get();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for resource " + name, interrupted);
        } catch (ExecutionException failed) {
            Throwable cause = failed.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(cause);
        }
    }

    @Override
    public void everyOnOwner(long periodMs, Runnable task) {
        owner.scheduleWithFixedDelay(task, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void background(Runnable task) {
        background.execute(task);
    }

    @Override
    public void everyInBackground(long periodMs, Runnable task) {
        background.scheduleWithFixedDelay(task, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    @Override
    public void tellListeners(Runnable task) {
        try {
            listeners.execute(task);
        } catch (RejectedExecutionException closed) {
            // The resource is closing; its listeners heard the last state already.
        }
    }

    @Override
    public void holdBack(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void close() {
        owner.shutdown();
        listeners.shutdown();
        background.shutdown();
    }
}
