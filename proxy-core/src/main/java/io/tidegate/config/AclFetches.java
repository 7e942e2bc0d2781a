package io.tidegate.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sample fetches ACLs and rules may use, with their value type, argument count and which side of
 * an exchange they read (HAProxy's doc/configuration.txt §7.3). Derived names such as
 * {@code path_beg} or {@code hdr_dom(host)} resolve to a base fetch plus the match method they imply.
 */
public final class AclFetches {

    /** The type of the value a fetch returns. */
    public enum Type { STR, INT, IP, BOOL, BIN }

    /**
     * Where a fetch can be used: CONNECTION anywhere; REQUEST in request rules; RESPONSE in response
     * rules; EITHER the message of the rule's side; TRANSACTION the request's value, kept for the
     * whole exchange (HAProxy's "permanent" request samples such as {@code method}), so response
     * rules can read it too; CONTENTS the first bytes of the request as received (HAProxy's layer 6
     * "request contents"), in {@code tcp-request content} and {@code use_backend} rules.
     */
    public enum Side { CONNECTION, REQUEST, RESPONSE, EITHER, TRANSACTION, CONTENTS }

    /** A base fetch. */
    public record Fetch(String name, Type type, int minArgs, int maxArgs, Side side) {
    }

    private static final Map<String, Fetch> BASE = table(
            f("src", Type.IP, 0, 0, Side.CONNECTION),
            f("dst", Type.IP, 0, 0, Side.CONNECTION),
            f("src_port", Type.INT, 0, 0, Side.CONNECTION),
            f("dst_port", Type.INT, 0, 0, Side.CONNECTION),
            f("nbsrv", Type.INT, 0, 1, Side.CONNECTION),
            f("always_true", Type.BOOL, 0, 0, Side.CONNECTION),
            f("always_false", Type.BOOL, 0, 0, Side.CONNECTION),
            f("ssl_fc", Type.BOOL, 0, 0, Side.CONNECTION),
            f("ssl_fc_sni", Type.STR, 0, 0, Side.CONNECTION),
            f("path", Type.STR, 0, 0, Side.REQUEST),
            f("url", Type.STR, 0, 0, Side.REQUEST),
            f("query", Type.STR, 0, 0, Side.REQUEST),
            f("base", Type.STR, 0, 0, Side.REQUEST),
            f("method", Type.STR, 0, 0, Side.TRANSACTION),
            f("req.ver", Type.STR, 0, 0, Side.REQUEST),
            f("req.proto_http", Type.BOOL, 0, 0, Side.REQUEST),
            f("url_param", Type.STR, 1, 2, Side.REQUEST),
            f("urlp", Type.STR, 1, 2, Side.REQUEST),
            f("req.cook", Type.STR, 0, 1, Side.REQUEST),
            f("cook", Type.STR, 0, 1, Side.REQUEST),
            f("req.hdr", Type.STR, 0, 2, Side.REQUEST),
            f("req.fhdr", Type.STR, 1, 2, Side.REQUEST),
            f("hdr", Type.STR, 0, 2, Side.EITHER),
            f("fhdr", Type.STR, 1, 2, Side.EITHER),
            f("req.hdr_cnt", Type.INT, 0, 1, Side.REQUEST),
            f("hdr_cnt", Type.INT, 0, 1, Side.EITHER),
            f("req.hdr_val", Type.INT, 1, 2, Side.REQUEST),
            f("hdr_val", Type.INT, 1, 2, Side.EITHER),
            f("res.hdr", Type.STR, 0, 2, Side.RESPONSE),
            f("shdr", Type.STR, 0, 2, Side.RESPONSE),
            f("res.fhdr", Type.STR, 1, 2, Side.RESPONSE),
            f("res.hdr_cnt", Type.INT, 0, 1, Side.RESPONSE),
            f("shdr_cnt", Type.INT, 0, 1, Side.RESPONSE),
            f("status", Type.INT, 0, 0, Side.RESPONSE),
            // the request body in the receive buffer (all of it when option http-buffer-request waited for it)
            f("req.body", Type.STR, 0, 0, Side.REQUEST),
            f("req.body_len", Type.INT, 0, 0, Side.REQUEST),
            f("req.body_size", Type.INT, 0, 0, Side.REQUEST),
            f("req.body_param", Type.STR, 0, 1, Side.REQUEST),
            // Basic authentication against a userlist: valid credentials; the groups of the user they name
            f("http_auth", Type.BOOL, 1, 1, Side.REQUEST),
            f("http_auth_group", Type.STR, 1, 1, Side.REQUEST),
            f("var", Type.STR, 1, 1, Side.CONNECTION),
            f("str", Type.STR, 1, 1, Side.CONNECTION),
            f("int", Type.INT, 1, 1, Side.CONNECTION),
            // layer 6: the first bytes of the request as received (doc/configuration.txt 7.3.5)
            f("req.len", Type.INT, 0, 0, Side.CONTENTS),
            f("req_len", Type.INT, 0, 0, Side.CONTENTS),
            f("req.payload", Type.BIN, 2, 2, Side.CONTENTS),
            f("req.payload_lv", Type.BIN, 2, 3, Side.CONTENTS),
            // the 1.x names (deprecated in 2.x); in the request rules they read the request, as req.*
            f("payload", Type.BIN, 2, 2, Side.CONTENTS),
            f("payload_lv", Type.BIN, 2, 3, Side.CONTENTS),
            f("req.ssl_hello_type", Type.INT, 0, 0, Side.CONTENTS),
            f("req_ssl_hello_type", Type.INT, 0, 0, Side.CONTENTS),
            f("req.ssl_sni", Type.STR, 0, 0, Side.CONTENTS),
            f("req_ssl_sni", Type.STR, 0, 0, Side.CONTENTS),
            f("req.ssl_ver", Type.INT, 0, 0, Side.CONTENTS),
            f("req_ssl_ver", Type.INT, 0, 0, Side.CONTENTS),
            f("req.ssl_st_ext", Type.INT, 0, 0, Side.CONTENTS),
            f("req.rdp_cookie", Type.STR, 0, 1, Side.CONTENTS),
            f("rdp_cookie", Type.STR, 0, 1, Side.CONTENTS),
            f("req.rdp_cookie_cnt", Type.INT, 0, 1, Side.CONTENTS),
            f("rdp_cookie_cnt", Type.INT, 0, 1, Side.CONTENTS),
            f("wait_end", Type.BOOL, 0, 0, Side.CONTENTS),
            // the number of entries of a stick table (the proxy's own by default)
            f("table_cnt", Type.INT, 0, 1, Side.CONNECTION));

    /** Suffixes of derived fetch names and the match method each implies. */
    private static final Map<String, AclMatch> SUFFIXES = Map.of("_beg", AclMatch.BEG, "_end", AclMatch.END,
            "_sub", AclMatch.SUB, "_reg", AclMatch.REG, "_dom", AclMatch.DOM, "_dir", AclMatch.DIR,
            "_len", AclMatch.LEN);
    /** Base fetches that have derived names. */
    private static final List<String> DERIVABLE = List.of("path", "url", "base", "hdr", "req.hdr", "res.hdr", "shdr",
            "cook", "req.cook", "url_param", "urlp", "query", "req.ssl_sni", "req_ssl_sni", "req.rdp_cookie",
            "rdp_cookie");

    private AclFetches() {
    }

    /** A fetch name as written (without its arguments) and the match method it implies, if any. */
    public record Resolved(Fetch fetch, AclMatch implied) {
    }

    public static Optional<Resolved> resolve(String name) {
        Fetch base = BASE.get(name);
        if (base != null) {
            return Optional.of(new Resolved(base, null));
        }
        Optional<CounterFetch> counter = CounterFetch.parse(name);
        if (counter.isPresent()) {
            return Optional.of(new Resolved(counter.get().signature(name), null));
        }
        for (Map.Entry<String, AclMatch> e : SUFFIXES.entrySet()) {
            if (name.endsWith(e.getKey())) {
                String stem = name.substring(0, name.length() - e.getKey().length());
                if (DERIVABLE.contains(stem)) {
                    return Optional.of(new Resolved(BASE.get(stem), e.getValue()));
                }
            }
        }
        return Optional.empty();
    }

    public static Optional<Fetch> base(String name) {
        Fetch f = BASE.get(name);
        return f != null ? Optional.of(f) : CounterFetch.parse(name).map(c -> c.signature(name));
    }

    /** The fetch names, for messages. */
    public static String supportedNames() {
        return String.join(", ", BASE.keySet()) + " and the derived forms *_beg, *_end, *_sub, *_reg, *_dom, *_dir, "
                + "*_len of path, url, base, hdr, cook, url_param, query, req.ssl_sni, req.rdp_cookie, and the stick "
                + "counters sc_*, sc0_*, sc1_*, sc2_*, src_*";
    }

    private static Fetch f(String name, Type type, int min, int max, Side side) {
        return new Fetch(name, type, min, max, side);
    }

    private static Map<String, Fetch> table(Fetch... fetches) {
        Map<String, Fetch> m = new java.util.LinkedHashMap<>();
        for (Fetch f : fetches) {
            m.put(f.name(), f);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
