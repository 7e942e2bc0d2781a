package io.tidegate.health;

/**
 * The health a checked server starts with (HAProxy's {@code init-state}). HAProxy's default is
 * {@link #UP}: the server takes traffic at once but the first failed check takes it down.
 */
public enum InitialState {
    /** Up; goes down only after {@code fall} failed checks in a row. */
    FULLY_UP,
    /** Up; goes down at the first failed check (HAProxy's default). */
    UP,
    /** Down; comes up at the first passed check. */
    DOWN,
    /** Down; comes up only after {@code rise} passed checks in a row. */
    FULLY_DOWN
}
