package io.tidegate.admin;

import java.io.Serializable;
import java.util.List;

import io.tidegate.control.ServerManagement;
import io.tidegate.control.audit.AuditEntry;
import io.tidegate.control.config.ConfigDiff;
import io.tidegate.control.config.SavedVersion;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The history page: the audit log, the kept configuration versions, any of them compared with the
 * current file and restored (undo; admin role, audited by {@link ServerManagement#restoreVersion}).
 */
@Named
@ViewScoped
public class HistoryBacking implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    private ServerManagement management;

    private String compared = "";
    private List<String> diff = List.of();

    public List<EntryRow> getEntries() {
        return management.history().stream().map(EntryRow::new).toList();
    }

    public List<VersionRow> getVersions() {
        return management.versions().stream().map(VersionRow::new).toList();
    }

    public String getCurrentStamp() {
        return management.configuration().stamp();
    }

    public String getAuditPath() {
        return management.auditLogPath().toString();
    }

    public void compare(String versionId) {
        Actions.run(() -> {
            diff = ConfigDiff.unified(versionId, management.versionText(versionId), "current",
                    management.configuration().text());
            compared = versionId;
        }, null);
    }

    public void restore(String versionId) {
        Actions.run(() -> management.restoreVersion(CurrentUser.actor(), versionId, management.configuration().stamp()),
                "Restored " + versionId + " and reloaded.");
        compared = "";
        diff = List.of();
    }

    public String getCompared() {
        return compared;
    }

    public List<DiffLine> getDiffLines() {
        return DiffLine.of(diff);
    }

    /** An audit entry for the page. */
    public record EntryRow(AuditEntry e) {
        public String getAt() { return e.at().toString(); }
        public String getWho() { return e.who(); }
        public String getAction() { return e.action(); }
        public String getTarget() { return e.target(); }
        public String getBefore() { return e.before(); }
        public String getAfter() { return e.after(); }
        public String getOutcome() { return e.outcome().name(); }
        public String getDetail() { return e.detail(); }
    }

    /** A kept version for the page. */
    public record VersionRow(SavedVersion v) {
        public String getId() { return v.id(); }
        public String getStamp() { return v.stamp(); }
        public String getSavedAt() { return v.savedAt().toString(); }
    }
}
