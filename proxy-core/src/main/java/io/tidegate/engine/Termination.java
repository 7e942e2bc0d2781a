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
        /** The session was killed (a reload's hard stop). */
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
    private static final Termination[] TABLE = new Termination[Cause.values().length * PHASES * 2];

    static {
        for (Cause c : Cause.values()) {
            for (Phase p : Phase.values()) {
                for (int r = 0; r < 2; r++) TABLE[index(c, p, r == 1)] = new Termination(c, p, r == 1);
            }
        }
    }

    static final Termination NONE = of(Cause.NONE, Phase.NONE);
    /** option redispatch moved the last retry to another server (logged {@code --R-} while nothing else ended it). */
    static final Termination REDISPATCHED = TABLE[index(Cause.NONE, Phase.NONE, true)];

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
    /** Third character 'R': the request was redispatched to another server. */
    final boolean redispatched;
    /** The four characters as logged (%tsc; %ts is the first two). */
    final String code;

    private Termination(Cause cause, Phase phase, boolean redispatched) {
        this.cause = cause;
        this.phase = phase;
        this.redispatched = redispatched;
        this.code = new String(new char[] {cause.code, phase.code, redispatched ? 'R' : '-', '-'});
    }

    static Termination of(Cause cause, Phase phase) {
        return TABLE[index(cause, phase, false)];
    }

    private static int index(Cause c, Phase p, boolean redispatched) {
        return (c.ordinal() * PHASES + p.ordinal()) * 2 + (redispatched ? 1 : 0);
    }

    @Override
    public String toString() {
        return code;
    }
}
