package io.tidegate.engine;

import java.net.InetSocketAddress;

/**
 * The values of one access-log line, filled by a session as its exchange runs and read by
 * {@link AccessLog}. One instance per session, reused for each exchange; confined to the session's
 * IO thread. Times are milliseconds, -1 = that step did not happen (HAProxy's convention).
 */
final class LogFields {
    InetSocketAddress client;
    String clientIp;
    InetSocketAddress frontendAddress;
    String frontend;
    String backend;
    String server;
    InetSocketAddress serverAddress;
    long acceptEpochMs;
    long requestEpochMs;
    long th;
    long ti;
    long tR;
    long tw;
    long tc;
    long tr;
    long ta;
    long tt;
    int status;
    long bytesFromClient;
    long bytesToClient;
    /** The first two characters are the session's end (who, which phase); the last two are replaced by the cookie flags. */
    String termination;
    /** HAProxy's 3rd and 4th termination characters: the persistence cookie of the request and of the response. */
    char cookieClient = '-';
    char cookieServer = '-';
    int actconn;
    int feconn;
    int beconn;
    int srvconn;
    int retries;
    /** option redispatch sent the request to another server: HAProxy writes %rc as "+N". */
    boolean redispatched;
    int serverQueue;
    int backendQueue;
    /** The request line (no CRLF) in requestLine[0, requestLineLength); length -1 = none (a bad request). */
    byte[] requestLine = new byte[128];
    int requestLineLength = -1;

    /** capture cookie: the request's (%CC) and the response's (%CS) cookie, length -1 = none. */
    byte[] requestCookie;
    int requestCookieLength = -1;
    byte[] responseCookie;
    int responseCookieLength = -1;

    void captureRequestLine(java.nio.ByteBuffer b, int from, int to) {
        int n = to - from;
        if (n > requestLine.length) requestLine = new byte[Math.min(Math.max(n, requestLine.length * 2), 16384)];
        n = Math.min(n, requestLine.length);
        b.get(from, requestLine, 0, n);
        requestLineLength = n;
    }
}
