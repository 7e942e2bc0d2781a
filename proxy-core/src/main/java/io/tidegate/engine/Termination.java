package io.tidegate.engine;

/**
 * How an exchange ended, as the first characters of HAProxy's termination state (%ts / %tsc): the
 * cause (who or what ended it) and the phase it was in. Instances are interned (one per combination,
 * made at class load), so setting one never allocates and identity comparison is equality.
 */
final class Termination {
    /** The first character: the event that ended the exchange. */
    enum Cause {
        NONE('-'),
        /** The client aborted (closed or reset). */
        CLIENT('C'),
        /** The server aborted, refused or failed. */
        SERVER('S'),
        /** The proxy intercepted the exchange (bad framing, a deny rule, an internal error). */
        PROXY('P'),
        /** The proxy answered locally (stats, monitor, a return / redirect rule). */
        LOCAL('L'),
        /** The session was killed (a reload's hard stop, an administrator's shutdown session). */
        KILLED('K'),
        CLIENT_TIMEOUT('c'),
        SERVER_TIMEOUT('s');

        final char code;

        Cause(char code) {
            this.code = code;
        }
    }

    /** The second character: the phase the exchange was in. */
    enum Phase {
        NONE('-'),
        /** Waiting for / reading the request head. */
        REQUEST('R'),
        /** Waiting in a queue for a server slot. */
        QUEUE('Q'),
        /** Connecting to the server. */
        CONNECT('C'),
        /** Waiting for / reading the response head. */
        HEADERS('H'),
        /** Transferring data (bodies, tunnel). */
        DATA('D'),
        /** An internal error of the proxy (no HAProxy phase; Tidegate's own mark). */
        INTERNAL('X');

        final char code;

        Phase(char code) {
            this.code = code;
        }
    }

    private static final int PHASES = Phase.values().length;
    private static final Termination[] TABLE = new Termination[Cause.values().length * PHASES];

    static {
        for (Cause c : Cause.values()) {
            for (Phase p : Phase.values()) TABLE[index(c, p)] = new Termination(c, p);
        }
    }

    static final Termination NONE = of(Cause.NONE, Phase.NONE);

    static final Termination CLIENT_ABORT_DATA = of(Cause.CLIENT, Phase.DATA);                 // CD
    static final Termination CLIENT_LEFT_QUEUE = of(Cause.CLIENT, Phase.QUEUE);                // CQ
    static final Termination CLIENT_TIMEOUT_REQUEST = of(Cause.CLIENT_TIMEOUT, Phase.REQUEST); // cR
    static final Termination CLIENT_TIMEOUT_DATA = of(Cause.CLIENT_TIMEOUT, Phase.DATA);       // cD
    static final Termination SERVER_REFUSED_CONNECT = of(Cause.SERVER, Phase.CONNECT);         // SC
    static final Termination SERVER_QUEUE_FULL = of(Cause.SERVER, Phase.QUEUE);                // SQ
    static final Termination SERVER_ABORT_HEADERS = of(Cause.SERVER, Phase.HEADERS);           // SH
    static final Termination SERVER_ABORT_DATA = of(Cause.SERVER, Phase.DATA);                 // SD
    static final Termination SERVER_TIMEOUT_QUEUE = of(Cause.SERVER_TIMEOUT, Phase.QUEUE);     // sQ
    static final Termination SERVER_TIMEOUT_HEADERS = of(Cause.SERVER_TIMEOUT, Phase.HEADERS); // sH
    static final Termination SERVER_TIMEOUT_DATA = of(Cause.SERVER_TIMEOUT, Phase.DATA);       // sD
    static final Termination PROXY_REQUEST = of(Cause.PROXY, Phase.REQUEST);                   // PR
    static final Termination PROXY_HEADERS = of(Cause.PROXY, Phase.HEADERS);                   // PH
    static final Termination PROXY_DATA = of(Cause.PROXY, Phase.DATA);                         // PD
    static final Termination PROXY_INTERNAL = of(Cause.PROXY, Phase.INTERNAL);                 // PX
    static final Termination LOCAL_REQUEST = of(Cause.LOCAL, Phase.REQUEST);                   // LR
    static final Termination LOCAL_HEADERS = of(Cause.LOCAL, Phase.HEADERS);                   // LH
    static final Termination KILLED_DATA = of(Cause.KILLED, Phase.DATA);                       // KD

    final Cause cause;
    final Phase phase;
    /**
     * The four characters as logged (%tsc; %ts is the first two). The 3rd and 4th are the persistence
     * cookie's ({@link CookieExchange#logFlags}); a redispatch shows as {@code +N} in %rc, not here.
     */
    final String code;

    private Termination(Cause cause, Phase phase) {
        this.cause = cause;
        this.phase = phase;
        this.code = new String(new char[] {cause.code, phase.code, '-', '-'});
    }

    static Termination of(Cause cause, Phase phase) {
        return TABLE[index(cause, phase)];
    }

    private static int index(Cause c, Phase p) {
        return c.ordinal() * PHASES + p.ordinal();
    }

    @Override
    public String toString() {
        return code;
    }
}
