package io.tidegate.engine;

import io.tidegate.http.HttpParseException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Keeps the last invalid request of each frontend and the last invalid response of each backend
 * for {@code show errors}. Capturing happens on the rejection path only (never for a valid
 * message): one copy of at most {@link #MAX_BYTES} bytes, published through a volatile field of
 * the frontend or backend, so the runtime API's threads read a
 * complete capture without a lock.
 */
public final class ErrorCaptures {
    /** The most bytes of a request kept (HAProxy keeps its buffer, 16 KiB by default). */
    public static final int MAX_BYTES = 16 * 1024;
    private static final AtomicInteger EVENTS = new AtomicInteger();

    private ErrorCaptures() {
    }

    /** A request refused by {@code frontend}: bytes [from, to) of {@code buf} are what was received of it. */
    static void request(RuntimeFrontend frontend, long sessionId, InetSocketAddress client, HttpParseException e,
                        ByteBuffer buf, int from, int to) {
        frontend.home().lastRequestError = capture(false, frontend.name(), null, null, sessionId, client, e, buf, from, to);
    }

    /**
     * A response of {@code server} refused as malformed (answered 502) for a client of
     * {@code frontend}: bytes [from, to) of {@code buf} are what was received of it.
     */
    static void response(RuntimeServer server, RuntimeFrontend frontend, long sessionId, InetSocketAddress client,
                         HttpParseException e, ByteBuffer buf, int from, int to) {
        RuntimeBackend backend = server.backend();
        backend.lastResponseError = capture(true, frontend.name(), backend.plan().name(), server.name(), sessionId, client,
                e, buf, from, to);
    }

    private static ErrorCapture capture(boolean response, String frontend, String backend, String server, long sessionId,
                                        InetSocketAddress client, HttpParseException e, ByteBuffer buf, int from, int to) {
        int length = buf == null ? 0 : Math.max(0, to - from);
        byte[] bytes = new byte[Math.min(length, MAX_BYTES)];
        for (int i = 0; i < bytes.length; i++) bytes[i] = buf.get(from + i);
        return new ErrorCapture(response, frontend, backend, server, EVENTS.getAndIncrement(), System.currentTimeMillis(),
                client, sessionId, e.status(), e.getMessage(), bytes, length, firstInvalid(bytes, length));
    }

    /** How many captures the process has made ({@code Total events captured}). */
    public static int events() {
        return EVENTS.get();
    }

    /**
     * The last invalid request of each frontend of {@code engine} that has one, then the last
     * invalid response of each backend that has one, each in configuration order.
     */
    public static List<ErrorCapture> of(Engine engine) {
        List<ErrorCapture> out = new ArrayList<>();
        RuntimeGraph g = engine.graph();
        if (g == null) return out;
        for (RuntimeFrontend f : g.frontends()) {
            ErrorCapture c = f.lastRequestError;
            if (c != null) out.add(c);
        }
        for (RuntimeBackend b : g.backends()) {
            ErrorCapture c = b.lastResponseError;
            if (c != null) out.add(c);
        }
        return out;
    }

    /**
     * The first byte no HTTP/1.1 head may carry where it is: a control character other than tab, CR
     * and LF, DEL, in the start line a byte above 0x7F, or in a header name (before the first colon
     * of a header line) a byte that is not a token character. {@code length} when none is (the
     * message is wrong as a whole: too large, too many headers, bad framing).
     */
    static int firstInvalid(byte[] b, int length) {
        boolean requestLine = true;
        boolean inName = false;
        for (int i = 0; i < b.length; i++) {
            int c = b[i] & 0xff;
            if (c == '\n') {
                requestLine = false;
                inName = true;
                continue;
            }
            if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) return i;
            if (inName) {
                if (c == ':' || c == '\r') inName = false;
                else if (!token(c)) return i;
            }
            if (requestLine && c >= 0x80) return i;
        }
        return length;
    }

    private static boolean token(int c) {
        return c > 0x20 && c < 0x7f && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
    }
}
