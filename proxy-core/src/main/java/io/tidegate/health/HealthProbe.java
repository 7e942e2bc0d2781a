package io.tidegate.health;

import io.tidegate.config.HealthCheck;
import io.tidegate.config.HttpCheckExpect;
import io.tidegate.config.TcpCheckRule;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import io.tidegate.net.EventLoop;
import io.tidegate.net.SourceBinding;

/**
 * One kind of health check (plain TCP connect, HTTP, or SSL/TLS hello), runnable against any address.
 * A run never blocks the caller: it is carried out on one of the engine's IO threads and completes its future there,
 * within the given timeouts, with the connection already closed. Instances are immutable and shared.
 */
public final class HealthProbe {

    private static final HealthProbe TCP = new HealthProbe(TcpConnectProtocol.INSTANCE, "tcp connect");
    private static final HealthProbe SSL_HELLO = new HealthProbe(SslHelloProtocol.INSTANCE, "ssl-hello-chk");

    private final CheckProtocol protocol;
    /** {@code option tcp-check} with rules: run instead of {@link #protocol}; null otherwise. */
    private final TcpCheckSequence sequence;
    private final String description;
    /** What makes two probes check the same way (request, headers and expect rule for HTTP). */
    private final Object settings;

    private HealthProbe(CheckProtocol protocol, String description, Object settings) {
        this(protocol, null, description, settings);
    }

    private HealthProbe(CheckProtocol protocol, TcpCheckSequence sequence, String description, Object settings) {
        this.protocol = protocol;
        this.sequence = sequence;
        this.description = description;
        this.settings = settings;
    }

    private HealthProbe(CheckProtocol protocol, String description) {
        this(protocol, description, description);
    }

    /** Connects and closes: L4OK, L4CON or L4TOUT. */
    public static HealthProbe tcp() {
        return TCP;
    }

    /** Sends a TLS ClientHello: L6OK, L6RSP, L6TOUT, or L4CON / L4TOUT when it cannot connect. */
    public static HealthProbe sslHello() {
        return SSL_HELLO;
    }

    /** Sends {@code request} and judges the answer by {@code expectation}: L7OK, L7STS, L7RSP, L7TOUT, L4*. */
    public static HealthProbe http(HttpCheckRequest request, HttpExpectation expectation) {
        return http(request, expectation, false);
    }

    /**
     * As {@link #http(HttpCheckRequest, HttpExpectation)}; with {@code disableOn404} a 404 answer is
     * L7OKC ({@code http-check disable-on-404}), whatever the expect rule says.
     */
    public static HealthProbe http(HttpCheckRequest request, HttpExpectation expectation, boolean disableOn404) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(expectation, "expectation");
        return new HealthProbe(new HttpCheckProtocol(request, expectation, disableOn404),
                "httpchk " + request.method() + " " + request.uri() + " " + request.version() + ", " + expectation
                        + (disableOn404 ? ", disable-on-404" : ""),
                List.of(request, expectation.toString(), disableOn404));
    }

    /**
     * The probe of a proxy's effective settings: {@code option httpchk} (with its {@code http-check expect}),
     * {@code option ssl-hello-chk}, else a TCP connect. A {@code null} check means a TCP connect.
     */
    public static HealthProbe of(HealthCheck check, HttpCheckExpect expect) {
        return of(check, expect, null, false);
    }

    /**
     * As {@link #of(HealthCheck, HttpCheckExpect)} with an HTTP check's {@code http-check send} request
     * and {@code http-check disable-on-404} (both only mean something with {@code option httpchk}).
     */
    public static HealthProbe of(HealthCheck check, HttpCheckExpect expect, io.tidegate.config.HttpCheckSend send,
                                 boolean disableOn404) {
        return of(check, expect, send, disableOn404, List.of());
    }

    /**
     * As {@link #of(HealthCheck, HttpCheckExpect, io.tidegate.config.HttpCheckSend, boolean)} with the
     * section's {@code tcp-check} rules, which {@code option tcp-check} runs (a plain connect without rules).
     */
    public static HealthProbe of(HealthCheck check, HttpCheckExpect expect, io.tidegate.config.HttpCheckSend send,
                                 boolean disableOn404, List<TcpCheckRule> tcpCheckRules) {
        if (check == null) {
            return TCP;
        }
        return switch (check.kind()) {
            case TCP -> TCP;
            case TCP_CHECK -> tcpCheck(tcpCheckRules);
            case SSL_HELLO -> SSL_HELLO;
            case HTTP -> http(HttpCheckRequest.of(check, send), HttpExpectation.of(expect), disableOn404);
            case REDIS, PGSQL, MYSQL, SMTP, LDAP -> new HealthProbe(new ServiceCheckProtocol(check),
                    check.option() + (check.arguments().isEmpty() ? "" : " " + String.join(" ", check.arguments())),
                    check);
        };
    }

    /**
     * {@code option tcp-check} running {@code rules} (compiled here, once): a plain connect check when
     * there are none.
     */
    public static HealthProbe tcpCheck(List<TcpCheckRule> rules) {
        if (rules == null || rules.isEmpty()) {
            return TCP;
        }
        return new HealthProbe(null, TcpCheckSequence.of(rules), "tcp-check (" + rules.size() + " rules)",
                List.copyOf(rules));
    }

    /** Runs one check of {@code target} on {@code loop} (callable from any thread). */
    public CompletableFuture<CheckResult> run(EventLoop loop, InetSocketAddress target, CheckTimeouts timeouts) {
        return run(loop, null, target, timeouts);
    }

    /**
     * Runs one check of {@code target} on {@code loop}, its socket bound to {@code source} first when
     * not null (port 0: any free port).
     */
    public CompletableFuture<CheckResult> run(EventLoop loop, InetSocketAddress source, InetSocketAddress target,
                                              CheckTimeouts timeouts) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(timeouts, "timeouts");
        SourceBinding binding = source == null ? null
                : new SourceBinding(source.getAddress(), source.getPort(), source.getPort());
        return sequence != null ? new TcpCheckRun(sequence, loop, binding, target, timeouts).start()
                : new ProbeRun(protocol, loop, binding, target, timeouts).start();
    }

    /** Equal probes send the same request and judge the answer by the same rule. */
    @Override
    public boolean equals(Object o) {
        return o instanceof HealthProbe other && settings.equals(other.settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    @Override
    public String toString() {
        return description;
    }
}
