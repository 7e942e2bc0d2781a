package io.tidegate.config;

/** The five section keywords of the file. */
enum SectionType {
    GLOBAL, DEFAULTS, LISTEN, FRONTEND, BACKEND;

    String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    static SectionType of(ProxyKind kind) {
        return switch (kind) {
            case LISTEN -> LISTEN;
            case FRONTEND -> FRONTEND;
            case BACKEND -> BACKEND;
        };
    }
}
