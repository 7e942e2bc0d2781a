package io.tidegate.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tidegate.config.HealthCheck;
import io.tidegate.config.HttpCheckExpect;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The answer parsing of HTTP checks, fed byte by byte the way slow servers deliver it. */
class HttpCheckProtocolTest {

    private static HttpCheckProtocol protocol(String method, HttpExpectation e) {
        return new HttpCheckProtocol(HttpCheckRequest.of(HealthCheck.http(method, "/", "HTTP/1.1")), e);
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Feeds growing prefixes of {@code answer}; returns the first verdict and the length it needed. */
    private static CheckResult feed(HttpCheckProtocol p, String answer, boolean closeAtEnd) {
        for (int i = 1; i <= answer.length(); i++) {
            CheckResult r = p.judge(bytes(answer.substring(0, i)), closeAtEnd && i == answer.length());
            if (r != null) {
                return r.withInfo(r.info() + "@" + i);
            }
        }
        return null;
    }

    @Test
    void aStatusVerdictIsReachedAtTheEndOfTheStatusLine() {
        String answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n";
        CheckResult r = feed(protocol("GET", HttpExpectation.DEFAULT), answer, false);
        assertEquals(CheckStatus.L7STS, r.status());
        assertEquals(503, r.code());
        assertEquals("Service Unavailable@" + "HTTP/1.1 503 Service Unavailable\r\n".length(), r.info());
    }

    @Test
    void interimAnswersAreSkipped() {
        String answer = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n";
        CheckResult r = feed(protocol("GET", HttpExpectation.DEFAULT), answer, false);
        assertEquals(CheckStatus.L7OK, r.status());
        assertEquals(200, r.code());
    }

    @Test
    void aStringIsFoundAcrossChunkBoundariesAsSoonAsItArrives() {
        HttpExpectation e = HttpExpectation.of(new HttpCheckExpect(false, "string", "ready"));
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        String answer = head + "3\r\nrea\r\n4\r\ndy!!\r\n0\r\n\r\n";
        CheckResult r = feed(protocol("GET", e), answer, false);
        assertEquals(CheckStatus.L7OK, r.status());
        assertEquals("@" + (head + "3\r\nrea\r\n4\r\ndy").length(), r.info());
    }

    @Test
    void aMissingStringIsOnlyReportedOnceTheBodyIsComplete() {
        HttpExpectation e = HttpExpectation.of(new HttpCheckExpect(false, "string", "ready"));
        String answer = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\ndraining";
        CheckResult r = feed(protocol("GET", e), answer, false);
        assertEquals(CheckStatus.L7RSP, r.status());
        assertEquals("HTTP content check did not match@" + answer.length(), r.info());
        String chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\ndraining\r\n0\r\n\r\n";
        // the last (empty) chunk ends the body; trailers are not waited for
        assertEquals("HTTP content check did not match@" + (chunked.length() - 2),
                feed(protocol("GET", e), chunked, false).info());
    }

    @Test
    void withoutFramingTheBodyEndsWhenTheServerCloses() {
        HttpExpectation e = HttpExpectation.of(new HttpCheckExpect(false, "string", "ready"));
        HttpCheckProtocol p = protocol("GET", e);
        assertNull(p.judge(bytes("HTTP/1.0 200 OK\r\n\r\nnot yet"), false));
        assertEquals(CheckStatus.L7RSP, p.judge(bytes("HTTP/1.0 200 OK\r\n\r\nnot yet"), true).status());
    }

    @Test
    void aHeadAnswerHasNoBody() {
        HttpExpectation e = HttpExpectation.of(new HttpCheckExpect(true, "string", "MAINT"));
        CheckResult r = protocol("HEAD", e).judge(bytes("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n"), false);
        assertEquals(CheckStatus.L7RSP, r.status());
        assertEquals("HTTP content check found empty response body", r.info());
    }

    @Test
    void garbageIsAnInvalidResponse() {
        CheckResult r = protocol("GET", HttpExpectation.DEFAULT).judge(bytes("220 smtp.example ESMTP\r\n"), false);
        assertEquals(CheckStatus.L7RSP, r.status());
        assertEquals("220 smtp.example ESMTP", r.info());
        assertEquals(CheckStatus.L7RSP,
                protocol("GET", HttpExpectation.DEFAULT).judge(bytes("HTTP/1.1 2x0 OK\r\n"), false).status());
    }
}
