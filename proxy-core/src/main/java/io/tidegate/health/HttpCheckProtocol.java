package io.tidegate.health;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The HTTP check: sends the {@code option httpchk} request and judges the answer with the
 * {@code http-check expect} rule. Status rules decide on the status line alone; content rules read the
 * body as far as its framing (Content-Length, chunked, or end of connection) or the check buffer goes.
 * Interim 1xx answers are skipped.
 */
final class HttpCheckProtocol implements CheckProtocol {

    private static final int MAX_INFO = 64;

    private final HttpCheckRequest request;
    private final HttpExpectation expectation;
    private final byte[] requestBytes;

    private final boolean disableOn404;

    HttpCheckProtocol(HttpCheckRequest request, HttpExpectation expectation) {
        this(request, expectation, false);
    }

    HttpCheckProtocol(HttpCheckRequest request, HttpExpectation expectation, boolean disableOn404) {
        this.request = request;
        this.expectation = expectation;
        this.disableOn404 = disableOn404;
        this.requestBytes = request.toBytes();
    }

    @Override
    public ByteBuffer request() {
        return ByteBuffer.wrap(requestBytes).asReadOnlyBuffer();
    }

    @Override
    public CheckStatus timeoutStatus() {
        return CheckStatus.L7TOUT;
    }

    @Override
    public CheckResult judge(ByteBuffer received, boolean endOfInput) {
        byte[] a = new byte[received.remaining()];
        received.duplicate().get(a);
        int n = a.length;
        int pos = 0;
        int code;
        String reason;
        int headStart;
        while (true) {
            int eol = indexOf(a, pos, n, (byte) '\n');
            if (eol < 0) {
                if (!endOfInput) {
                    return null;
                }
                return n == 0 ? CheckResult.of(CheckStatus.L7RSP, "Connection closed without a response")
                        : invalid(a, pos, n);
            }
            int lineEnd = eol > pos && a[eol - 1] == '\r' ? eol - 1 : eol;
            code = statusCode(a, pos, lineEnd);
            if (code < 0) {
                return invalid(a, pos, lineEnd);
            }
            reason = lineEnd > pos + 13 ? new String(a, pos + 13, lineEnd - pos - 13, StandardCharsets.ISO_8859_1).trim() : "";
            headStart = eol + 1;
            if (code >= 200 || code == 101) {
                break;
            }
            int next = endOfHead(a, eol, n);
            if (next < 0) {
                return endOfInput ? CheckResult.of(CheckStatus.L7RSP, "Incomplete interim response") : null;
            }
            pos = next;
        }

        if (disableOn404 && code == 404) {
            // http-check disable-on-404 goes before any expect rule (HAProxy's soft stop)
            return CheckResult.of(CheckStatus.L7OKC, reason).withCode(code);
        }
        if (!expectation.needsBody()) {
            // as HAProxy: a failure reports the reason phrase, a success no detail
            return expectation.statusMatches(code) ? CheckResult.of(CheckStatus.L7OK).withCode(code)
                    : CheckResult.of(CheckStatus.L7STS, reason).withCode(code);
        }

        int bodyStart = endOfHead(a, headStart - 1, n);
        if (bodyStart < 0) {
            return endOfInput ? CheckResult.of(CheckStatus.L7RSP, "Incomplete response head").withCode(code) : null;
        }
        Body body = body(a, headStart, bodyStart, n, code);
        boolean found = expectation.bodyContains(body.bytes, body.bytes.length);
        boolean negated = expectation.negated();
        if (found) {
            return negated ? CheckResult.of(CheckStatus.L7RSP, "HTTP check matched unwanted content").withCode(code)
                    : CheckResult.of(CheckStatus.L7OK).withCode(code);
        }
        if (!body.complete && !endOfInput) {
            return null;
        }
        if (body.bytes.length == 0) {
            return CheckResult.of(CheckStatus.L7RSP, "HTTP content check found empty response body").withCode(code);
        }
        return negated ? CheckResult.of(CheckStatus.L7OK).withCode(code)
                : CheckResult.of(CheckStatus.L7RSP, "HTTP content check did not match").withCode(code);
    }

    private record Body(byte[] bytes, boolean complete) {
    }

    /** The body received so far, decoded per the head's framing. */
    private Body body(byte[] a, int headStart, int bodyStart, int n, int code) {
        if (request.isHead() || code == 204 || code == 304) {
            return new Body(new byte[0], true);
        }
        long contentLength = -1;
        boolean chunked = false;
        int p = headStart;
        while (p < bodyStart) {
            int eol = indexOf(a, p, bodyStart, (byte) '\n');
            int end = eol < 0 ? bodyStart : eol;
            String line = new String(a, p, end - p, StandardCharsets.ISO_8859_1).trim();
            int colon = line.indexOf(':');
            if (colon > 0) {
                String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = line.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        contentLength = -1;
                    }
                } else if (name.equals("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                }
            }
            p = end + 1;
        }
        if (chunked) {
            return dechunk(a, bodyStart, n);
        }
        int available = n - bodyStart;
        if (contentLength >= 0) {
            int len = (int) Math.min(available, contentLength);
            byte[] b = new byte[len];
            System.arraycopy(a, bodyStart, b, 0, len);
            return new Body(b, available >= contentLength);
        }
        byte[] b = new byte[available];
        System.arraycopy(a, bodyStart, b, 0, available);
        return new Body(b, false);
    }

    /** Decodes the chunks received so far; complete once the last (zero-size) chunk is seen. */
    private static Body dechunk(byte[] a, int from, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int p = from;
        while (true) {
            int eol = indexOf(a, p, n, (byte) '\n');
            if (eol < 0) {
                return new Body(out.toByteArray(), false);
            }
            String sizeLine = new String(a, p, eol - p, StandardCharsets.ISO_8859_1).trim();
            int semi = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong(semi < 0 ? sizeLine : sizeLine.substring(0, semi).trim(), 16);
            } catch (NumberFormatException e) {
                return new Body(out.toByteArray(), true); // malformed framing: judge what we have
            }
            if (size == 0) {
                return new Body(out.toByteArray(), true);
            }
            int dataStart = eol + 1;
            int take = (int) Math.min(size, n - dataStart);
            out.write(a, dataStart, Math.max(0, take));
            if (take < size) {
                return new Body(out.toByteArray(), false);
            }
            int after = dataStart + (int) size;
            int crlfEnd = indexOf(a, after, n, (byte) '\n');
            if (crlfEnd < 0) {
                return new Body(out.toByteArray(), false);
            }
            p = crlfEnd + 1;
        }
    }

    /** The status code of an {@code HTTP/x.y NNN ...} line, or -1 if it is not one. */
    private static int statusCode(byte[] a, int from, int to) {
        if (to - from < 12 || a[from] != 'H' || a[from + 1] != 'T' || a[from + 2] != 'T' || a[from + 3] != 'P'
                || a[from + 4] != '/' || !digit(a[from + 5]) || a[from + 6] != '.' || !digit(a[from + 7])
                || a[from + 8] != ' ' || !digit(a[from + 9]) || !digit(a[from + 10]) || !digit(a[from + 11])
                || (to - from > 12 && a[from + 12] != ' ')) {
            return -1;
        }
        return (a[from + 9] - '0') * 100 + (a[from + 10] - '0') * 10 + (a[from + 11] - '0');
    }

    private static CheckResult invalid(byte[] a, int from, int to) {
        int len = Math.min(to - from, MAX_INFO);
        String first = new String(a, from, len, StandardCharsets.ISO_8859_1);
        int cut = first.indexOf('\n');
        if (cut >= 0) {
            first = first.substring(0, cut);
        }
        return CheckResult.of(CheckStatus.L7RSP, first.strip().isEmpty() ? "Invalid HTTP response" : first.strip());
    }

    /** Index just after the blank line that ends a head whose status line ends at {@code eol}, or -1. */
    private static int endOfHead(byte[] a, int eol, int n) {
        int p = eol;
        while (p < n) {
            int next = indexOf(a, p + 1, n, (byte) '\n');
            if (next < 0) {
                return -1;
            }
            int lineLen = next - (p + 1);
            if (lineLen == 0 || (lineLen == 1 && a[p + 1] == '\r')) {
                return next + 1;
            }
            p = next;
        }
        return -1;
    }

    private static boolean digit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int indexOf(byte[] a, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
