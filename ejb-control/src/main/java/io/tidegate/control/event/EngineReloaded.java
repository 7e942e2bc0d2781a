package io.tidegate.control.event;

import io.tidegate.engine.Engine;
import io.tidegate.engine.ReloadOutcome;

/**
 * CDI event fired by {@link io.tidegate.control.TidegateRuntime} (synchronously, under its lock)
 * right after the running engine switched to a new configuration without stopping (a seamless
 * reload). The engine object stays the same; its proxies and servers may have changed. Observers
 * bring what lives beside it up to date: MBeans of added or removed proxies and servers, the
 * health-check timers of servers whose check changed, the saved runtime state.
 *
 * @param engine  the engine, now serving the new configuration
 * @param outcome what the reload changed
 */
public record EngineReloaded(Engine engine, ReloadOutcome outcome) {
}
