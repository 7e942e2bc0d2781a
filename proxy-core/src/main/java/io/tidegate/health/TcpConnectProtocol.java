package io.tidegate.health;

import java.nio.ByteBuffer;

/** The plain TCP check: the connection is established, that is all. */
final class TcpConnectProtocol implements CheckProtocol {

    static final TcpConnectProtocol INSTANCE = new TcpConnectProtocol();

    private TcpConnectProtocol() {
    }

    @Override
    public ByteBuffer request() {
        return null;
    }

    @Override
    public CheckResult judge(ByteBuffer received, boolean endOfInput) {
        return CheckResult.of(CheckStatus.L4OK);
    }

    @Override
    public CheckStatus timeoutStatus() {
        return CheckStatus.L4TOUT;
    }
}
