package io.tidegate.config;

/** The section keyword of a proxy: {@code listen}, {@code frontend} or {@code backend}. */
public enum ProxyKind {
    LISTEN, FRONTEND, BACKEND;

    /** The section keyword as written in a file. */
    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Accepts traffic (has binds, rules, default_backend). */
    public boolean acceptsTraffic() {
        return this != BACKEND;
    }

    /** Holds servers. */
    public boolean holdsServers() {
        return this != FRONTEND;
    }
}
