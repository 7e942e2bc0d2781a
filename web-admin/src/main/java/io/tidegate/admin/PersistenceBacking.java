package io.tidegate.admin;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.tidegate.config.ConfigParser;
import io.tidegate.config.CookieMode;
import io.tidegate.config.CookieSpec;
import io.tidegate.config.CookieSpecBuilder;
import io.tidegate.config.DefaultsSection;
import io.tidegate.config.ProxyKind;
import io.tidegate.config.ProxySection;
import io.tidegate.config.Server;
import io.tidegate.config.Units;
import io.tidegate.control.ServerManagement;
import io.tidegate.control.audit.AccessRefused;
import io.tidegate.control.config.ConfigVersion;
import io.tidegate.control.config.InvalidConfiguration;
import io.tidegate.control.config.StaleConfiguration;
import io.tidegate.engine.status.CookieHolders;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The persistence editor of one backend: the cookie settings and each server's cookie value, read
 * from the configuration file (the settings in force: a cookie inherited from {@code defaults} is
 * shown with where it comes from); a preview of what the change does to pinned clients (the client
 * connections and requests that brought each cookie value recently, as the engine counted them) and
 * the exact diff of the file; saving through
 * {@link ServerManagement#savePersistence} (admin role, version stamp, kept version, reload).
 */
@Named
@ViewScoped
public class PersistenceBacking implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final String FORM = "editor:";

    @Inject
    private ServerManagement management;

    private String backend;
    private List<String> backendNames = List.of();
    private String stamp;
    private CookieSpec original;
    /** Where an inherited cookie comes from ("the defaults section at line 3"), empty when the backend writes its own or has none. */
    private String inheritedFrom = "";
    private Map<String, String> originalValues = Map.of();

    private String mode = "none";
    private String cookieName = "";
    private boolean indirect;
    private boolean nocache;
    private boolean preserve;
    private boolean httponly;
    private boolean secure;
    private String domains = "";
    private String maxidle = "";
    private String maxlife = "";
    private List<ServerCookie> servers = new ArrayList<>();

    private List<String> diff = List.of();
    private List<String> effects = List.of();
    private boolean previewed;

    /** One server's row of the editor. */
    public static final class ServerCookie implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;
        private final String address;
        private String value;

        ServerCookie(String name, String address, String value) {
            this.name = name;
            this.address = address;
            this.value = value;
        }

        public String getName() { return name; }
        public String getAddress() { return address; }
        public String getValue() { return value; }
        public void setValue(String value) { this.value = value == null ? "" : value.strip(); }
    }

    /** The page's view action: reads the backend named by the view parameter (or the first) from the file. */
    public void load() {
        ConfigVersion current = management.configuration();
        var config = new ConfigParser().parse("tidegate.cfg", current.text()).config();
        List<ProxySection> backends = config.proxies().stream().filter(p -> p.kind() != ProxyKind.FRONTEND).toList();
        backendNames = backends.stream().map(ProxySection::name).toList();
        if (backends.isEmpty()) {
            return;
        }
        ProxySection section = backends.stream().filter(p -> p.name().equals(backend)).findFirst().orElse(backends.get(0));
        backend = section.name();
        stamp = current.stamp();
        original = config.effective(section).cookie();
        inheritedFrom = section.settings().cookie() == null && original != null
                ? config.defaultsOf(section).map(PersistenceBacking::describe).orElse("defaults") : "";
        CookieSpec c = original;
        mode = c == null ? "none" : c.mode().name().toLowerCase(Locale.ROOT);
        cookieName = c == null ? "SERVERID" : c.name();
        indirect = c != null && c.indirect();
        nocache = c != null && c.nocache();
        preserve = c != null && c.preserve();
        httponly = c != null && c.httponly();
        secure = c != null && c.secure();
        domains = c == null ? "" : String.join(" ", c.domains());
        maxidle = c == null || c.maxidle() == null ? "" : Units.formatTime(c.maxidle());
        maxlife = c == null || c.maxlife() == null ? "" : Units.formatTime(c.maxlife());
        servers = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (Server s : section.servers()) {
            String v = s.options().cookie() == null ? "" : s.options().cookie();
            servers.add(new ServerCookie(s.name(), s.host() + ":" + s.port(), v));
            values.put(s.name(), v);
        }
        originalValues = values;
        diff = List.of();
        effects = List.of();
        previewed = false;
    }

    /** Shows what the change does (pinned clients, the file's diff) without saving. */
    public void preview() {
        CookieSpec spec = validated();
        if (FacesContext.getCurrentInstance().isValidationFailed()) {     // messages beside the fields
            return;
        }
        try {
            String edited = management.withPersistence(management.configuration().text(), backend, spec, serverValues());
            diff = management.diffAgainstCurrent(edited);
            effects = effects(spec);
            previewed = true;
        } catch (RuntimeException e) {
            Actions.error(e.getMessage());
        }
    }

    /** Saves the change (admin role) and applies it by reload. */
    public void save() {
        CookieSpec spec = validated();
        if (FacesContext.getCurrentInstance().isValidationFailed()) {     // messages beside the fields
            return;
        }
        FacesContext faces = FacesContext.getCurrentInstance();
        try {
            stamp = management.savePersistence(CurrentUser.actor(), backend, spec, serverValues(), stamp);
            faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO,
                    "Saved " + backend + "'s persistence and reloaded: traffic follows the new setting.", null));
            load();
        } catch (AccessRefused refused) {
            Actions.forbid(faces, refused.getMessage());
        } catch (StaleConfiguration | InvalidConfiguration e) {
            Actions.error(e.getMessage());
        } catch (RuntimeException e) {
            Actions.error(e.getMessage());
        }
    }

    /** The cookie settings from the fields, with a message beside each wrong field; null for none or when invalid. */
    private CookieSpec validated() {
        FacesContext faces = FacesContext.getCurrentInstance();
        boolean ok = true;
        if ("none".equals(mode)) {
            if (!inheritedFrom.isEmpty()) {
                field(faces, "mode", backend + " inherits its cookie from " + inheritedFrom
                        + ", and a backend cannot switch an inherited cookie off: change the defaults section on the Configuration page");
            }
            return null;
        }
        CookieMode m = CookieMode.valueOf(mode.toUpperCase(Locale.ROOT));
        if (!cookieName.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
            ok = field(faces, "cookie-name", "A cookie name is one token: letters, digits and !#$%&'*+.^_`|~-");
        }
        boolean insert = m == CookieMode.INSERT;
        if (nocache && !insert) {
            ok = field(faces, "nocache", "nocache needs insert mode");
        }
        Duration idle = null;
        Duration life = null;
        try {
            idle = maxidle.isBlank() ? null : Units.parseTime(maxidle.strip());
            if (idle != null && !insert) {
                ok = field(faces, "maxidle", "maxidle needs insert mode");
            }
        } catch (IllegalArgumentException e) {
            ok = field(faces, "maxidle", e.getMessage());
        }
        try {
            life = maxlife.isBlank() ? null : Units.parseTime(maxlife.strip());
            if (life != null && !insert) {
                ok = field(faces, "maxlife", "maxlife needs insert mode");
            }
        } catch (IllegalArgumentException e) {
            ok = field(faces, "maxlife", e.getMessage());
        }
        List<String> domainList = domains.isBlank() ? List.of() : List.of(domains.strip().split("\\s+"));
        for (String d : domainList) {
            if (!d.matches("\\.?[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*")) {
                ok = field(faces, "domain", "'" + d + "' is not a domain name");
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < servers.size(); i++) {
            String v = servers.get(i).getValue();
            if (v.isEmpty()) {
                continue;
            }
            if (!v.matches("[A-Za-z0-9._-]+")) {
                ok = field(faces, "servers:" + i + ":value", "Letters, digits, '.', '_' and '-' only");
            } else if (m != CookieMode.PASSIVE && !seen.add(v)) {
                ok = field(faces, "servers:" + i + ":value", "Another server already has the value " + v);
            }
        }
        if (!ok) {
            return null;
        }
        return CookieSpecBuilder.builder()
                .name(cookieName)
                .mode(m)
                .indirect(indirect)
                .nocache(nocache)
                .preserve(preserve)
                .httponly(httponly)
                .secure(secure)
                .domains(domainList)
                .maxidle(idle)
                .maxlife(life)
                .postonly(insert && original != null && original.postonly())
                .attrs(original == null ? List.of() : original.attrs())
                .build();
    }

    private static boolean field(FacesContext faces, String id, String message) {
        faces.addMessage(FORM + id, new FacesMessage(FacesMessage.SEVERITY_ERROR, message, null));
        faces.validationFailed();
        return false;
    }

    private Map<String, String> serverValues() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ServerCookie s : servers) {
            out.put(s.getName(), s.getValue());
        }
        return out;
    }

    /** What happens to the clients already pinned, per server (= per cookie value). */
    private List<String> effects(CookieSpec next) {
        List<String> out = new ArrayList<>();
        for (ServerCookie s : servers) {
            String oldValue = originalValues.getOrDefault(s.getName(), "");
            String who = s.getName() + (original == null || oldValue.isEmpty() ? "" : " (" + original.name() + "=" + oldValue + ")") + ": "
                    + holders(s.getName());
            if (original == null || oldValue.isEmpty()) {
                out.add(who + "; no client was pinned to it by a cookie"
                        + (next != null && !s.getValue().isEmpty() ? ", from now on clients get " + next.name() + "=" + s.getValue() : ""));
            } else if (next == null) {
                out.add(who + "; clients holding " + original.name() + "=" + oldValue + " are no longer pinned: balanced like new ones");
            } else if (!next.name().equals(original.name())) {
                out.add(who + "; the cookie is renamed " + original.name() + " -> " + next.name()
                        + ": holders of " + original.name() + "=" + oldValue + " are stranded and balanced again");
            } else if (!s.getValue().equals(oldValue)) {
                out.add(who + "; its value changes " + oldValue + " -> " + (s.getValue().isEmpty() ? "(none)" : s.getValue())
                        + ": holders of " + oldValue + " are stranded and balanced again");
            } else if ((original.mode() == CookieMode.INSERT) != (next.mode() == CookieMode.INSERT)) {
                out.add(who + "; the mode changes " + original.mode().name().toLowerCase(Locale.ROOT) + " -> "
                        + next.mode().name().toLowerCase(Locale.ROOT) + ": a cookie written in the old form may no longer "
                        + "name the server, so its holders can be balanced again");
            } else {
                out.add(who + "; pinned clients keep their server");
            }
        }
        return out;
    }

    /** What the engine counted for the server's cookie value: client connections and requests that brought it. */
    private String holders(String server) {
        CookieHolders h = management.server(backend, server).map(st -> st.cookieHolders()).orElse(CookieHolders.NONE);
        if (h.windowMinutes() == 0) {
            return "no cookie value counted";
        }
        return "sessions " + h.sessions() + ", requests " + h.requests() + " with its cookie in the last "
                + h.windowMinutes() + " minutes";
    }

    private static String describe(DefaultsSection d) {
        return "the defaults section" + (d.name() == null ? "" : " " + d.name()) + " at line " + d.pos().line();
    }

    public String getInheritedFrom() { return inheritedFrom; }
    public String getBackend() { return backend; }
    public void setBackend(String backend) { this.backend = backend; }
    public List<String> getBackendNames() { return backendNames; }
    public String getStamp() { return stamp; }
    public String getMode() { return mode; }
    public void setMode(String mode) { this.mode = mode; }
    public List<String> getModes() { return List.of("none", "passive", "insert", "prefix", "rewrite"); }
    public String getCookieName() { return cookieName; }
    public void setCookieName(String cookieName) { this.cookieName = cookieName == null ? "" : cookieName.strip(); }
    public boolean isIndirect() { return indirect; }
    public void setIndirect(boolean v) { indirect = v; }
    public boolean isNocache() { return nocache; }
    public void setNocache(boolean v) { nocache = v; }
    public boolean isPreserve() { return preserve; }
    public void setPreserve(boolean v) { preserve = v; }
    public boolean isHttponly() { return httponly; }
    public void setHttponly(boolean v) { httponly = v; }
    public boolean isSecure() { return secure; }
    public void setSecure(boolean v) { secure = v; }
    public String getDomains() { return domains; }
    public void setDomains(String v) { domains = v == null ? "" : v; }
    public String getMaxidle() { return maxidle; }
    public void setMaxidle(String v) { maxidle = v == null ? "" : v; }
    public String getMaxlife() { return maxlife; }
    public void setMaxlife(String v) { maxlife = v == null ? "" : v; }
    public List<ServerCookie> getServers() { return servers; }
    public List<DiffLine> getDiff() { return DiffLine.of(diff); }
    public List<String> getEffects() { return effects; }
    public boolean isPreviewed() { return previewed; }
}
