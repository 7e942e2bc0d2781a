package io.tidegate.engine;

/** {@code cookie NAME insert [indirect] [nocache]} or {@code cookie NAME prefix}. */
public record CookiePolicy(String name, Mode mode, boolean indirect, boolean nocache) {
    public enum Mode { INSERT, PREFIX }

    public static CookiePolicy insert(String name, boolean indirect, boolean nocache) {
        return new CookiePolicy(name, Mode.INSERT, indirect, nocache);
    }

    public static CookiePolicy prefix(String name) {
        return new CookiePolicy(name, Mode.PREFIX, false, false);
    }
}
