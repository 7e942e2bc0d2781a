package io.tidegate.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A rule statement of a proxy section, in file order: {@code acl}, {@code use_backend NAME if|unless},
 * {@code http-request}, {@code http-response}, {@code redirect}, {@code errorfile},
 * {@code tcp-request connection|content}, and the 1.x header rules mapped to their modern form.
 *
 * @param phase     where the rule runs
 * @param action    the action word, e.g. {@code deny}, {@code set-header}, {@code use_backend};
 *                  {@code acl} for an ACL definition
 * @param params    the action's parameters by name (e.g. {@code status}, {@code name}, {@code value},
 *                  {@code location}, {@code code}); the names are the keywords of HAProxy's syntax
 * @param condition its {@code if}/{@code unless} condition, null = always
 * @param acl       the ACL an {@code acl} line defines, else null
 * @param words     the line as written, for {@link ConfigWriter}
 */
public record ProxyRule(Phase phase, String action, Map<String, String> params, Condition condition, AclDef acl,
                        List<String> words, SourcePos pos) {

    /** Where a rule runs. */
    public enum Phase {
        /** {@code acl} lines: definitions only */
        ACL,
        /** {@code tcp-request connection}: when a connection is accepted */
        TCP_CONNECTION,
        /** {@code tcp-request content}: before the server is chosen (mode tcp) */
        TCP_CONTENT,
        /** {@code http-request}, {@code redirect}, 1.x {@code req*}/{@code block}: on the request head */
        HTTP_REQUEST,
        /** {@code use_backend NAME if|unless COND} */
        SWITCHING,
        /** {@code http-response}, 1.x {@code rsp*}: on the response head */
        HTTP_RESPONSE,
        /** {@code errorfile CODE FILE}: the body of a locally answered status */
        ERRORFILE,
        /** {@code stick-table type ... size ... [expire T]}: the table of a backend's stickiness */
        STICK_TABLE,
        /** {@code stick on|match|store-request FETCH [if COND]}: server affinity through the stick table */
        STICK,
        /** {@code monitor fail if|unless COND}: the monitor-uri request is answered 503 when it applies */
        MONITOR_FAIL
    }

    public ProxyRule {
        Objects.requireNonNull(phase, "phase");
        Objects.requireNonNull(action, "action");
        params = Map.copyOf(params);
        words = List.copyOf(words);
        pos = SourcePos.orUnknown(pos);
    }

    public String param(String name) {
        return params.get(name);
    }
}
