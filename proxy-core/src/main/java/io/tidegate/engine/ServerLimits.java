package io.tidegate.engine;

/**
 * A server's {@code maxconn}, {@code minconn} and {@code maxqueue}, normalised as HAProxy does at
 * start-up: a minconn above maxconn (or a minconn alone) becomes the maxconn; no minconn means a
 * static limit of maxconn.
 *
 * @param maxconn  requests in flight to the server at most, 0 = unlimited (no slots, no queue)
 * @param minconn  the limit at low backend load, when below maxconn (dynamic limit, see {@link #at})
 * @param maxqueue requests that may wait in the server's own queue, 0 = unlimited
 */
public record ServerLimits(int maxconn, int minconn, int maxqueue) {
    public static final ServerLimits NONE = new ServerLimits(0, 0, 0);

    public ServerLimits {
        if (maxconn < 0 || minconn < 0 || maxqueue < 0) {
            throw new IllegalArgumentException("maxconn, minconn and maxqueue must be >= 0");
        }
        if (minconn > maxconn) maxconn = minconn;           // minconn alone, or above maxconn: a static limit
        if (minconn == 0) minconn = maxconn;                // no minconn: static maxconn
    }

    /** A static limit of {@code maxconn} requests (0 = unlimited). */
    public static ServerLimits maxconn(int maxconn) {
        return new ServerLimits(maxconn, 0, 0);
    }

    public ServerLimits withMaxqueue(int q) {
        return new ServerLimits(maxconn, minconn, q);
    }

    /** The server has a limit at all (requests may wait for it). */
    public boolean limited() {
        return maxconn > 0;
    }

    /** The limit moves with the backend's load (minconn below maxconn). */
    public boolean dynamic() {
        return minconn < maxconn;
    }

    /**
     * The limit in force when the backend carries {@code backendLoad} requests (in flight and
     * queued), HAProxy's dynamic maxconn: maxconn once the load reaches {@code fullconn} (or when
     * fullconn is not set), else {@code max(minconn, backendLoad * maxconn / fullconn)}, so the limit
     * climbs from minconn to maxconn as the load approaches fullconn. Integer arithmetic, as HAProxy.
     * 0 = unlimited.
     */
    public int at(long backendLoad, int fullconn) {
        if (!dynamic() || fullconn <= 0 || backendLoad >= fullconn) return maxconn;
        long scaled = backendLoad * maxconn / fullconn;
        return (int) Math.max(minconn, scaled);
    }
}
