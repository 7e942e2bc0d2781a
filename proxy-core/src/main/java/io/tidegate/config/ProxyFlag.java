package io.tidegate.config;

import static io.tidegate.config.SectionType.BACKEND;
import static io.tidegate.config.SectionType.DEFAULTS;
import static io.tidegate.config.SectionType.FRONTEND;
import static io.tidegate.config.SectionType.LISTEN;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * HAProxy's on/off proxy options: {@code option NAME} / {@code no option NAME} with no argument, off
 * unless written (HAProxy's built-in value for each of them). Each is declared once, here, with its
 * keyword and the sections it may appear in; the parser, the keyword table, the feature list, the
 * configuration writer, the {@code defaults} layering and the engine's plan all follow this list.
 * Adding such an option means adding its constant and the behaviour that reads it
 * ({@link ProxyFlags#isOn}).
 */
public enum ProxyFlag {
    /** Do not log connections that sent no data (a monitor's probe). */
    DONTLOGNULL("dontlognull", EnumSet.of(DEFAULTS, FRONTEND, LISTEN)),
    /** Keep sending a client with a persistence cookie to its server even when that server is down. */
    PERSIST("persist", EnumSet.of(DEFAULTS, LISTEN, BACKEND)),
    /** Let a retry go to another server when the persistent one cannot be reached. */
    REDISPATCH("redispatch", EnumSet.of(DEFAULTS, LISTEN, BACKEND)),
    /** Drop a queued request whose client closed its side. */
    ABORTONCLOSE("abortonclose", EnumSet.of(DEFAULTS, LISTEN, BACKEND)),
    /** When every normal server is down, share the traffic over all usable backups, not only the first. */
    ALLBACKUPS("allbackups", EnumSet.of(DEFAULTS, LISTEN, BACKEND)),
    /** TCP keep-alive probes (SO_KEEPALIVE) on client and server connections. */
    TCPKA("tcpka", EnumSet.of(DEFAULTS, FRONTEND, LISTEN, BACKEND)),
    /** TCP keep-alive probes on client connections. */
    CLITCPKA("clitcpka", EnumSet.of(DEFAULTS, FRONTEND, LISTEN)),
    /** TCP keep-alive probes on server connections. */
    SRVTCPKA("srvtcpka", EnumSet.of(DEFAULTS, LISTEN, BACKEND)),
    /**
     * Wait for the request's body (until it is complete or fills the receive buffer, within
     * {@code timeout http-request}) before the request rules run and a server is chosen, so that
     * {@code req.body*} fetches see it; answers {@code Expect: 100-continue} itself.
     */
    HTTP_BUFFER_REQUEST("http-buffer-request", EnumSet.of(DEFAULTS, FRONTEND, LISTEN, BACKEND)),
    /** Log every change of a server's check status, not only up and down. */
    LOG_HEALTH_CHECKS("log-health-checks", EnumSet.of(DEFAULTS, LISTEN, BACKEND)),
    /**
     * {@code http-check disable-on-404} (a statement of its own, never negated): a running server that
     * answers its check with 404 takes no new load-balanced traffic.
     */
    DISABLE_ON_404("http-check", "disable-on-404", EnumSet.of(DEFAULTS, LISTEN, BACKEND));

    private final String statement;
    private final String keyword;
    private final Set<SectionType> sections;

    ProxyFlag(String keyword, Set<SectionType> sections) {
        this("option", keyword, sections);
    }

    ProxyFlag(String statement, String keyword, Set<SectionType> sections) {
        this.statement = statement;
        this.keyword = keyword;
        this.sections = java.util.Collections.unmodifiableSet(sections);
    }

    /** The word after {@code option} (or after {@link #statement()}). */
    public String keyword() {
        return keyword;
    }

    /** {@code option} for {@code [no] option NAME}; else the statement it follows ({@code http-check}). */
    public String statement() {
        return statement;
    }

    /** Written as {@code [no] option NAME}. */
    public boolean isOption() {
        return statement.equals("option");
    }

    /** How a user writes it, e.g. {@code option tcpka}: the feature's name. */
    public String feature() {
        return statement + " " + keyword;
    }

    /** The sections it may be written in (HAProxy's "may be used in sections"). */
    public Set<SectionType> sections() {
        return sections;
    }

    /** {@code option NAME}: the flag, or empty when NAME is not an on/off option. */
    public static Optional<ProxyFlag> byKeyword(String name) {
        for (ProxyFlag f : values()) {
            if (f.isOption() && f.keyword.equals(name)) return Optional.of(f);
        }
        return Optional.empty();
    }
}
