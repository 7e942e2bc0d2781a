package io.tidegate.admin;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

import io.tidegate.control.ServerManagement;
import io.tidegate.engine.AdminState;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The server actions of the status page (weight, drain / ready / maint, health checks on / off),
 * all through {@link ServerManagement}, which checks the operator role and audits them; the MBeans
 * use the same service, so a change in JConsole shows here and the other way round.
 */
@Named
@ViewScoped
public class ServerActionsBacking implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    private ServerManagement management;

    @Inject
    private StatusBacking status;

    /** The weight typed for each server, by "backend/server". */
    private final Map<String, Integer> weights = new HashMap<>();

    public Map<String, Integer> getWeights() {
        return weights;
    }

    public void setWeight(String backend, String server) {
        Integer w = weights.get(backend + "/" + server);
        if (w == null) {
            Actions.error("Type a weight (0..256) for " + backend + "/" + server);
            return;
        }
        Actions.run(() -> management.setWeight(CurrentUser.actor(), backend, server, w),
                backend + "/" + server + " weight set to " + w);
        weights.remove(backend + "/" + server);
        status.refresh();
    }

    public void drain(String backend, String server) {
        state(backend, server, AdminState.DRAIN);
    }

    public void ready(String backend, String server) {
        state(backend, server, AdminState.READY);
    }

    public void maint(String backend, String server) {
        state(backend, server, AdminState.MAINT);
    }

    public void checks(String backend, String server, boolean enabled) {
        Actions.run(() -> management.setHealthChecks(CurrentUser.actor(), backend, server, enabled),
                backend + "/" + server + " health checks " + (enabled ? "enabled" : "disabled"));
        status.refresh();
    }

    private void state(String backend, String server, AdminState state) {
        Actions.run(() -> management.setAdminState(CurrentUser.actor(), backend, server, state),
                backend + "/" + server + " is now " + state);
        status.refresh();
    }
}
