package io.tidegate.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A backend's servers by persistence-cookie value, so that finding the server a request's cookie
 * names costs one hash of the value and one comparison instead of a comparison per server (with
 * hundreds of servers the linear scan was most of a cookie request's work).
 *
 * <p>Cookie values are fixed by the configuration, so the table is built once and then only read:
 * no lock and no allocation per lookup. The hash is computed from the request buffer in place and a
 * byte-by-byte comparison confirms a candidate, so different values with the same hash stay apart.
 *
 * <p>The configuration lets servers share a value (a backup takes over the clients of the normal
 * server with its value). Each distinct value therefore maps to all its servers in configuration
 * order, and a lookup returns the first of them that takes cookie holders, as the linear scan did.
 * Servers without a value are not in the table. Values compare case-sensitively.
 */
final class CookieIndex {
    /** FNV-1a offset basis and prime (32 bits): cheap per byte and spreads short ASCII values well. */
    private static final int FNV_BASIS = 0x811c9dc5;
    private static final int FNV_PRIME = 0x01000193;
    /** Fibonacci hashing multiplier: the top bits of {@code hash * GOLDEN} choose the slot. */
    private static final int GOLDEN = 0x9E3779B9;

    /** The distinct values, each with its hash and its servers in configuration order. */
    private final byte[][] values;
    private final int[] hashes;
    private final RuntimeServer[][] holders;
    /** Open addressing with linear probing: group index + 1, 0 = empty; at most half full. */
    private final int[] slots;
    private final int shift;
    /** No value is longer: a longer cookie is rejected without hashing it. */
    private final int maxLength;

    CookieIndex(List<RuntimeServer> servers) {
        Map<String, List<RuntimeServer>> byValue = new LinkedHashMap<>();
        for (RuntimeServer s : servers) {
            byte[] c = s.cookieBytes();
            if (c == null) continue;
            // ISO-8859-1 maps bytes to chars one to one: equal strings are equal byte sequences.
            byValue.computeIfAbsent(new String(c, java.nio.charset.StandardCharsets.ISO_8859_1),
                    k -> new ArrayList<>()).add(s);
        }
        int groups = byValue.size();
        values = new byte[groups][];
        hashes = new int[groups];
        holders = new RuntimeServer[groups][];
        // at least twice as many slots as values (short probes, always an empty slot), at least 2
        int tableBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, groups * 2 - 1)));
        slots = new int[1 << tableBits];
        shift = 32 - tableBits;
        int longest = -1;
        int g = 0;
        for (List<RuntimeServer> same : byValue.values()) {
            byte[] value = same.get(0).cookieBytes();
            values[g] = value;
            hashes[g] = hash(value);
            holders[g] = same.toArray(new RuntimeServer[0]);
            longest = Math.max(longest, value.length);
            int slot = slotOf(hashes[g]);
            while (slots[slot] != 0) slot = (slot + 1) & (slots.length - 1);
            slots[slot] = g + 1;
            g++;
        }
        maxLength = longest;
    }

    /**
     * The first server, in configuration order, whose value is {@code in[from, to)} and that takes
     * cookie holders now ({@link RuntimeServer#acceptsCookieHolders()}), or null.
     */
    RuntimeServer firstCookieHolder(ByteBuffer in, int from, int to) {
        int g = group(in, from, to);
        if (g < 0) return null;
        for (RuntimeServer s : holders[g]) if (s.acceptsCookieHolders()) return s;
        return null;
    }

    /** The first server, in configuration order, whose value is {@code in[from, to)}, whatever its state; or null. */
    RuntimeServer firstNamed(ByteBuffer in, int from, int to) {
        int g = group(in, from, to);
        return g < 0 ? null : holders[g][0];
    }

    /** The index of the group whose value is {@code in[from, to)}, or -1. */
    private int group(ByteBuffer in, int from, int to) {
        int length = to - from;
        if (length < 0 || length > maxLength) return -1;
        int h = hash(in, from, to);
        int mask = slots.length - 1;
        for (int slot = slotOf(h); ; slot = (slot + 1) & mask) {
            int g = slots[slot] - 1;
            if (g < 0) return -1;    // the table is at most half full: every probe ends on an empty slot
            if (hashes[g] == h && sameBytes(values[g], in, from, length)) return g;
        }
    }

    /** FNV-1a of the bytes {@code in[from, to)}. */
    static int hash(ByteBuffer in, int from, int to) {
        int h = FNV_BASIS;
        for (int i = from; i < to; i++) h = (h ^ (in.get(i) & 0xff)) * FNV_PRIME;
        return h;
    }

    /** FNV-1a of {@code value}, equal to {@link #hash(ByteBuffer, int, int)} of the same bytes. */
    static int hash(byte[] value) {
        int h = FNV_BASIS;
        for (byte b : value) h = (h ^ (b & 0xff)) * FNV_PRIME;
        return h;
    }

    private int slotOf(int hash) {
        return (hash * GOLDEN) >>> shift;
    }

    private static boolean sameBytes(byte[] value, ByteBuffer in, int from, int length) {
        if (value.length != length) return false;
        for (int i = 0; i < length; i++) if (in.get(from + i) != value[i]) return false;
        return true;
    }
}
