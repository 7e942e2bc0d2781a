/**
 * HAProxy's statistics as Tidegate answers them: the {@code show stat} CSV (HAProxy 2.6's columns in
 * HAProxy's order), {@code show info}, {@code show servers state} (format 1) and the Prometheus
 * exporter's metrics, all built from an immutable {@link io.tidegate.engine.status.EngineStatus}
 * snapshot. Engine-free: no Jakarta EE, no IO.
 */
package io.tidegate.stats;
