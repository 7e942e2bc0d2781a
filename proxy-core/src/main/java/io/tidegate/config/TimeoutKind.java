package io.tidegate.config;

import static io.tidegate.config.SectionType.BACKEND;
import static io.tidegate.config.SectionType.DEFAULTS;
import static io.tidegate.config.SectionType.FRONTEND;
import static io.tidegate.config.SectionType.LISTEN;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The {@code timeout NAME TIME} settings. Each is declared once, here, with its name, the sections
 * it may appear in, its 1.4 spelling if it has one ({@code contimeout}, {@code clitimeout},
 * {@code srvtimeout}) and the {@link Timeouts} component that holds it; the parser, the keyword
 * tables and {@link ConfigWriter} follow this list. Which timeouts HAProxy derives from others when
 * unset are the {@code effective...} methods of {@link Timeouts}; the engine's plan carries the
 * {@link Timeouts} themselves and the runtime reads them in milliseconds.
 */
public enum TimeoutKind {
    CONNECT("connect", EnumSet.of(DEFAULTS, LISTEN, BACKEND), "contimeout", Timeouts::connect, Timeouts::withConnect),
    CLIENT("client", EnumSet.of(DEFAULTS, FRONTEND, LISTEN), "clitimeout", Timeouts::client, Timeouts::withClient),
    SERVER("server", EnumSet.of(DEFAULTS, LISTEN, BACKEND), "srvtimeout", Timeouts::server, Timeouts::withServer),
    QUEUE("queue", EnumSet.of(DEFAULTS, LISTEN, BACKEND), null, Timeouts::queue, Timeouts::withQueue),
    HTTP_REQUEST("http-request", EnumSet.of(DEFAULTS, FRONTEND, LISTEN, BACKEND), null, Timeouts::httpRequest,
            Timeouts::withHttpRequest),
    HTTP_KEEP_ALIVE("http-keep-alive", EnumSet.of(DEFAULTS, FRONTEND, LISTEN, BACKEND), null,
            Timeouts::httpKeepAlive, Timeouts::withHttpKeepAlive),
    TUNNEL("tunnel", EnumSet.of(DEFAULTS, LISTEN, BACKEND), null, Timeouts::tunnel, Timeouts::withTunnel),
    CHECK("check", EnumSet.of(DEFAULTS, LISTEN, BACKEND), null, Timeouts::check, Timeouts::withCheck),
    CLIENT_FIN("client-fin", EnumSet.of(DEFAULTS, FRONTEND, LISTEN), null, Timeouts::clientFin,
            Timeouts::withClientFin),
    SERVER_FIN("server-fin", EnumSet.of(DEFAULTS, LISTEN, BACKEND), null, Timeouts::serverFin,
            Timeouts::withServerFin);

    private final String keyword;
    private final Set<SectionType> sections;
    private final String legacyKeyword;
    private final Function<Timeouts, Duration> component;
    private final BiFunction<Timeouts, Duration, Timeouts> wither;

    TimeoutKind(String keyword, Set<SectionType> sections, String legacyKeyword, Function<Timeouts, Duration> component,
                BiFunction<Timeouts, Duration, Timeouts> wither) {
        this.keyword = keyword;
        this.sections = java.util.Collections.unmodifiableSet(sections);
        this.legacyKeyword = legacyKeyword;
        this.component = component;
        this.wither = wither;
    }

    /** The word after {@code timeout}, e.g. {@code http-request}. */
    public String keyword() {
        return keyword;
    }

    /** {@code timeout NAME}: how a user writes it, the feature's name. */
    public String feature() {
        return "timeout " + keyword;
    }

    /** The sections it may be written in (HAProxy's "may be used in sections"). */
    public Set<SectionType> sections() {
        return sections;
    }

    /** The 1.4 statement of its own ({@code contimeout}...), or {@code null} when it has none. */
    public String legacyKeyword() {
        return legacyKeyword;
    }

    /** The value in {@code timeouts}, {@code null} when not written (or not layered in). */
    public Duration in(Timeouts timeouts) {
        return component.apply(timeouts);
    }

    /** {@code timeouts} with this timeout set to {@code value}. */
    public Timeouts set(Timeouts timeouts, Duration value) {
        return wither.apply(timeouts, value);
    }

    /** {@code timeout NAME}: the timeout, or empty when NAME is none. */
    public static Optional<TimeoutKind> byKeyword(String name) {
        for (TimeoutKind k : values()) {
            if (k.keyword.equals(name)) return Optional.of(k);
        }
        return Optional.empty();
    }

    /** The timeout a 1.4 statement ({@code contimeout}...) sets, or empty when {@code statement} is none. */
    public static Optional<TimeoutKind> byLegacyKeyword(String statement) {
        for (TimeoutKind k : values()) {
            if (statement.equals(k.legacyKeyword)) return Optional.of(k);
        }
        return Optional.empty();
    }
}
