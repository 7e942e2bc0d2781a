package io.tidegate.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The client sessions of an engine for the runtime API ({@code show sess}, {@code shutdown session},
 * {@code shutdown sessions server}): those of its listeners and of the listeners a reload removed
 * while their sessions drain, whatever graph they run on. A session is only ever looked at and
 * closed on its own IO thread: each is asked there (as a reload asks it to end), and the caller
 * waits a bounded time for the answers, so the IO threads never wait for the caller.
 */
public final class SessionTable {
    /** How long a caller waits for the IO threads' answers. */
    static final long WAIT_MS = 2000;
    private static final AtomicLong IDS = new AtomicLong();

    private final Engine engine;

    public SessionTable(Engine engine) {
        this.engine = engine;
    }

    /** A new session's number (once per accepted connection). */
    static long nextId() {
        return IDS.incrementAndGet();
    }

    /** The sessions open now, oldest first (each described on its IO thread). */
    public List<SessionView> list() {
        ConcurrentLinkedQueue<SessionView> views = new ConcurrentLinkedQueue<>();
        onEach(sessions(), s -> {
            SessionView v = s.view();
            if (!"closing".equals(v.phase())) views.add(v);
            return false;
        });
        List<SessionView> sorted = new ArrayList<>(views);
        sorted.sort(Comparator.comparingLong(SessionView::id));
        return sorted;
    }

    /**
     * Closes session {@code id} at once on its IO thread (termination state {@code K...}, killed by an
     * administrator). False when no such session is open.
     */
    public boolean shutdown(long id) {
        List<ClientConnection> match = new ArrayList<>();
        for (ClientConnection s : sessions()) if (s.id == id) match.add(s);
        return onEach(match, ClientConnection::kill) > 0;
    }

    /**
     * Closes at once every session whose exchange in progress is on {@code backend/server} (HAProxy's
     * {@code shutdown sessions server}), on any graph still running. Returns how many were closed.
     */
    public int shutdownServer(String backend, String server) {
        return onEach(sessions(), s -> {
            SessionView v = s.view();
            return backend.equals(v.backend()) && server.equals(v.server()) && s.kill();
        });
    }

    private List<ClientConnection> sessions() {
        List<ClientConnection> all = new ArrayList<>();
        for (Listener l : engine.listeners()) all.addAll(l.sessionsNow());
        for (Listener l : engine.retirement().drainingListeners()) all.addAll(l.sessionsNow());
        return all;
    }

    /** Runs {@code task} for each session on its IO thread; waits up to {@link #WAIT_MS}; counts the true answers. */
    private static int onEach(List<ClientConnection> sessions, Predicate<ClientConnection> task) {
        AtomicInteger yes = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(sessions.size());
        for (ClientConnection s : sessions) {
            try {
                s.ioThread().execute(() -> {
                    try {
                        if (task.test(s)) yes.incrementAndGet();
                    } finally {
                        done.countDown();
                    }
                });
            } catch (RejectedExecutionException e) {
                done.countDown();       // its IO thread has stopped and closed it
            }
        }
        try {
            done.await(WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return yes.get();
    }
}
