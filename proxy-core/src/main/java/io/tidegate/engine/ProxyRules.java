package io.tidegate.engine;

import io.tidegate.config.ProxyRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The rules of one proxy compiled at load time: {@code tcp-request connection|content},
 * {@code http-request} (then the old {@code redirect} rules, which HAProxy runs after them),
 * the conditional {@code use_backend} rules, {@code http-response}, and its {@code errorfile}s.
 */
final class ProxyRules {
    final HttpRule[] request;
    final HttpRule[] response;
    final RuleCondition[] switching;
    /** The backend of each conditional use_backend rule; null for a dynamic name ({@link #dynamicNames}). */
    final String[] switchingBackends;
    final DynamicBackendName[] dynamicNames;
    private final RuleCondition[] tcpConnection;
    private final boolean[] tcpConnectionAccept;
    /** The stick-counter action of each tcp-request connection rule, null for accept / reject. */
    private final CounterAction[] tcpConnectionCounters;
    private final RuleCondition[] tcpContent;
    private final boolean[] tcpContentAccept;
    private final CounterAction[] tcpContentCounters;
    /** {@code tcp-request inspect-delay} in ms; 0 = none (content rules are evaluated once, at once). */
    final long inspectDelayMs;
    /** errorfile answers by status; empty when none. */
    final Map<Integer, LocalResponse> errorfiles;
    /** {@code monitor fail if|unless COND}: the monitor-uri request fails when any of them applies. */
    private final RuleCondition[] monitorFail;

    private ProxyRules(List<HttpRule> request, List<HttpRule> response, List<RuleCondition> switching,
                       List<String> switchingBackends, List<DynamicBackendName> dynamicNames,
                       List<RuleCondition> tcpConnection, List<Boolean> tcpConnectionAccept,
                       List<CounterAction> tcpConnectionCounters,
                       List<RuleCondition> tcpContent, List<Boolean> tcpContentAccept,
                       List<CounterAction> tcpContentCounters, Map<Integer, LocalResponse> errorfiles,
                       List<RuleCondition> monitorFail, long inspectDelayMs) {
        this.inspectDelayMs = inspectDelayMs;
        this.request = request.toArray(new HttpRule[0]);
        this.response = response.toArray(new HttpRule[0]);
        this.switching = switching.toArray(new RuleCondition[0]);
        this.switchingBackends = switchingBackends.toArray(new String[0]);
        this.dynamicNames = dynamicNames.toArray(new DynamicBackendName[0]);
        this.tcpConnection = tcpConnection.toArray(new RuleCondition[0]);
        this.tcpConnectionAccept = booleans(tcpConnectionAccept);
        this.tcpContent = tcpContent.toArray(new RuleCondition[0]);
        this.tcpContentAccept = booleans(tcpContentAccept);
        this.tcpConnectionCounters = tcpConnectionCounters.toArray(new CounterAction[0]);
        this.tcpContentCounters = tcpContentCounters.toArray(new CounterAction[0]);
        this.errorfiles = Map.copyOf(errorfiles);
        this.monitorFail = monitorFail.toArray(new RuleCondition[0]);
    }

    private static boolean[] booleans(List<Boolean> list) {
        boolean[] a = new boolean[list.size()];
        for (int i = 0; i < a.length; i++) a[i] = list.get(i);
        return a;
    }

    boolean hasRequestRules() {
        return request.length > 0;
    }

    boolean hasResponseRules() {
        return response.length > 0;
    }

    boolean hasTcpRules() {
        return tcpConnection.length > 0 || tcpContent.length > 0;
    }

    /** Runs the request rules on {@code x.req}: HttpRule.CONTINUE, STOP (allow) or ANSWER. */
    int runRequest(ExchangeFacts x) {
        return run(request, x, x.req, x.reqEdits);
    }

    int runResponse(ExchangeFacts x) {
        return run(response, x, x.rsp, x.rspEdits);
    }

    private static int run(HttpRule[] rules, ExchangeFacts x, io.tidegate.http.MessageHead h, HeadEdits e) {
        for (HttpRule r : rules) {
            if (!RuleCondition.applies(r.condition, x)) continue;
            int outcome = r.apply(x, h, e);
            if (outcome != HttpRule.CONTINUE) return outcome;
        }
        return HttpRule.CONTINUE;
    }

    /** tcp-request connection rules: false when one rejects the connection. */
    boolean acceptsConnection(ExchangeFacts x) {
        return accepts(tcpConnection, tcpConnectionAccept, tcpConnectionCounters, x);
    }

    boolean hasContentRules() {
        return tcpContent.length > 0;
    }

    /** The outcomes of {@link #inspectContents}. */
    static final int CONTENT_ACCEPTED = 0, CONTENT_REJECTED = 1, CONTENT_WAIT = 2;

    /**
     * The tcp-request content rules on the contents received so far ({@link ExchangeFacts#contents}):
     * the first rule that applies accepts or rejects; none = accepted. CONTENT_WAIT when a rule
     * cannot tell before more bytes arrive (only while the contents are not final), as HAProxy's
     * tcp_inspect_request. A stick-counter action that applies runs and the rules go on (a track-sc
     * runs once: a counter that tracks already is left as it is).
     */
    int inspectContents(ExchangeFacts x) {
        for (int i = 0; i < tcpContent.length; i++) {
            int r = RuleCondition.test(tcpContent[i], x);
            if (r == RuleCondition.MISS) return CONTENT_WAIT;
            if (r != RuleCondition.PASS) continue;
            if (tcpContentCounters[i] != null) {
                tcpContentCounters[i].run(x);
                continue;
            }
            return tcpContentAccept[i] ? CONTENT_ACCEPTED : CONTENT_REJECTED;
        }
        return CONTENT_ACCEPTED;
    }

    /** The first accept or reject that applies decides; stick-counter actions on the way run and go on. */
    private static boolean accepts(RuleCondition[] rules, boolean[] accept, CounterAction[] counters, ExchangeFacts x) {
        for (int i = 0; i < rules.length; i++) {
            if (!RuleCondition.applies(rules[i], x)) continue;
            if (counters[i] == null) return accept[i];
            counters[i].run(x);
        }
        return true;
    }

    /** Whether a {@code monitor fail} rule applies to this monitor request (x has begun the request). */
    boolean monitorFails(ExchangeFacts x) {
        for (RuleCondition c : monitorFail) {
            if (RuleCondition.applies(c, x)) return true;
        }
        return false;
    }

    boolean hasMonitorFail() {
        return monitorFail.length > 0;
    }

    boolean hasDynamicNames() {
        for (DynamicBackendName d : dynamicNames) if (d != null) return true;
        return false;
    }

    /** The index of the first conditional use_backend rule that applies, or -1. */
    int switchTo(ExchangeFacts x) {
        for (int i = 0; i < switching.length; i++) {
            if (RuleCondition.applies(switching[i], x)) return i;
        }
        return -1;
    }

    /**
     * Compiles {@code plan}; null when it has nothing to run. {@code backends} resolves backend names
     * (nbsrv), {@code own} is the proxy's own backend (listen/backend), {@code services} the local
     * services {@code use-service} may name.
     */
    static ProxyRules compile(String proxy, EnginePlan.Rules plan, Function<String, RuntimeBackend> backends,
                              RuntimeBackend own, Map<String, LocalService> services) throws EngineException {
        return compile(proxy, plan, backends, own, services, n -> null);
    }

    /** As above; {@code userlists} resolves the userlists of http_auth and http_auth_group. */
    static ProxyRules compile(String proxy, EnginePlan.Rules plan, Function<String, RuntimeBackend> backends,
                              RuntimeBackend own, Map<String, LocalService> services,
                              RuleScope userlists) throws EngineException {
        if (plan.statements().stream().allMatch(r -> r.phase() == ProxyRule.Phase.ACL) && plan.errorfiles().isEmpty()) {
            return null;
        }
        Map<Integer, LocalResponse> errorfiles = new HashMap<>();
        for (Map.Entry<Integer, String> e : plan.errorfiles().entrySet()) {
            try {
                errorfiles.put(e.getKey(), LocalResponse.raw(e.getKey(), Files.readAllBytes(Path.of(e.getValue()))));
            } catch (IOException ex) {
                throw new EngineException("proxy " + proxy + ": cannot read errorfile " + e.getValue(), ex);
            }
        }
        List<HttpRule> request = new ArrayList<>();
        List<HttpRule> redirects = new ArrayList<>();
        List<HttpRule> response = new ArrayList<>();
        List<RuleCondition> switching = new ArrayList<>();
        List<String> switchingBackends = new ArrayList<>();
        List<DynamicBackendName> dynamicNames = new ArrayList<>();
        List<RuleCondition> tcpConnection = new ArrayList<>();
        List<Boolean> tcpConnectionAccept = new ArrayList<>();
        List<RuleCondition> tcpContent = new ArrayList<>();
        List<Boolean> tcpContentAccept = new ArrayList<>();
        List<CounterAction> tcpConnectionCounters = new ArrayList<>();
        List<CounterAction> tcpContentCounters = new ArrayList<>();
        List<RuleCondition> monitorFail = new ArrayList<>();
        long inspectDelayMs = 0;
        for (ProxyRule r : plan.statements()) {
            RuleCondition c;
            try {
                c = RuleCondition.compile(r.condition(), backends, own, userlists);
            } catch (IllegalArgumentException e) {
                throw new EngineException(r.pos() + ": " + e.getMessage(), e);
            }
            try {
                switch (r.phase()) {
                    case ACL, ERRORFILE, STICK_TABLE, STICK -> {
                        // stick rules: StickRules, compiled for the backend
                    }
                    case TCP_CONNECTION -> {
                        tcpConnection.add(c);
                        tcpConnectionAccept.add(r.action().equals("accept"));
                        tcpConnectionCounters.add(CounterAction.isCounterAction(r)
                                ? CounterAction.compile(r, backends, own, userlists) : null);
                    }
                    case TCP_CONTENT -> {
                        if (r.action().equals("inspect-delay")) {
                            inspectDelayMs = Long.parseLong(r.param("delay"));
                            continue;
                        }
                        tcpContent.add(c);
                        tcpContentAccept.add(r.action().equals("accept"));
                        tcpContentCounters.add(CounterAction.isCounterAction(r)
                                ? CounterAction.compile(r, backends, own, userlists) : null);
                    }
                    case SWITCHING -> {
                        switching.add(c);
                        switchingBackends.add(r.param("backend"));
                        dynamicNames.add(r.param("backend") == null ? new DynamicBackendName(r, backends, own) : null);
                    }
                    case HTTP_REQUEST -> (r.param("after-http-request") != null ? redirects : request)
                            .add(httpRule(proxy, r, c, true, backends, own, services, errorfiles, userlists));
                    case MONITOR_FAIL -> monitorFail.add(c);
                    case HTTP_RESPONSE -> response.add(httpRule(proxy, r, c, false, backends, own, services, errorfiles, userlists));
                    default -> throw new IllegalStateException(r.phase().toString());
                }
            } catch (IllegalArgumentException e) {
                throw new EngineException(r.pos() + ": " + e.getMessage(), e);
            }
        }
        request.addAll(redirects);
        return new ProxyRules(request, response, switching, switchingBackends, dynamicNames, tcpConnection,
                tcpConnectionAccept, tcpConnectionCounters,
                tcpContent, tcpContentAccept, tcpContentCounters, errorfiles, monitorFail, inspectDelayMs);
    }

    private static HttpRule httpRule(String proxy, ProxyRule r, RuleCondition c, boolean request,
                                     Function<String, RuntimeBackend> backends, RuntimeBackend own,
                                     Map<String, LocalService> services, Map<Integer, LocalResponse> errorfiles,
                                     RuleScope userlists)
            throws EngineException {
        Function<String, RuleValue> value = k -> RuleValue.parse(r.param(k), backends, own, userlists);
        if (CounterAction.isCounterAction(r)) return new HttpRule.Counter(c, CounterAction.compile(r, backends, own, userlists));
        return switch (r.action()) {
            case "allow" -> new HttpRule.Allow(c);
            case "deny" -> {
                int st = Integer.parseInt(r.param("status") == null ? (request ? "403" : "502") : r.param("status"));
                if (!request && r.param("status") == null) st = 502;
                LocalResponse file = errorfiles.get(st);
                yield new HttpRule.Answer(c, file != null ? file : LocalResponse.denied(st), true);
            }
            case "return" -> new HttpRule.Answer(c, returned(r), false);
            // HAProxy's realm defaults to the name of the proxy the rule is written in; its errorfile 401 is the page
            case "auth" -> new HttpRule.Answer(c, LocalResponse.unauthorized(r.param("realm") == null ? proxy
                    : r.param("realm"), errorfiles.get(401)), false);
            case "redirect" -> new HttpRule.Redirect(c, r.param("type"), value.apply("value"),
                    Integer.parseInt(r.param("code")), r.param("drop-query") != null, r.param("append-slash") != null);
            case "set-header" -> new HttpRule.AddHeader(c, r.param("name"), value.apply("value"), true);
            case "add-header" -> new HttpRule.AddHeader(c, r.param("name"), value.apply("value"), false);
            case "del-header" -> new HttpRule.DelHeader(c, r.param("name"));
            case "replace-header", "replace-value" -> new HttpRule.ReplaceHeader(c, r.param("name"), r.param("regex"),
                    value.apply("replacement"), r.action().equals("replace-value"));
            case "set-path" -> new HttpRule.SetTarget(c, HttpRule.SetTarget.PATH, value.apply("value"));
            case "set-query" -> new HttpRule.SetTarget(c, HttpRule.SetTarget.QUERY, value.apply("value"));
            case "set-uri" -> new HttpRule.SetTarget(c, HttpRule.SetTarget.URI, value.apply("value"));
            case "set-status" -> new HttpRule.SetStatus(c, Integer.parseInt(r.param("status")), r.param("reason"));
            case "use-service" -> {
                LocalService s = services.get(r.param("service"));
                if (s == null) {
                    throw new EngineException(r.pos() + ": http-request use-service " + r.param("service")
                            + ": no such service (available: " + String.join(", ", services.keySet()) + ")");
                }
                yield new HttpRule.UseService(c, s);
            }
            case "set-var" -> {
                yield new HttpRule.SetVar(c, r.param("var"),
                        SampleFetch.expression(r.param("fetch"), backends, own, userlists));
            }
            case "delete-line" -> new HttpRule.LegacyLine(c, r.param("regex"), r.param("ignore-case") != null, null);
            case "replace-line" -> new HttpRule.LegacyLine(c, r.param("regex"), r.param("ignore-case") != null,
                    r.param("replacement"));
            default -> throw new EngineException(r.pos() + ": unsupported rule action " + r.action());
        };
    }

    /** http-request return: status, content-type, string|file|errorfile, hdr lines. */
    private static LocalResponse returned(ProxyRule r) throws EngineException {
        int st = Integer.parseInt(r.param("status"));
        try {
            if (r.param("errorfile") != null) {
                return LocalResponse.raw(st, Files.readAllBytes(Path.of(r.param("errorfile"))));
            }
            byte[] body = r.param("string") != null ? RuleValue.bytes(r.param("string"))
                    : r.param("file") != null ? Files.readAllBytes(Path.of(r.param("file"))) : new byte[0];
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            if (r.param("content-type") != null) headers.put("Content-Type", r.param("content-type"));
            for (int i = 0; r.param("hdr." + i) != null; i++) {
                String line = r.param("hdr." + i);
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon), line.substring(colon + 2));
            }
            return LocalResponse.of(st, Statuses.reason(st), headers, body);
        } catch (IOException e) {
            throw new EngineException(r.pos() + ": cannot read " + e.getMessage(), e);
        }
    }
}
