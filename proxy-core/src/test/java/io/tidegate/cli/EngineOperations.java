package io.tidegate.cli;

import io.tidegate.engine.AdminState;
import io.tidegate.engine.Engine;
import io.tidegate.engine.ErrorCapture;
import io.tidegate.engine.ErrorCaptures;
import io.tidegate.engine.SessionTable;
import io.tidegate.engine.SessionView;
import io.tidegate.stats.HealthLookup;
import io.tidegate.stats.StatsSnapshot;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** The runtime API's operations straight on an engine (in WildFly they go through ServerManagement). */
final class EngineOperations implements RuntimeOperations {
    private final Supplier<Engine> engine;
    private final Instant started = Instant.now();
    /** How many times {@code reload} was asked. */
    int reloads;

    EngineOperations(Supplier<Engine> engine) {
        this.engine = engine;
    }

    @Override
    public Optional<StatsSnapshot> snapshot() {
        return Optional.of(StatsSnapshot.of(engine.get(), HealthLookup.NONE,
                new StatsSnapshot.Process("Tidegate", "test", started, 1, 0, "localhost"), started));
    }

    @Override
    public void setWeight(String b, String s, int w) {
        engine.get().setServerWeight(b, s, w);
    }

    @Override
    public void setAdminState(String b, String s, AdminState st) {
        engine.get().setServerAdminState(b, s, st);
    }

    @Override
    public void setHealthChecks(String b, String s, boolean on) {
        engine.get().setServerHealthChecks(b, s, on);
    }

    @Override
    public void setHealth(String b, String s, io.tidegate.engine.ForcedHealth health) {
        engine.get().forceServerHealth(b, s, health);
    }

    @Override
    public List<io.tidegate.engine.StickTableView> stickTables(String withRowsOf) {
        return engine.get().stickTables(withRowsOf);
    }

    @Override
    public int clearStickTable(String table, String key) {
        int n = engine.get().clearStickTable(table, key);
        if (n < 0) throw new IllegalArgumentException("No such table");
        return n;
    }

    @Override
    public List<SessionView> sessions() {
        return new SessionTable(engine.get()).list();
    }

    @Override
    public List<ErrorCapture> errors() {
        return ErrorCaptures.of(engine.get());
    }

    @Override
    public boolean shutdownSession(long id) {
        return new SessionTable(engine.get()).shutdown(id);
    }

    @Override
    public int shutdownSessions(String b, String s) {
        return new SessionTable(engine.get()).shutdownServer(b, s);
    }

    @Override
    public Optional<String> reload() {
        reloads++;
        return Optional.empty();
    }
}
