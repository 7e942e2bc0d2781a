package io.tidegate.engine;

import io.tidegate.engine.CompressionPolicy.Algo;
import io.tidegate.http.BodyFraming;
import io.tidegate.http.HttpParseException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The proxyToClient hop of a compressed response: the server's body (its Content-Length or chunked
 * framing taken off) goes through a {@link Deflater} (level 1, HAProxy's tune.comp.maxlevel) and
 * out to the client in chunks; gzip adds its header and CRC-32/size trailer, deflate is zlib's
 * format, raw-deflate has no wrapper, identity copies. What is compressed so far is flushed
 * (SYNC_FLUSH) whenever the server has nothing more at hand, so a slow body streams. The trailers
 * of a chunked body follow the last chunk as received (a trailer section larger than
 * {@link #MAX_TRAILERS} is left out).
 *
 * <p>Made once per connection, on its first compressed response; its Deflaters and buffers are
 * reused by the next ones ({@link #begin}) and released with the connection.
 */
final class ResponseCompressor {
    private static final int LEVEL = 1;
    private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    private static final byte[] LAST_CHUNK_LINE = {'0', '\r', '\n'};
    private static final byte[] END_OF_TRAILERS = {'\r', '\n'};
    static final int MAX_TRAILERS = 8192;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    private final ClientConnection conn;
    private Deflater zlib;
    private Deflater raw;
    private Deflater deflater;
    private final CRC32 crc = new CRC32();
    private Algo algo;
    /** Payload taken from the server's buffer, being compressed (a Deflater keeps a reference to its input). */
    private final byte[] input = new byte[Engine.BUFFER_SIZE];
    private final byte[] zbuf = new byte[Engine.BUFFER_SIZE];
    /** Framed chunks waiting to be written to the client (write mode: position = end of data). */
    private final ByteBuffer out = ByteBuffer.allocate(Engine.BUFFER_SIZE + 64);
    private long totalIn;
    private boolean flushed;
    private boolean finished;
    private boolean trailerWritten;
    // the chunked body of the server, taken apart as it comes
    private static final int SIZE = 0, EXT = 1, DATA = 2, DATA_END = 3, TRAILER = 4, DONE = 5;
    private int chunkState;
    private long chunkLeft;
    private int trailerLineLength;
    /** The trailer section of a chunked body as received, its empty line included; made at the first trailer byte. */
    private byte[] trailers;
    private int trailersLength;

    ResponseCompressor(ClientConnection conn) {
        this.conn = conn;
    }

    /** Starts the body of a response compressed with {@code a}. */
    void begin(Algo a) {
        algo = a;
        crc.reset();
        totalIn = 0;
        flushed = true;
        finished = false;
        trailerWritten = false;
        chunkState = SIZE;
        chunkLeft = 0;
        trailerLineLength = 0;
        trailersLength = 0;
        out.clear();
        deflater = switch (a) {
            case DEFLATE -> zlib == null ? zlib = new Deflater(LEVEL, false) : zlib;
            case GZIP, RAW_DEFLATE -> raw == null ? raw = new Deflater(LEVEL, true) : raw;
            case IDENTITY -> null;
        };
        if (deflater != null) deflater.reset();
        if (a == Algo.GZIP) frame(GZIP_HEADER, GZIP_HEADER.length);
    }

    /** The connection closes: the Deflaters' native memory goes now, not at finalization. */
    void release() {
        if (zlib != null) zlib.end();
        if (raw != null) raw.end();
        zlib = raw = deflater = null;
    }

    /**
     * Moves the response on: the head (if still there), compressed body chunks, reading the server
     * as needed; returns when the client or the server makes it wait, or when the response is done.
     */
    void pump() {
        ClientConnection c = conn;
        Exchange ex = c.ex;
        UpstreamLeg upstream = c.upstream;
        try {
            if (c.rspOut != null) {
                int before = c.rspOut.remaining();
                while (c.rspOut.hasRemaining() && c.client.write(c.rspOut) > 0) {
                    // the edited head
                }
                ex.bytesOut += before - c.rspOut.remaining();
                if (c.rspOut.hasRemaining()) {
                    c.resumeClientWrites();
                    upstream.suspendServerReads();
                    return;
                }
                c.freeResponseOut();
                ex.rspStarted = true;
            }
            ServerConnection server = upstream.server;
            IoBuffer in = server.in;
            MessageCursor body = ex.responseBody;
            while (!c.closed) {
                if (out.position() > 0) {
                    out.flip();
                    while (out.hasRemaining() && c.client.write(out) > 0) {
                        // as much as the socket takes
                    }
                    ex.bytesOut += out.position();
                    out.compact();
                    if (out.position() > 0) {
                        c.resumeClientWrites();
                        upstream.suspendServerReads();
                        return;
                    }
                }
                if (finished) {
                    c.suspendClientWrites();
                    c.responseDone();
                    return;
                }
                if (deflater != null && !deflater.needsInput()) {
                    deflate(Deflater.NO_FLUSH);
                    continue;
                }
                if (body.pending == 0) body.scan(in);
                if (body.pending > 0) {
                    take(in, body);
                    continue;
                }
                if (body.isComplete()) {
                    finish();
                    continue;
                }
                if (!flushed) {
                    flushed = deflater == null || deflate(Deflater.SYNC_FLUSH);
                    continue;
                }
                in.compact();
                int n = in.fill(server.conn());
                if (n == 0) {
                    c.suspendClientWrites();
                    upstream.resumeServerReads();
                    return;
                }
                if (n < 0) {
                    c.abort(Termination.SERVER_ABORT_DATA);
                    return;
                }
            }
        } catch (HttpParseException e) {
            c.abort(Termination.PROXY_DATA);
        } catch (IOException e) {
            c.abort(Termination.CLIENT_ABORT_DATA);
        }
    }

    /** Takes the body bytes pending in {@code in} (at most as much payload as the input buffer holds). */
    private void take(IoBuffer in, MessageCursor body) {
        ByteBuffer b = in.buffer();
        int from = in.r;
        int to = from + body.pending;
        int n = 0;
        int p = from;
        if (body.framing() != BodyFraming.CHUNKED) {
            n = to - from;
            b.get(from, input, 0, n);
            p = to;
        } else {
            while (p < to && n < input.length) {
                byte ch = b.get(p);
                switch (chunkState) {
                    case SIZE -> {
                        int d = Character.digit(ch, 16);
                        if (d >= 0) {
                            chunkLeft = chunkLeft * 16 + d;
                        } else if (ch == '\n') {
                            chunkState = chunkLeft == 0 ? TRAILER : DATA;
                        } else {
                            chunkState = EXT;
                        }
                        p++;
                    }
                    case EXT -> {
                        if (ch == '\n') chunkState = chunkLeft == 0 ? TRAILER : DATA;
                        p++;
                    }
                    case DATA -> {
                        int k = (int) Math.min(chunkLeft, Math.min(to - p, input.length - n));
                        b.get(p, input, n, k);
                        n += k;
                        p += k;
                        chunkLeft -= k;
                        if (chunkLeft == 0) chunkState = DATA_END;
                    }
                    case DATA_END -> {
                        if (ch == '\n') chunkState = SIZE;
                        p++;
                    }
                    case TRAILER -> {
                        keepTrailerByte(ch);
                        if (ch == '\n') {
                            if (trailerLineLength == 0) chunkState = DONE;
                            trailerLineLength = 0;
                        } else if (ch != '\r') {
                            trailerLineLength++;
                        }
                        p++;
                    }
                    default -> p++;
                }
            }
        }
        body.pending -= p - from;
        in.r = p;
        if (n == 0) return;
        totalIn += n;
        flushed = false;
        if (deflater == null) {
            frame(input, n);
            return;
        }
        if (algo == Algo.GZIP) crc.update(input, 0, n);
        deflater.setInput(input, 0, n);
    }

    /** Compresses what the Deflater holds into framed chunks; false when {@link #out} filled up first. */
    private boolean deflate(int flush) {
        while (true) {
            int room = Math.min(zbuf.length, out.remaining() - 16);
            if (room < 64) return false;   // the caller writes out first
            int z = deflater.deflate(zbuf, 0, room, flush);
            if (z > 0) frame(zbuf, z);
            if (z < room) return true;     // everything the Deflater had is out (input consumed / flushed)
        }
    }

    /** The end of the body, step by step as {@link #out} has room: the stream's end, gzip's trailer, the last chunk. */
    private void finish() {
        if (deflater != null && !deflater.finished()) {
            deflater.finish();
            if (!deflate(Deflater.NO_FLUSH) || !deflater.finished()) return;
        }
        if (algo == Algo.GZIP && !trailerWritten) {
            if (out.remaining() < 32) return;
            long v = crc.getValue();
            byte[] t = {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24),
                    (byte) totalIn, (byte) (totalIn >>> 8), (byte) (totalIn >>> 16), (byte) (totalIn >>> 24)};
            frame(t, t.length);
            trailerWritten = true;
        }
        boolean keep = trailersLength > 0 && trailersLength <= MAX_TRAILERS;
        if (out.remaining() < LAST_CHUNK_LINE.length + (keep ? trailersLength : END_OF_TRAILERS.length)) return;
        out.put(LAST_CHUNK_LINE);
        if (keep) {
            out.put(trailers, 0, trailersLength);
        } else {
            out.put(END_OF_TRAILERS);
        }
        finished = true;
    }

    private void keepTrailerByte(byte ch) {
        if (trailersLength > MAX_TRAILERS) return;
        if (trailers == null) trailers = new byte[256];
        if (trailersLength == trailers.length) {
            trailers = java.util.Arrays.copyOf(trailers, Math.min(MAX_TRAILERS + 1, trailers.length * 2));
        }
        trailers[trailersLength++] = ch;
    }

    /** Appends one chunk: size in hex, CRLF, the bytes, CRLF. */
    private void frame(byte[] data, int n) {
        int digits = 1;
        while ((n >>> (4 * digits)) != 0) digits++;
        for (int i = digits - 1; i >= 0; i--) out.put(HEX[(n >>> (4 * i)) & 0xf]);
        out.put((byte) '\r').put((byte) '\n');
        out.put(data, 0, n);
        out.put((byte) '\r').put((byte) '\n');
    }
}
