package io.tidegate.control.event;

import io.tidegate.engine.Engine;

/**
 * CDI event fired by {@link io.tidegate.control.TidegateRuntime} (synchronously, under its lock)
 * right after an engine started serving a configuration, at deployment start or after a reload.
 * Observers attach what lives beside the engine: health-check timers, runtime state, MBeans.
 *
 * @param engine the engine now serving
 */
public record EngineStarted(Engine engine) {
}
