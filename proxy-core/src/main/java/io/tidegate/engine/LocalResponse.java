package io.tidegate.engine;

import java.nio.charset.StandardCharsets;

/** Small responses Tidegate answers by itself (errors), each closing the connection. */
enum LocalResponse {
    BAD_REQUEST(400, "Bad Request", "The request is malformed."),
    METHOD_NOT_ALLOWED(405, "Method Not Allowed", "This method is not supported here."),
    REQUEST_TIMEOUT(408, "Request Time-out", "The request did not arrive in time."),
    HEADERS_TOO_LARGE(431, "Request Header Fields Too Large", "The request head is too large."),
    BAD_GATEWAY(502, "Bad Gateway", "The server sent an invalid response."),
    SERVICE_UNAVAILABLE(503, "Service Unavailable", "No server can take this request right now."),
    GATEWAY_TIMEOUT(504, "Gateway Time-out", "The server did not answer in time."),
    VERSION_NOT_SUPPORTED(505, "HTTP Version Not Supported", "Only HTTP/1.0 and HTTP/1.1 are supported.");

    final int status;
    final byte[] bytes;

    LocalResponse(int status, String reason, String text) {
        this.status = status;
        String body = "<html><body><h1>" + status + " " + reason + "</h1>\n" + text + "\n</body></html>\n";
        String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Content-Type: text/html\r\n"
                + "Cache-Control: no-cache\r\n"
                + "Content-Length: " + body.length() + "\r\n"
                + "Connection: close\r\n\r\n";
        this.bytes = (head + body).getBytes(StandardCharsets.ISO_8859_1);
    }

    static LocalResponse forStatus(int status) {
        for (LocalResponse r : values()) if (r.status == status) return r;
        return status >= 500 ? BAD_GATEWAY : BAD_REQUEST;
    }
}
