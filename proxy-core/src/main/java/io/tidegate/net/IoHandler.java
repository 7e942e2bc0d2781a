package io.tidegate.net;

/** What a selection key of an {@link EventLoop} is attached to. Called on the loop's thread only. */
interface IoHandler {
    /** The channel is ready for the operations in {@code readyOps}. */
    void ready(int readyOps);

    /** {@link #ready} threw: the channel is to be given up. */
    void failed(Throwable cause);

    /** The loop stops and closes this channel. */
    void closedByLoop();
}
