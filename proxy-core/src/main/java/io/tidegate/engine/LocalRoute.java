package io.tidegate.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Requests of a frontend that Tidegate answers itself: those whose request target starts with a
 * prefix (HAProxy's {@code stats uri} matches that way), answered by a {@link LocalService}. The
 * match compares bytes in place: no allocation.
 */
final class LocalRoute {
    private final byte[] prefix;
    private final LocalService service;

    LocalRoute(String uriPrefix, LocalService service) {
        this.prefix = uriPrefix.getBytes(StandardCharsets.ISO_8859_1);
        this.service = java.util.Objects.requireNonNull(service);
    }

    LocalService service() {
        return service;
    }

    /** The target in {@code buf[targetStart, targetEnd)} starts with the prefix. */
    boolean matches(ByteBuffer buf, int targetStart, int targetEnd) {
        if (targetEnd - targetStart < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (buf.get(targetStart + i) != prefix[i]) return false;
        return true;
    }
}
