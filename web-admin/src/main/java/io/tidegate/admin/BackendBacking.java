package io.tidegate.admin;

import java.io.Serializable;
import java.util.List;

import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * Backing bean of the backend page: one backend (view parameter {@code backend}) with its servers,
 * their actions and its persistence. The figures are the status page's ({@link StatusBacking}, same
 * snapshot, same ajax poll), the actions the status page's ({@link ServerActionsBacking}).
 */
@Named
@ViewScoped
public class BackendBacking implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    private StatusBacking status;

    private String name;

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }

    /** The backend's row, or null when there is no backend of that name (then the page lists the others). */
    public StatusBacking.BackendRow getBackend() {
        return name == null ? null : status.backend(name);
    }

    /** As a list of zero or one, for the tables that iterate. */
    public List<StatusBacking.BackendRow> getBackends() {
        StatusBacking.BackendRow b = getBackend();
        return b == null ? List.of() : List.of(b);
    }

    /** The names of all backends, for the links when the named one does not exist. */
    public List<String> getNames() {
        return status.getBackends().stream().map(StatusBacking.BackendRow::getName).toList();
    }

    /** The servers currently in DRAIN, with their progress. */
    public List<StatusBacking.ServerRow> getDraining() {
        StatusBacking.BackendRow b = getBackend();
        return b == null ? List.of() : b.getServers().stream().filter(s -> "DRAIN".equals(s.getAdminState())).toList();
    }
}
