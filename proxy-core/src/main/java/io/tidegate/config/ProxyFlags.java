package io.tidegate.config;

/**
 * The {@link ProxyFlag}s of one section, or the effective ones of a proxy: which were written
 * ({@code option X} or {@code no option X}) and which are on. Immutable; two bit sets, so reading a
 * flag on the data path costs a mask test.
 */
public record ProxyFlags(long written, long on) {

    /** Nothing written; every flag off (HAProxy's built-in values). */
    public static final ProxyFlags NONE = new ProxyFlags(0, 0);

    static {
        if (ProxyFlag.values().length > Long.SIZE) throw new AssertionError("more flags than bits");
    }

    public ProxyFlags {
        if ((on & ~written) != 0) throw new IllegalArgumentException("a flag is on but not written");
    }

    /** The flags written as given, e.g. {@code of(REDISPATCH)} for a section with {@code option redispatch}. */
    public static ProxyFlags of(ProxyFlag... enabled) {
        ProxyFlags f = NONE;
        for (ProxyFlag flag : enabled) f = f.with(flag, true);
        return f;
    }

    /** {@code option FLAG} (true) or {@code no option FLAG} (false) written; a later line wins. */
    public ProxyFlags with(ProxyFlag flag, boolean enabled) {
        long bit = bit(flag);
        return new ProxyFlags(written | bit, enabled ? on | bit : on & ~bit);
    }

    public boolean isOn(ProxyFlag flag) {
        return (on & bit(flag)) != 0;
    }

    /** Keep-alive probes on client sockets: {@code option clitcpka} or {@code option tcpka}. */
    public boolean clientTcpKeepAlive() {
        return isOn(ProxyFlag.CLITCPKA) || isOn(ProxyFlag.TCPKA);
    }

    /** Keep-alive probes on server sockets: {@code option srvtcpka} or {@code option tcpka}. */
    public boolean serverTcpKeepAlive() {
        return isOn(ProxyFlag.SRVTCPKA) || isOn(ProxyFlag.TCPKA);
    }

    /** No flag written. */
    public boolean isEmpty() {
        return written == 0;
    }

    /** Written in this section (either way). */
    public boolean isWritten(ProxyFlag flag) {
        return (written & bit(flag)) != 0;
    }

    /** Each flag as written here, else as in {@code base}. */
    public ProxyFlags over(ProxyFlags base) {
        long fromBase = base.written & ~written;
        return new ProxyFlags(written | base.written, on | (base.on & fromBase));
    }

    private static long bit(ProxyFlag flag) {
        return 1L << flag.ordinal();
    }
}
