package io.tidegate.control.event;

import io.tidegate.engine.Engine;

/**
 * CDI event fired by {@link io.tidegate.control.TidegateRuntime} (synchronously, under its lock)
 * just before an engine is closed, at undeploy or because a reload replaces it. Observers detach
 * what they attached on {@link EngineStarted} (timers, MBeans) and may keep state for the next engine.
 *
 * @param engine the engine about to close
 */
public record EngineStopping(Engine engine) {
}
