package io.tidegate.config;

/**
 * What the proxy does with the persistence cookie. {@code PASSIVE}: none of insert / prefix /
 * rewrite was written, the application sets the cookie and the proxy only reads it.
 */
public enum CookieMode {
    PASSIVE(null), INSERT("insert"), PREFIX("prefix"), REWRITE("rewrite");

    private final String keyword;

    CookieMode(String keyword) {
        this.keyword = keyword;
    }

    /** The word written in the {@code cookie} line, {@code null} for PASSIVE. */
    public String keyword() {
        return keyword;
    }
}
