package io.tidegate.health;

import java.nio.ByteBuffer;

/** What one kind of check sends once connected and how it judges what comes back. */
interface CheckProtocol {

    /** The bytes to send once connected, a fresh buffer ready to read; {@code null} = a connect-only check. */
    ByteBuffer request();

    /**
     * The verdict on what was received so far, or {@code null} to wait for more.
     *
     * @param received    the bytes received so far (position 0, limit = count)
     * @param endOfInput  true when no more bytes will come (the server closed, or the check buffer is full):
     *                    a verdict is then required
     */
    CheckResult judge(ByteBuffer received, boolean endOfInput);

    /** The status of a check that was connected but got no verdict in time. */
    CheckStatus timeoutStatus();
}
