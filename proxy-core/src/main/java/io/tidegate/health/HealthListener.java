package io.tidegate.health;

/**
 * Told when a checked server goes down or comes up, so the engine stops or resumes sending it new
 * traffic. Called once per transition, on one of the engine's IO threads, before the transition is logged: it must
 * not block, and once it returns the server counts it reports (see {@link ServerCounts}) must include
 * the change.
 */
@FunctionalInterface
public interface HealthListener {

    void onTransition(HealthTransition transition);

    /**
     * Told after every check (after {@link #onTransition} when there was one), for statistics and for
     * what HAProxy recomputes at each check, such as the slow-start weight
     * ({@link SlowStart#effectiveWeight}). Same thread rules. Does nothing unless overridden.
     */
    default void onCheck(CheckOutcome outcome) {
    }
}
