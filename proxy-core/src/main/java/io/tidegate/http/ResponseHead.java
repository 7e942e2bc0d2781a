package io.tidegate.http;

import java.nio.ByteBuffer;

/** A parsed response head (RFC 9112 §4); violations are reported with status 502. */
public final class ResponseHead extends MessageHead {
    private int status;

    public ResponseHead() {
        reset();
    }

    public void parse(ByteBuffer buffer, int from, int headEnd) throws HttpParseException {
        startParse(buffer, from, headEnd);
        final ByteBuffer b = buffer;
        minorVersion = parseVersion(b, from, headEnd, 502);
        int p = from + 8;
        if (b.get(p) != ' ') throw new HttpParseException(502, "bad status line");
        int s = 0;
        for (int i = 1; i <= 3; i++) {
            int d = b.get(p + i) - '0';
            if (d < 0 || d > 9) throw new HttpParseException(502, "bad status code");
            s = s * 10 + d;
        }
        if (s < 100) throw new HttpParseException(502, "bad status code");
        status = s;
        p += 4;
        byte c = b.get(p);
        if (c == ' ') {
            p++;
            while (b.get(p) != '\r') {
                if (!HttpSyntax.isFieldChar(b.get(p))) throw new HttpParseException(502, "bad reason phrase");
                p++;
            }
        } else if (c != '\r') {
            throw new HttpParseException(502, "bad status line");
        }
        if (b.get(p + 1) != '\n') throw new HttpParseException(502, "bad status line");
        p += 2;
        startLineEnd = p;
        parseHeaders(p, 502);
        if (hasUpgrade && status != 101) {
            // an Upgrade offer in an ordinary response (Apache sends "Upgrade: h2,h2c") is hop-by-hop
            for (int i = 0; i < headerCount; i++) if (kinds[i] == HeaderKind.UPGRADE) markHopByHop(i);
        }
    }

    @Override
    public void reset() {
        super.reset();
        status = 0;
    }

    public int status() { return status; }

    /** 1xx other than 101: an interim response, the final one follows. */
    public boolean isInterim() {
        return status >= 100 && status < 200 && status != 101;
    }

    /** The body framing of this response to a request (RFC 9112 §6.3). */
    public BodyFraming framing(boolean requestWasHead) {
        if (requestWasHead || (status >= 100 && status < 200) || status == 204 || status == 304) {
            return BodyFraming.NONE;
        }
        if (chunked) return BodyFraming.CHUNKED;
        if (contentLength >= 0) return contentLength == 0 ? BodyFraming.NONE : BodyFraming.LENGTH;
        return BodyFraming.UNTIL_CLOSE;
    }
}
