package io.tidegate.config;

import static io.tidegate.config.SectionType.BACKEND;
import static io.tidegate.config.SectionType.DEFAULTS;
import static io.tidegate.config.SectionType.FRONTEND;
import static io.tidegate.config.SectionType.LISTEN;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * HAProxy's proxy settings written as {@code KEYWORD N} with one whole number. Each is declared
 * once, here, with its keyword, the sections it may appear in, HAProxy's built-in value and the
 * {@link ProxySettings} component that holds it; the parser, the keyword table, the feature list,
 * the configuration writer and {@link ProxySettings#BUILT_IN} all follow this list, as they do for
 * the on/off options of {@link ProxyFlag}. Adding such a setting means adding its component to
 * {@link ProxySettings}, its constant here, and the behaviour that reads it (through
 * {@link io.tidegate.engine.PlanBuilder}).
 */
public enum ProxyCount implements ValuedSetting<ProxySettings, Integer> {
    /**
     * Client connections a frontend accepts at once; above it the listeners stop accepting. Built in:
     * 2000, the value of the 1.4 guide's HAProxy.
     */
    MAXCONN("maxconn", EnumSet.of(DEFAULTS, FRONTEND, LISTEN), 2000, ProxySettings::maxconn,
            ProxySettings::withMaxconn),
    /**
     * The backend load at which servers with {@code minconn} reach their {@code maxconn}. No built-in
     * value: {@link Config#effective(ProxySection)} computes it per backend when it is not written.
     */
    FULLCONN("fullconn", EnumSet.of(DEFAULTS, LISTEN, BACKEND), null, ProxySettings::fullconn,
            ProxySettings::withFullconn),
    /** Connect attempts to a server after the first one fails. */
    RETRIES("retries", EnumSet.of(DEFAULTS, LISTEN, BACKEND), 3, ProxySettings::retries,
            ProxySettings::withRetries);

    private final Declaration<ProxySettings, Integer> declaration;
    private final Integer builtIn;

    ProxyCount(String keyword, Set<SectionType> sections, Integer builtIn, Function<ProxySettings, Integer> component,
               BiFunction<ProxySettings, Integer, ProxySettings> wither) {
        this.declaration = new Declaration<>(keyword, sections, component, wither);
        this.builtIn = builtIn;
    }

    /** Its statement keyword (e.g. {@code retries}, also the feature's name) and where it is held. */
    @Override
    public Declaration<ProxySettings, Integer> declaration() {
        return declaration;
    }

    /** HAProxy's value when the keyword is written nowhere; {@code null} = none (or computed elsewhere). */
    public Integer builtIn() {
        return builtIn;
    }

    /** The setting of statement keyword {@code keyword}, or empty when it is not one of these. */
    public static Optional<ProxyCount> byKeyword(String keyword) {
        return ValuedSetting.byKeyword(values(), keyword);
    }
}
