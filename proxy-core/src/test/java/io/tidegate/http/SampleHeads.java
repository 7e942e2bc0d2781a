package io.tidegate.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Representative message heads for the JMH benchmarks: what wrk sends in benchmarks/run, what a
 * browser sends, and what the nginx backends answer. Each is put in a direct buffer, as received.
 */
public final class SampleHeads {
    /** wrk's request in benchmarks/run (plus the Host header it adds). */
    public static final String WRK_REQUEST = "GET /small HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n";

    /** A browser's request with a persistence cookie among others (SERVERID last, the costly case). */
    public static final String BROWSER_REQUEST = "GET /app/orders?page=2 HTTP/1.1\r\n"
            + "Host: shop.example.com\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
            + "Accept-Language: en-US,en;q=0.5\r\n"
            + "Accept-Encoding: gzip, deflate, br\r\n"
            + "Referer: https://shop.example.com/app/orders?page=1\r\n"
            + "Connection: keep-alive\r\n"
            + "Cookie: _ga=GA1.2.1234567890.1700000000; lang=en; cart=3f2a9c; JSESSIONID=0A1B2C3D4E5F; SERVERID=s2\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "Sec-Fetch-Dest: document\r\n"
            + "Sec-Fetch-Mode: navigate\r\n"
            + "Sec-Fetch-Site: same-origin\r\n"
            + "\r\n";

    /** The same browser request when the persistence cookie is prefixed by the server's value (prefix mode). */
    public static final String BROWSER_REQUEST_PREFIXED = BROWSER_REQUEST.replace("JSESSIONID=0A1B2C3D4E5F; SERVERID=s2",
            "JSESSIONID=s2~0A1B2C3D4E5F");

    /** What the benchmark's nginx backends answer for /small. */
    public static final String NGINX_RESPONSE = "HTTP/1.1 200 OK\r\n"
            + "Server: nginx/1.22.1\r\n"
            + "Date: Sat, 21 Nov 2026 07:00:00 GMT\r\n"
            + "Content-Type: text/plain\r\n"
            + "Content-Length: 100\r\n"
            + "Last-Modified: Sat, 21 Nov 2026 06:59:00 GMT\r\n"
            + "Connection: keep-alive\r\n"
            + "ETag: \"673ed7e4-64\"\r\n"
            + "Accept-Ranges: bytes\r\n"
            + "\r\n";

    /** An application response that sets its own session cookie (prefix mode rewrites it). */
    public static final String APP_RESPONSE_SETTING_COOKIE = "HTTP/1.1 200 OK\r\n"
            + "Content-Type: text/html;charset=UTF-8\r\n"
            + "Content-Length: 5120\r\n"
            + "Set-Cookie: JSESSIONID=0A1B2C3D4E5F; Path=/; HttpOnly\r\n"
            + "Cache-Control: no-store\r\n"
            + "\r\n";

    private SampleHeads() {
    }

    /** The text as ISO-8859-1 bytes in a direct buffer, position 0, limit at the end. */
    public static ByteBuffer direct(String head) {
        byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer buf = ByteBuffer.allocateDirect(b.length);
        buf.put(b).flip();
        return buf;
    }

    public static RequestHead parsedRequest(String head) {
        ByteBuffer buf = direct(head);
        RequestHead h = new RequestHead();
        try {
            h.parse(buf, 0, MessageHead.findHeadEnd(buf, 0, buf.limit(), 431));
        } catch (HttpParseException e) {
            throw new IllegalArgumentException("sample request does not parse: " + e.getMessage(), e);
        }
        return h;
    }

    public static ResponseHead parsedResponse(String head) {
        ByteBuffer buf = direct(head);
        ResponseHead h = new ResponseHead();
        try {
            h.parse(buf, 0, MessageHead.findHeadEnd(buf, 0, buf.limit(), 502));
        } catch (HttpParseException e) {
            throw new IllegalArgumentException("sample response does not parse: " + e.getMessage(), e);
        }
        return h;
    }
}
