/**
 * Active health checks with HAProxy's semantics (SPEC S4, S5), in plain Java on the engine's own event loops ({@code io.tidegate.net}).
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.tidegate.health.HealthState}: the rise/fall state machine (HAProxy's {@code health}
 *       counter), immutable snapshots with counters and the last {@link io.tidegate.health.CheckResult};
 *       {@link io.tidegate.health.CheckIntervals}: inter / fastinter / downinter for a state.</li>
 *   <li>{@link io.tidegate.health.HealthProbe}: TCP connect, HTTP ({@code option httpchk} +
 *       {@code http-check expect}) and SSL/TLS hello checks, each non-blocking on one of the engine's IO threads under
 *       {@link io.tidegate.health.CheckTimeouts}.</li>
 *   <li>{@link io.tidegate.health.ServerChecks#of(io.tidegate.config.Config)}: one
 *       {@link io.tidegate.health.ServerCheck} per server with {@code check}.</li>
 *   <li>{@link io.tidegate.health.HealthCheckService}: runs a server's check, updates its health, tells
 *       the {@link io.tidegate.health.HealthListener} and logs transitions in HAProxy's words
 *       ({@link io.tidegate.health.TransitionMessage}).</li>
 *   <li>{@link io.tidegate.health.SlowStart}: the weight ramp of {@code slowstart}.</li>
 * </ul>
 *
 * <h2>Wiring (ejb-control and engine)</h2>
 * {@link io.tidegate.health.EngineHealthChecks#start} does steps 1 and 3 for a running engine (through
 * {@link io.tidegate.health.EngineHealthBinding}, states kept in a {@link io.tidegate.health.HealthSnapshot});
 * {@code io.tidegate.control.health.HealthCheckScheduler} in ejb-control does step 2 with EJB timers.
 * <ol>
 *   <li>On (re)load: {@code for (ServerCheck c : ServerChecks.of(config)) service.register(c, oldState)}
 *       where {@code oldState} is {@code service.state(key)} of the previous graph (kept when rise/fall
 *       did not change); {@code unregister} removed servers.</li>
 *   <li>One non-persistent timer per registered server, the {@code i}-th of {@code n} first firing after
 *       {@code CheckIntervals.firstDelay(service.nextInterval(key), i, n)}; on each firing call
 *       {@code service.check(key)} (it returns at once; a check still running is joined, never doubled).
 *       The interval depends on the health: when {@code outcome.nextInterval()} differs from the timer's
 *       interval, replace the timer (or use single-action timers re-armed with it).</li>
 *   <li>The engine's {@code HealthListener.onTransition} marks the server usable or not;
 *       {@code onCheck} may recompute the slow-start weight; a {@link io.tidegate.health.ServerCountsSource}
 *       gives the log line its "N active and M backup servers left" and session figures (without one the
 *       service counts the registered servers that are up).</li>
 * </ol>
 */
package io.tidegate.health;
