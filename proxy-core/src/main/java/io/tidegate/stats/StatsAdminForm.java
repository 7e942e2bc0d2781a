package io.tidegate.stats;

import io.tidegate.engine.AdminState;
import io.tidegate.engine.ForcedHealth;
import io.tidegate.engine.status.ServerStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The POST of the statistics page's admin form, read as HAProxy 2.6 reads it
 * ({@code stats_process_http_post}): {@code application/x-www-form-urlencoded} fields {@code b}
 * (the backend: {@code #<id>} or its name), {@code action} and any number of {@code s} (server
 * names), the last {@code b} and {@code action} counting; then the action is applied to each server
 * named and the outcome is one of HAProxy's status codes, which the page shows after its redirect.
 */
public final class StatsAdminForm {
    /** HAProxy's outcome codes ({@code ;st=} of the redirect) and the messages its page shows for them. */
    public enum Outcome {
        DONE("Action processed successfully."),
        NONE("Nothing has changed."),
        PART("Action partially processed. Some server names are probably unknown or ambiguous (duplicated names in the backend)."),
        ERRP("Action not processed because of invalid parameters: the action is maybe unknown, a key parameter is empty "
                + "or too long, the backend name is unknown, or some server names are unknown."),
        EXCD("Action not processed: the buffer couldn't store all the data. You should retry with less servers at a time."),
        DENY("Action denied."),
        IVAL("Invalid requests (unsupported method or chunked encoded request)."),
        UNKN("Unexpected result.");

        private final String message;

        Outcome(String message) {
            this.message = message;
        }

        public String message() {
            return message;
        }

        /** The code a page URI carries ({@code ;st=XXXX}), UNKN for an unknown one, empty for none. */
        static Optional<Outcome> fromUri(String target) {
            int i = target.indexOf(";st=");
            if (i < 0) return Optional.empty();
            String code = target.substring(i + 4, Math.min(target.length(), i + 8));
            for (Outcome o : values()) if (o.name().equals(code)) return Optional.of(o);
            return Optional.of(UNKN);
        }
    }

    /**
     * The actions of HAProxy 2.6's form, and the older words it still reads. Agent-check actions
     * change nothing in Tidegate (it has no agent checks), as in HAProxy for a server without one.
     */
    enum Action {
        READY, DRAIN, MAINT, DHLTH, EHLTH, HRUNN, HNOLB, HDOWN, DAGENT, EAGENT, ARUNN, ADOWN, SHUTDOWN,
        DISABLE, ENABLE, STOP, START;

        static Action of(String word) {
            for (Action a : values()) if (a.name().toLowerCase(java.util.Locale.ROOT).equals(word)) return a;
            return null;
        }
    }

    private StatsAdminForm() {
    }

    /**
     * Reads the form and applies it.
     *
     * @param body     the request body
     * @param snapshot the statistics now (the backends and servers the form may name)
     * @param actions  where the changes go
     * @param actor    who acts, for the audit
     */
    public static Outcome apply(byte[] body, StatsSnapshot snapshot, StatsAdminActions actions, String actor) {
        // the fields, last first (HAProxy reads them from the end: the form puts b and action last)
        String[] fields = new String(body, StandardCharsets.ISO_8859_1).split("&", -1);
        List<String[]> pairs = new ArrayList<>();
        for (int i = fields.length - 1; i >= 0; i--) {
            if (fields[i].isEmpty()) continue;      // '&&' or a trailing '&': an empty key, ignored
            int eq = fields[i].indexOf('=');
            String key = decode(eq < 0 ? fields[i] : fields[i].substring(0, eq));
            String value = decode(eq < 0 ? "" : fields[i].substring(eq + 1));
            if (key == null || value == null) break;        // a bad %-escape ends the reading, as HAProxy's url_decode
            pairs.add(new String[] {key, value});
        }
        return applyTo(pairs, snapshot, actions, actor);
    }

    private static Outcome applyTo(List<String[]> pairs, StatsSnapshot snapshot, StatsAdminActions actions, String actor) {
        StatsSnapshot.Proxy backend = null;
        Action action = null;
        List<String> servers = new ArrayList<>();
        for (String[] kv : pairs) {
            switch (kv[0]) {
                case "b" -> {
                    if (backend == null) {
                        backend = backend(snapshot, kv[1]);
                        if (backend == null) return Outcome.ERRP;       // unknown backend
                    }
                }
                case "action" -> {
                    if (action == null) {
                        action = Action.of(kv[1]);
                        if (action == null) return Outcome.ERRP;        // unknown action
                    }
                }
                case "s" -> servers.add(kv[1]);
                default -> {
                    // other fields are ignored
                }
            }
        }
        if (backend == null || action == null) return Outcome.NONE;
        int total = 0;
        int altered = 0;
        for (String name : servers) {
            ServerStatus sv = server(backend, name);
            if (sv == null) {
                total++;             // unknown or ambiguous: counts, changes nothing
                continue;
            }
            Boolean changed = applyOne(action, backend.name(), sv, snapshot, actions, actor);
            if (changed == null) continue;       // not applicable to this server: not counted (HAProxy)
            total++;
            if (changed) altered++;
        }
        if (total == 0) return Outcome.NONE;
        if (altered == 0) return Outcome.ERRP;
        return altered == total ? Outcome.DONE : Outcome.PART;
    }

    /** True = changed, false = counted but not changed (refused), null = not applicable (not counted). */
    private static Boolean applyOne(Action action, String backend, ServerStatus sv, StatsSnapshot snapshot,
                                    StatsAdminActions actions, String actor) {
        String server = sv.name();
        boolean checked = !sv.healthChecksEnabled() || snapshot.health().health(backend, server).isPresent();
        try {
            switch (action) {
                case READY -> actions.setAdminState(actor, backend, server, AdminState.READY);
                case DRAIN -> actions.setAdminState(actor, backend, server, AdminState.DRAIN);
                case MAINT -> actions.setAdminState(actor, backend, server, AdminState.MAINT);
                case DISABLE -> {
                    if (sv.adminState() == AdminState.MAINT) return null;
                    actions.setAdminState(actor, backend, server, AdminState.MAINT);
                }
                case ENABLE -> {
                    if (sv.adminState() != AdminState.MAINT) return null;
                    actions.setAdminState(actor, backend, server, AdminState.READY);
                }
                case STOP -> {
                    if (sv.adminState() == AdminState.DRAIN) return null;
                    actions.setAdminState(actor, backend, server, AdminState.DRAIN);
                }
                case START -> {
                    if (sv.adminState() != AdminState.DRAIN) return null;
                    actions.setAdminState(actor, backend, server, AdminState.READY);
                }
                case DHLTH, EHLTH -> {
                    if (!checked) return null;          // HAProxy: only a server with health checks configured
                    actions.setHealthChecks(actor, backend, server, action == Action.EHLTH);
                }
                case HRUNN -> actions.setHealth(actor, backend, server, ForcedHealth.UP);
                case HNOLB -> actions.setHealth(actor, backend, server, ForcedHealth.STOPPING);
                case HDOWN -> actions.setHealth(actor, backend, server, ForcedHealth.DOWN);
                case SHUTDOWN -> actions.shutdownSessions(actor, backend, server);
                case DAGENT, EAGENT, ARUNN, ADOWN -> {
                    return null;                        // no agent checks: nothing to do
                }
                default -> {
                    return null;
                }
            }
            return true;
        } catch (RuntimeException refused) {
            return false;
        }
    }

    /** {@code #<id>} or a name, of a proxy with a backend side. */
    private static StatsSnapshot.Proxy backend(StatsSnapshot snapshot, String value) {
        for (StatsSnapshot.Proxy p : snapshot.proxies()) {
            if (p.backend() == null) continue;
            if (value.startsWith("#") ? value.substring(1).equals(Integer.toString(p.iid())) : p.name().equals(value)) return p;
        }
        return null;
    }

    /** The server of that name, null when none or several have it. */
    private static ServerStatus server(StatsSnapshot.Proxy backend, String name) {
        ServerStatus found = null;
        for (ServerStatus s : backend.backend().servers()) {
            if (!s.name().equals(name)) continue;
            if (found != null) return null;
            found = s;
        }
        return found;
    }

    /** Form decoding ({@code +} is a space, {@code %XX} a byte, read as UTF-8); null for a bad escape. */
    static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%') {
                if (i + 2 >= s.length()) return null;
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) return null;
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
