package io.tidegate.engine;

import io.tidegate.config.CookieMode;
import io.tidegate.config.CookieSpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A backend's persistence cookie at run time: its {@link CookieSpec} and the bytes the relay
 * writes for it, prepared once so that editing a message copies bytes and allocates nothing.
 */
final class PersistenceCookie {
    private static final byte[] SET_COOKIE = ascii("Set-Cookie: ");
    private static final byte[] CLEARED = ascii("=; Expires=Thu, 01-Jan-1970 00:00:01 GMT; path=/");
    private static final byte[] CACHE_PRIVATE = ascii("Cache-Control: private\r\n");
    static final byte PREFIX_DELIMITER = '~';

    final CookieSpec policy;
    final byte[] name;
    /** "; path=/" for an inserted cookie. */
    private final byte[] path = ascii("; path=/");
    /** What follows the value of an inserted cookie: domains, HttpOnly, Secure, attrs, CRLF. */
    private final byte[] attributes;

    PersistenceCookie(CookieSpec policy) {
        this.policy = policy;
        this.name = ascii(policy.name());
        StringBuilder a = new StringBuilder();
        for (String d : policy.domains()) a.append("; domain=").append(d);
        if (policy.httponly()) a.append("; HttpOnly");
        if (policy.secure()) a.append("; Secure");
        for (String attr : policy.attrs()) a.append("; ").append(attr);
        a.append("\r\n");
        this.attributes = ascii(a.toString());
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    CookieMode mode() {
        return policy.mode();
    }

    /**
     * Writes the Set-Cookie line inserted for {@code server}: {@code NAME=VALUE[|LAST[|FIRST]]; path=/
     * ...}, or for a server without a cookie value the line that clears the client's cookie (as
     * HAProxy does). {@code firstSeen} is the first-visit date the client's cookie carried (0 = none).
     */
    void writeInsert(ByteBuffer out, RuntimeServer server, long nowSeconds, long firstSeen, boolean nocache) {
        out.put(SET_COOKIE).put(name);
        byte[] value = server.cookieBytes();
        if (value == null) {
            out.put(CLEARED);
        } else {
            out.put((byte) '=').put(value);
            if (policy.dated()) {
                out.put(CookieDate.DELIMITER);
                CookieDate.write(out, nowSeconds);
                if (policy.maxLifeSeconds() > 0) {
                    out.put(CookieDate.DELIMITER);
                    if (firstSeen > 0) CookieDate.writeSame(out, firstSeen);
                    else CookieDate.write(out, nowSeconds);
                }
            }
            out.put(path);
        }
        out.put(attributes);
        if (nocache) out.put(CACHE_PRIVATE);
    }
}
