package io.tidegate.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Requests of a frontend that Tidegate answers itself: those whose request target starts with a
 * prefix and whose method is GET, HEAD or POST (HAProxy's {@code stats uri} matches that way; any
 * other method goes on to the backend), answered by a {@link LocalService}. The match compares bytes
 * in place: no allocation. The route's admin conditions ({@code stats admin if|unless COND}) are
 * evaluated per request by {@link #grantsAdmin}.
 */
final class LocalRoute {
    private static final byte[] GET = {'G', 'E', 'T'};
    private static final byte[] HEAD = {'H', 'E', 'A', 'D'};
    private static final byte[] POST = {'P', 'O', 'S', 'T'};

    private final byte[] prefix;
    private final LocalService service;
    private final RuleCondition[] admin;

    LocalRoute(String uriPrefix, LocalService service) {
        this(uriPrefix, service, List.of());
    }

    LocalRoute(String uriPrefix, LocalService service, List<RuleCondition> admin) {
        this.prefix = uriPrefix.getBytes(StandardCharsets.ISO_8859_1);
        this.service = java.util.Objects.requireNonNull(service);
        this.admin = admin.toArray(new RuleCondition[0]);
    }

    LocalService service() {
        return service;
    }

    boolean hasAdminRules() {
        return admin.length > 0;
    }

    /** One of the admin conditions applies to the request {@code x} holds (HAProxy: the first that applies grants admin). */
    boolean grantsAdmin(ExchangeFacts x) {
        for (RuleCondition c : admin) if (RuleCondition.applies(c, x)) return true;
        return false;
    }

    /** The method in {@code buf[start, methodEnd)} is GET, HEAD or POST and the target in {@code buf[targetStart, targetEnd)} starts with the prefix. */
    boolean matches(ByteBuffer buf, int start, int methodEnd, int targetStart, int targetEnd) {
        if (!is(buf, start, methodEnd, GET) && !is(buf, start, methodEnd, POST) && !is(buf, start, methodEnd, HEAD)) return false;
        return matches(buf, targetStart, targetEnd);
    }

    /** The target in {@code buf[targetStart, targetEnd)} starts with the prefix. */
    boolean matches(ByteBuffer buf, int targetStart, int targetEnd) {
        if (targetEnd - targetStart < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (buf.get(targetStart + i) != prefix[i]) return false;
        return true;
    }

    static boolean isPost(ByteBuffer buf, int start, int methodEnd) {
        return is(buf, start, methodEnd, POST);
    }

    private static boolean is(ByteBuffer buf, int from, int to, byte[] word) {
        if (to - from != word.length) return false;
        for (int i = 0; i < word.length; i++) if (buf.get(from + i) != word[i]) return false;
        return true;
    }
}
