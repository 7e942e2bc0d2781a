package io.tidegate.health;

import java.nio.ByteBuffer;

/**
 * {@code option ssl-hello-chk}: sends a TLS ClientHello and, as HAProxy does, counts the server as up
 * when the answer starts with an SSL/TLS record header (at least 5 bytes) of type handshake (the
 * ServerHello) or alert (a TLS speaker declining this hello); anything else is an invalid response.
 */
final class SslHelloProtocol implements CheckProtocol {

    static final SslHelloProtocol INSTANCE = new SslHelloProtocol();

    private static final int RECORD_HEADER = 5;

    private SslHelloProtocol() {
    }

    @Override
    public ByteBuffer request() {
        return ByteBuffer.wrap(TlsClientHello.record());
    }

    @Override
    public CheckResult judge(ByteBuffer received, boolean endOfInput) {
        if (received.remaining() < RECORD_HEADER) {
            return endOfInput ? CheckResult.of(CheckStatus.L6RSP) : null;
        }
        int type = received.get(received.position()) & 0xff;
        if (type == TlsClientHello.CONTENT_HANDSHAKE || type == TlsClientHello.CONTENT_ALERT) {
            return CheckResult.of(CheckStatus.L6OK);
        }
        return CheckResult.of(CheckStatus.L6RSP);
    }

    @Override
    public CheckStatus timeoutStatus() {
        return CheckStatus.L6TOUT;
    }
}
