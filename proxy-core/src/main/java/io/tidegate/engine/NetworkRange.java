package io.tidegate.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 network in CIDR form ("10.0.0.0/8", "::1/128", a bare address means one host). */
public record NetworkRange(byte[] network, int prefixLength) {

    public static NetworkRange parse(String text) {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        try {
            byte[] addr = InetAddress.getByName(host).getAddress();
            int bits = addr.length * 8;
            String len = slash < 0 ? null : text.substring(slash + 1);
            int prefix = len == null ? bits : len.indexOf('.') > 0 ? maskBits(len, text) : Integer.parseInt(len);
            if (prefix < 0 || prefix > bits) throw new IllegalArgumentException("bad prefix length in " + text);
            return new NetworkRange(addr, prefix);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("bad network " + text, e);
        }
    }

    /** "255.255.255.0" -> 24 (HAProxy accepts a dotted mask as well as a prefix length). */
    private static int maskBits(String mask, String text) throws UnknownHostException {
        byte[] m = InetAddress.getByName(mask).getAddress();
        int bits = 0;
        boolean ended = false;
        for (byte b : m) {
            for (int i = 7; i >= 0; i--) {
                boolean one = ((b >> i) & 1) == 1;
                if (one && ended) throw new IllegalArgumentException("non-contiguous mask in " + text);
                if (one) bits++;
                else ended = true;
            }
        }
        return bits;
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** The address as bytes (4 or 16); an IPv4-mapped IPv6 address also matches IPv4 networks. */
    public boolean contains(byte[] a) {
        if (a.length == 16 && network.length == 4 && isV4Mapped(a)) {
            for (int i = 0; i < 4; i++) if (!bitsMatch(a[12 + i], i)) return false;
            return true;
        }
        if (a.length != network.length) return false;
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) if (a[i] != network[i]) return false;
        int rest = prefixLength % 8;
        if (rest == 0) return true;
        int mask = (0xff << (8 - rest)) & 0xff;
        return (a[full] & mask) == (network[full] & mask);
    }

    private boolean bitsMatch(byte b, int index) {
        int bitsHere = Math.max(0, Math.min(8, prefixLength - index * 8));
        if (bitsHere == 0) return true;
        int mask = (0xff << (8 - bitsHere)) & 0xff;
        return (b & mask) == (network[index] & mask);
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) if (a[i] != 0) return false;
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }
}
