package io.tidegate.net;

import java.io.IOException;

/** Hears how a connect started by {@link EventLoop#connect} ended, on the loop's thread. */
public interface ConnectHandler {
    void connected(NioConnection connection);

    void failed(IOException cause);
}
