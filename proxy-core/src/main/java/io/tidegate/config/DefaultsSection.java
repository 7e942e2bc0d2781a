package io.tidegate.config;

/**
 * A {@code defaults [NAME]} section: settings inherited by the proxies that follow it, up to the next
 * {@code defaults} section (which starts again from HAProxy's built-in values, as in HAProxy).
 * Equality ignores {@link #pos()}.
 *
 * @param name           null when unnamed
 * @param defaultBackend {@code default_backend} written in the defaults section, else null
 * @param statsPage      {@code stats ...} lines of the defaults section (the statistics page of the
 *                       frontends and listen sections that follow), null when none
 */
public record DefaultsSection(String name, ProxySettings settings, String defaultBackend, SourcePos pos,
                              StatsPage statsPage)
        implements Section {

    public DefaultsSection {
        settings = settings == null ? ProxySettings.NONE : settings;
        pos = SourcePos.orUnknown(pos);
    }

    /** Without a statistics page. */
    public DefaultsSection(String name, ProxySettings settings, String defaultBackend, SourcePos pos) {
        this(name, settings, defaultBackend, pos, null);
    }

    public DefaultsSection withSettings(ProxySettings v) {
        return new DefaultsSection(name, v, defaultBackend, pos, statsPage);
    }
}
