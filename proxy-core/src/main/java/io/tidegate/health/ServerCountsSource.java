package io.tidegate.health;

/** Provides the {@link ServerCounts} of the log line of a transition; the engine knows them best. */
@FunctionalInterface
public interface ServerCountsSource {

    /** The counts right after {@code transition} was applied (the listener has already been told). */
    ServerCounts countsAfter(HealthTransition transition);
}
