package io.tidegate.engine;

import io.tidegate.config.CookieMode;
import io.tidegate.config.CookieSpec;
import io.tidegate.http.CookieScanner;
import io.tidegate.http.HeaderKind;
import io.tidegate.http.RequestHead;
import io.tidegate.http.ResponseHead;
import java.nio.ByteBuffer;

/**
 * The persistence cookie in one exchange, following HAProxy: what the request's cookie says (which
 * server, still valid under maxidle/maxlife, its dates), how the forwarded request's Cookie lines
 * change (indirect insert: the cookie is removed; prefix: {@code SRV~} is removed), how the
 * response's Set-Cookie lines change (insert: the server's own cookie of that name is removed unless
 * {@code preserve}; prefix: {@code SRV~} is added; rewrite: the value becomes the server's) and
 * whether a cookie is inserted. Every Cookie and Set-Cookie line is handled, other cookies and
 * attributes pass byte for byte. A request whose cookie names servers is counted in their
 * {@link CookieHolderCounts}. It also keeps what HAProxy's termination state reports in its
 * third and fourth characters ({@link #clientFlag()}, {@link #serverFlag()}). One per session, reset
 * for each exchange; allocates nothing.
 */
final class CookieExchange {
    private static final long FUTURE_TOLERANCE_SECONDS = 86_400;

    private final CookieScanner scanner = new CookieScanner();
    private PersistenceCookie cookie;
    /** The request carries the cookie's name (in any Cookie line). */
    private boolean present;
    /** The request's cookie chose the server (and no redispatch happened since). */
    private boolean direct;
    private long lastSeen;
    private long firstSeen;
    // response
    private boolean serverSetIt;
    private boolean insert;
    private RuntimeServer served;
    private long now;
    private boolean post;
    /**
     * The servers of the cookie value this connection last brought (kept across its exchanges): a
     * connection counts as one session of a value in {@link CookieHolderCounts}, at its first request with it.
     */
    private RuntimeServer[] countedValue;
    /** HAProxy's persistence-cookie state of the request: - N I D V E O U (see {@link #clientFlag()}). */
    private char clientFlag = '-';
    /** HAProxy's operation on the response's persistence cookie: - N I U P R D (see {@link #serverFlag()}). */
    private char serverFlag = '-';
    /** This exchange went to another server than first chosen (option redispatch): %rc gets a '+'. */
    private boolean redispatchedExchange;

    /**
     * Reads the request's persistence cookie for {@code backend} and returns the server it names when
     * that server may take it, else null (then the balancer chooses).
     */
    RuntimeServer readRequest(RequestHead h, RuntimeBackend backend, long nowSeconds) {
        cookie = backend.persistenceCookie();
        present = direct = serverSetIt = insert = false;
        lastSeen = firstSeen = 0;
        served = null;
        now = nowSeconds;
        redispatchedExchange = false;
        if (cookie == null) {
            clientFlag = serverFlag = '-';
            return null;
        }
        clientFlag = serverFlag = 'N';
        post = cookie.policy.postonly() && isPost(h);
        ByteBuffer in = h.buffer();
        RuntimeServer chosen = null;
        boolean decided = false;
        for (int i = 0; i < h.headerCount(); i++) {
            if (h.kind(i) != HeaderKind.COOKIE) continue;
            scanner.cookieHeader(in, h.valueStart(i), h.valueEnd(i));
            while (scanner.next()) {
                if (!scanner.nameIs(cookie.name)) continue;
                present = true;
                if (decided) continue;      // the first occurrence decides
                decided = true;
                chosen = choose(in, backend);
            }
        }
        direct = chosen != null;
        return chosen;
    }

    private RuntimeServer choose(ByteBuffer in, RuntimeBackend backend) {
        int from = scanner.valueStart();
        int to = scanner.valueEnd();
        CookieMode mode = cookie.mode();
        if (mode == CookieMode.PREFIX) {
            int tilde = scanner.indexInValue(PersistenceCookie.PREFIX_DELIMITER);
            if (tilde < 0) {
                clientFlag = 'I';
                return null;
            }
            to = tilde;
        } else if (mode == CookieMode.INSERT) {
            int bar = scanner.indexInValue(CookieDate.DELIMITER);
            if (bar >= 0) {
                readDates(in, bar, to);
                to = bar;
                char expiry = expiry();
                if (expiry != 0) {
                    clientFlag = expiry;
                    lastSeen = firstSeen = 0;
                    return null;
                }
            }
        }
        RuntimeServer[] named = backend.serversByCookie(in, from, to);
        if (named == null) {
            clientFlag = 'I';
            return null;
        }
        boolean newSession = named != countedValue;     // once per connection and value
        countedValue = named;
        for (RuntimeServer s : named) s.counters().cookieHolders().arrived(now, newSession);
        RuntimeServer chosen = CookieIndex.firstTakingHolders(named);
        if (chosen != null) {
            clientFlag = running(chosen) ? 'V' : 'D';     // down under option persist: D, as HAProxy
            return chosen;
        }
        // names a down server: D; names one that is up but no longer takes its cookie holders
        // (drained past redispatch-drained): U, not used to choose the server
        clientFlag = running(named[0]) ? 'U' : 'D';
        return null;
    }

    /** Running as HAProxy counts it for the cookie flags: healthy and not in maintenance. */
    private static boolean running(RuntimeServer s) {
        return s.healthy() && s.adminState() != AdminState.MAINT;
    }

    private void readDates(ByteBuffer in, int bar, int end) {
        long last = CookieDate.read(in, bar + 1, end);
        if (last > 0) lastSeen = last;
        int second = bar + 1 + CookieDate.LENGTH;
        if (second < end && in.get(second) == CookieDate.DELIMITER) {
            long first = CookieDate.read(in, second + 1, end);
            if (first > 0) firstSeen = first;
        }
    }

    /** 'O' when the first date is past maxlife, else 'E' when the last date is past maxidle, else 0 (HAProxy's order). */
    private char expiry() {
        CookieSpec p = cookie.policy;
        if (p.maxLifeSeconds() > 0 && firstSeen > 0
                && (now - firstSeen > p.maxLifeSeconds() || firstSeen - now > FUTURE_TOLERANCE_SECONDS)) return 'O';
        if (p.maxIdleSeconds() > 0 && lastSeen > 0
                && (now - lastSeen > p.maxIdleSeconds() || lastSeen - now > FUTURE_TOLERANCE_SECONDS)) return 'E';
        return 0;
    }

    /** The request went to another server than its cookie named (redispatch after a failed connect). */
    void redispatched() {
        direct = false;
        redispatchedExchange = true;
    }

    /** Whether the forwarded request's Cookie lines change. */
    boolean editsRequest() {
        if (cookie == null || !present) return false;
        return cookie.mode() == CookieMode.PREFIX
                || (cookie.mode() == CookieMode.INSERT && cookie.policy.indirect());
    }

    /** Writes Cookie line {@code line} of the request as forwarded; a line left without cookies is dropped. */
    void writeRequestLine(RequestHead h, int line, ByteBuffer out) {
        ByteBuffer in = h.buffer();
        int mark = out.position();
        copy(out, in, h.lineStart(line), h.valueStart(line));
        boolean prefix = cookie.mode() == CookieMode.PREFIX;
        int kept = 0;
        int previousEnd = -1;
        scanner.cookieHeader(in, h.valueStart(line), h.valueEnd(line));
        while (scanner.next()) {
            boolean ours = scanner.nameIs(cookie.name);
            int tilde = ours && prefix ? scanner.indexInValue(PersistenceCookie.PREFIX_DELIMITER) : -1;
            if (ours && !prefix) {          // indirect insert: the server never sees it
                previousEnd = scanner.pairEnd();
                continue;
            }
            if (kept++ > 0) copy(out, in, previousEnd, scanner.pairStart());    // the separator as written
            if (tilde >= 0) {
                copy(out, in, scanner.pairStart(), scanner.valueStart());
                copy(out, in, tilde + 1, scanner.pairEnd());
            } else {
                copy(out, in, scanner.pairStart(), scanner.pairEnd());
            }
            previousEnd = scanner.pairEnd();
        }
        if (kept == 0) {
            out.position(mark);
        } else {
            out.put((byte) '\r').put((byte) '\n');
        }
    }

    /**
     * Decides the response edits once the server answered: {@code server} is the server that did.
     * Returns whether the response head changes.
     */
    boolean readResponse(ResponseHead h, RuntimeServer server) {
        served = server;
        serverSetIt = false;
        insert = false;
        if (cookie == null) return false;
        serverFlag = 'N';
        boolean touchesLines = false;
        ByteBuffer in = h.buffer();
        for (int i = 0; i < h.headerCount(); i++) {
            if (h.kind(i) != HeaderKind.SET_COOKIE) continue;
            scanner.setCookieHeader(in, h.valueStart(i), h.valueEnd(i));
            if (scanner.next() && scanner.nameIs(cookie.name)) {
                serverSetIt = true;
                SetCookieEdit edit = setCookieEdit();
                if (edit != SetCookieEdit.KEEP) touchesLines = true;
                serverFlag = switch (edit) {
                    case KEEP -> 'P';
                    case REMOVE -> 'D';
                    case PREFIX, REWRITE -> 'R';
                };
            }
        }
        CookieSpec p = cookie.policy;
        if (p.mode() == CookieMode.INSERT && !(serverSetIt && p.preserve()) && (!p.postonly() || post)) {
            insert = !direct || datesNeedUpdate();
            // only the date of the client's own cookie refreshed: U; a new or another server's cookie: I
            if (insert) serverFlag = direct && server.cookieBytes() != null ? 'U' : 'I';
        }
        return touchesLines || insert;
    }

    private boolean datesNeedUpdate() {
        CookieSpec p = cookie.policy;
        if ((p.maxIdleSeconds() > 0 || lastSeen > 0) && (lastSeen == 0 || lastSeen < now)) return true;
        if (p.maxLifeSeconds() > 0 && firstSeen == 0) return true;
        return p.maxLifeSeconds() == 0 && firstSeen > 0;
    }

    private enum SetCookieEdit { KEEP, REMOVE, PREFIX, REWRITE }

    /** What happens to a Set-Cookie of the persistence cookie's name that the server sent. */
    private SetCookieEdit setCookieEdit() {
        CookieSpec p = cookie.policy;
        if (p.preserve()) return SetCookieEdit.KEEP;
        if (p.mode() == CookieMode.INSERT || (direct && p.indirect())) return SetCookieEdit.REMOVE;
        if (served.cookieBytes() == null) return SetCookieEdit.KEEP;
        if (p.mode() == CookieMode.REWRITE) return SetCookieEdit.REWRITE;
        if (p.mode() == CookieMode.PREFIX) return SetCookieEdit.PREFIX;
        return SetCookieEdit.KEEP;
    }

    /**
     * Writes Set-Cookie line {@code line} as forwarded when the persistence cookie changes it and
     * returns true; returns false (nothing written) for a line that passes unchanged.
     */
    boolean writeResponseLine(ResponseHead h, int line, ByteBuffer out) {
        if (cookie == null) return false;
        ByteBuffer in = h.buffer();
        scanner.setCookieHeader(in, h.valueStart(line), h.valueEnd(line));
        if (!scanner.next() || !scanner.nameIs(cookie.name)) return false;
        switch (setCookieEdit()) {
            case REMOVE -> {
                return true;
            }
            case PREFIX -> {
                copy(out, in, h.lineStart(line), scanner.valueStart());
                out.put(served.cookieBytes()).put(PersistenceCookie.PREFIX_DELIMITER);
                copy(out, in, scanner.valueStart(), h.lineEnd(line));
                return true;
            }
            case REWRITE -> {
                copy(out, in, h.lineStart(line), scanner.valueStart());
                out.put(served.cookieBytes());
                copy(out, in, scanner.valueEnd(), h.lineEnd(line));
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** Writes the inserted Set-Cookie (and Cache-Control with nocache) lines, if any. */
    void writeAddedLines(ByteBuffer out) {
        if (insert) cookie.writeInsert(out, served, now, firstSeen, cookie.policy.nocache());
    }

    /**
     * The third character of HAProxy's termination state: what the request's persistence cookie was.
     * {@code -} no cookie configured for the backend, {@code N} none sent, {@code I} names no server,
     * {@code D} names a server that is down, {@code V} valid (sent to its server), {@code E} expired by
     * maxidle, {@code O} too old by maxlife, {@code U} not used to choose the server.
     */
    char clientFlag() {
        return clientFlag;
    }

    /**
     * The fourth character: what happened to the persistence cookie in the response. {@code -} no
     * cookie configured, {@code N} none from the server and none inserted, {@code I} inserted,
     * {@code U} the client's cookie re-inserted with a new date, {@code P} the server's passed as is,
     * {@code R} the server's rewritten (rewrite, prefix), {@code D} the server's deleted.
     */
    char serverFlag() {
        return serverFlag;
    }

    /** Puts both flags (and whether the exchange was redispatched) into a log line's fields; {@code processed} false = no backend saw this exchange's cookie. */
    void logFlags(LogFields f, boolean processed) {
        f.cookieClient = processed ? clientFlag : '-';
        f.cookieServer = processed ? serverFlag : '-';
        f.redispatched = processed && redispatchedExchange;
    }

    /** A cookie is inserted into this response. */
    boolean inserts() {
        return insert;
    }

    private static void copy(ByteBuffer out, ByteBuffer in, int from, int to) {
        int len = to - from;
        out.put(out.position(), in, from, len);
        out.position(out.position() + len);
    }

    /** Whether the request method is POST (postonly). */
    private static boolean isPost(RequestHead h) {
        ByteBuffer b = h.buffer();
        int s = h.start();
        return h.methodEnd() - s == 4 && b.get(s) == 'P' && b.get(s + 1) == 'O' && b.get(s + 2) == 'S' && b.get(s + 3) == 'T';
    }
}
