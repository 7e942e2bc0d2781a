package io.tidegate.admin;

import java.io.Serializable;
import java.util.List;

import io.tidegate.config.ConfigProblem;
import io.tidegate.control.ServerManagement;
import io.tidegate.control.audit.AccessRefused;
import io.tidegate.control.config.ConfigVersion;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The configuration page: the file as text, checked (problems with line and column, nothing
 * changed), compared with the running file, saved and reloaded. The version stamp read with the
 * text goes with the save, so a save over someone else's newer save is refused.
 */
@Named
@ViewScoped
public class ConfigBacking implements Serializable {

    private static final long serialVersionUID = 1L;

    @Inject
    private ServerManagement management;

    private String text = "";
    private String stamp = "";
    private List<ConfigProblem> problems = List.of();
    private boolean checked;
    private List<String> diff = List.of();
    private boolean diffShown;

    public void load() {
        ConfigVersion v = management.configuration();
        text = v.text();
        stamp = v.stamp();
        checked = false;
        diffShown = false;
    }

    public void check() {
        problems = management.checkConfiguration(text);
        checked = true;
    }

    public void diff() {
        diff = management.diffAgainstCurrent(text);
        diffShown = true;
    }

    public void save() {
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            stamp = management.saveConfiguration(CurrentUser.actor(), "edit configuration", text, stamp);
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, "Saved and reloaded (version " + stamp + ").", null));
            checked = false;
            diffShown = false;
        } catch (AccessRefused refused) {
            Actions.forbid(faces, refused.getMessage());
        } catch (io.tidegate.control.config.InvalidConfiguration invalid) {
            problems = invalid.problems();
            checked = true;
            Actions.error("Not saved: the configuration has errors.");
        } catch (RuntimeException e) {
            Actions.error(e.getMessage());
        }
    }

    /** Re-reads the file as it is on disk (operator role), e.g. after an edit outside the app. */
    public void reload() {
        if (Actions.run(() -> management.reload(CurrentUser.actor()).ifPresent(p -> {
            throw new IllegalStateException("Reload rejected, the running configuration stays: " + p);
        }), "Reloaded " + management.configPath().getFileName() + ".")) {
            load();
        }
    }

    public String getCheckSummary() {
        long errors = problems.stream().filter(ConfigProblem::isError).count();
        return errors == 0 ? "Configuration file is valid" + (problems.isEmpty() ? "" : " (" + problems.size() + " warnings)")
                : errors + (errors == 1 ? " error" : " errors") + "; nothing was changed";
    }

    public String getText() { return text; }
    public void setText(String text) { this.text = text == null ? "" : text.replace("\r\n", "\n"); }
    public String getStamp() { return stamp; }
    public String getPath() { return management.configPath().toString(); }
    public List<ConfigProblem> getProblems() { return problems; }
    public boolean isChecked() { return checked; }
    public List<DiffLine> getDiffLines() { return DiffLine.of(diff); }
    public boolean isDiffShown() { return diffShown; }
}
