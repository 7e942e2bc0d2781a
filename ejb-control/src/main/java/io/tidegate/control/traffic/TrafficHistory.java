package io.tidegate.control.traffic;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

import io.tidegate.engine.status.BackendStatus;
import io.tidegate.engine.status.EngineStatus;
import io.tidegate.engine.status.ServerStatus;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Requests per server over the last minute, from the engine's request counters sampled every
 * couple of seconds ({@link TrafficSampler}). A server is what a persistence cookie value names, so
 * this is also how many requests each cookie value drew recently: the admin pages use it for
 * request rates, for a drain's progress (a server in DRAIN gets no new sessions, so every request
 * it still receives comes from a client holding its cookie) and for the persistence preview. A
 * counter that went down (a reload started a new engine) counts from zero again.
 */
@ApplicationScoped
public class TrafficHistory {

    /** How long samples are kept. */
    public static final Duration WINDOW = Duration.ofSeconds(60);

    private record Sample(Instant at, long total) {
    }

    private record Key(String backend, String server) {
    }

    private final Map<Key, Deque<Sample>> samples = new HashMap<>();

    /** Records the counters of every server. */
    public synchronized void sample(EngineStatus status, Instant now) {
        for (BackendStatus b : status.backends()) {
            for (ServerStatus s : b.servers()) {
                Deque<Sample> d = samples.computeIfAbsent(new Key(b.name(), s.name()), k -> new ArrayDeque<>());
                if (!d.isEmpty() && d.peekLast().total() > s.totalRequests()) {
                    d.clear();   // a new engine: its counters started again
                    d.add(new Sample(now, 0));
                }
                d.add(new Sample(now, s.totalRequests()));
                while (d.size() > 2 && d.peekFirst().at().isBefore(now.minus(WINDOW).minusSeconds(5))) {
                    d.removeFirst();
                }
            }
        }
    }

    /** Requests the server received during the last {@code span} (at most {@link #WINDOW}), by the samples kept. */
    public synchronized long requestsDuring(String backend, String server, Duration span, Instant now) {
        Deque<Sample> d = samples.get(new Key(backend, server));
        if (d == null || d.isEmpty()) {
            return 0;
        }
        Instant from = now.minus(span);
        Sample base = d.peekFirst();
        for (Sample s : d) {
            if (s.at().isAfter(from)) {
                break;
            }
            base = s;
        }
        return Math.max(0, d.peekLast().total() - base.total());
    }

    /** Requests per second over the last {@code span}. */
    public double rate(String backend, String server, Duration span, Instant now) {
        return requestsDuring(backend, server, span, now) / (double) Math.max(1, span.toSeconds());
    }
}
