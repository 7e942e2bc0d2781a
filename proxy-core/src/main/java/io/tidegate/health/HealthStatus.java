package io.tidegate.health;

/** Where a checked server stands, as HAProxy's statistics show it. */
public enum HealthStatus {
    /** Up, every recent check passed. */
    UP("UP"),
    /** Still up, but the last check(s) failed: it goes down if {@code fall} checks fail in a row. */
    UP_GOING_DOWN("UP, going down"),
    /** Down. */
    DOWN("DOWN"),
    /** Still down, but the last check(s) passed: it comes up if {@code rise} checks pass in a row. */
    DOWN_GOING_UP("DOWN, going up");

    private final String label;

    HealthStatus(String label) {
        this.label = label;
    }

    /** Takes new traffic (as far as health is concerned). */
    public boolean isUp() {
        return this == UP || this == UP_GOING_DOWN;
    }

    /** {@code UP}, {@code UP, going down}, {@code DOWN}, {@code DOWN, going up}. */
    public String label() {
        return label;
    }
}
