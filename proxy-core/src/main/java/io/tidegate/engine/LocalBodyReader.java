package io.tidegate.engine;

import io.tidegate.engine.Exchange.RequestPhase;
import io.tidegate.http.BodyFraming;
import io.tidegate.http.HttpParseException;
import io.tidegate.http.RequestHead;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;

/**
 * The clientToProxy side of a locally answered POST (the stats page's {@code stats admin} form): the
 * request body is read from the client connection into memory instead of being forwarded, bounded in
 * size ({@link LocalPost#MAX_BODY}, framing included: more is HAProxy's EXCD, the service is told so
 * with a null body) and decoded when chunked; {@code Expect: 100-continue} is answered first. Then the
 * {@link LocalPost} gets the body and its answer goes out on the connection's IO thread.
 *
 * <p>One is made per such request only (the exchange is then in {@link RequestPhase#LOCAL_BODY}),
 * never on the relay's keep-alive path. Its time bound, {@code timeout http-request} (else
 * {@code timeout client}: 408), is the connection's timer ({@code ClientConnection.onTimer}).
 */
final class LocalBodyReader {
    private final ClientConnection conn;
    private final LocalPost post;
    /** The body so far (framing included), null before the first byte. */
    private ByteArrayOutputStream body;

    /** A reader for the body of {@code post}'s request on {@code conn}; {@link #start} begins it. */
    LocalBodyReader(ClientConnection conn, LocalPost post) {
        this.conn = conn;
        this.post = post;
    }

    /**
     * Starts reading the body of {@code req}, whose head was just read on the connection: answers at
     * once when the announced length is over the limit, writes the 100 Continue a client waits on,
     * then reads what has arrived.
     */
    void start(RequestHead req) {
        Exchange ex = conn.ex;
        long declared = ex.requestBody.lengthStillToCome();
        if (declared >= 0 && ex.requestBody.pending + declared > LocalPost.MAX_BODY) {
            complete(null);        // announced larger than the limit: answered without reading it
            return;
        }
        ex.requestPhase = RequestPhase.LOCAL_BODY;
        if (req.expectContinue() && !ex.requestBody.isComplete() && !conn.writeContinue()) return;
        try {
            read();
        } catch (IOException e) {
            conn.abort(Termination.CLIENT_ABORT_DATA);
        }
    }

    /**
     * The client is readable: takes what arrived of the body, at most {@link LocalPost#MAX_BODY}
     * bytes, and hands it over once complete; when the socket has no more yet, read interest is armed.
     */
    void read() throws IOException {
        Exchange ex = conn.ex;
        IoBuffer clientIn = conn.clientIn;
        MessageCursor cursor = ex.requestBody;
        while (!conn.closed && ex.requestPhase == RequestPhase.LOCAL_BODY) {
            try {
                cursor.scan(clientIn);
            } catch (HttpParseException e) {
                conn.rejectRequest(e);
                return;
            }
            if (cursor.pending > 0) {
                if (body == null) body = new ByteArrayOutputStream(Math.min(cursor.pending, 1024));
                if (body.size() + cursor.pending > LocalPost.MAX_BODY) {
                    complete(null);
                    return;
                }
                ByteBuffer b = clientIn.buffer();
                for (int i = 0; i < cursor.pending; i++) body.write(b.get(clientIn.r + i));
                clientIn.r += cursor.pending;
                cursor.pending = 0;
            }
            if (cursor.isComplete()) {
                byte[] raw = body == null ? new byte[0] : body.toByteArray();
                complete(cursor.framing() == BodyFraming.CHUNKED ? Dechunk.decode(raw) : raw);
                return;
            }
            if (!conn.readMoreFromClient(Termination.CLIENT_ABORT_DATA)) return;
        }
    }

    /** Hands the body (null: over the limit) to the service; its answer is sent on the connection's IO thread. */
    private void complete(byte[] whole) {
        body = null;
        conn.localBody = null;        // the reading is over (a local answer then closes the connection)
        conn.ex.requestPhase = RequestPhase.DONE;
        conn.suspendClientReads();
        post.complete(whole, response -> {
            if (conn.io.inLoop()) {
                conn.sendLocal(response, Termination.LOCAL_REQUEST);
            } else {
                try {
                    conn.io.execute(() -> conn.guarded(() -> conn.sendLocal(response, Termination.LOCAL_REQUEST)));
                } catch (RejectedExecutionException e) {
                    // the engine stopped meanwhile: the connection is gone with it
                }
            }
        });
    }
}
