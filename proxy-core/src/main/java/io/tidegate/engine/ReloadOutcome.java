package io.tidegate.engine;

/**
 * What one reload did.
 *
 * @param changes         proxies and servers added, removed, changed (one line of text)
 * @param listenersKept   listening sockets handed to the new configuration without closing
 * @param listenersOpened addresses newly bound
 * @param listenersClosed addresses no longer listened on (their sessions drain)
 * @param sessionsLeft    client sessions with an exchange still running on the replaced configuration
 * @param switchMicros    how long the switch took (from the new graph built to every listener on it)
 * @param totalMillis     the whole reload: plan, binds, graph, switch
 */
public record ReloadOutcome(String changes, int listenersKept, int listenersOpened, int listenersClosed,
                            long sessionsLeft, long switchMicros, long totalMillis) {

    /** The reload's log line. */
    public String describe() {
        return "Reloaded: " + changes + "; listeners kept " + listenersKept + ", opened " + listenersOpened
                + ", closed " + listenersClosed + "; " + sessionsLeft + " sessions left on the previous configuration"
                + "; switch " + switchMicros + " µs, reload " + totalMillis + " ms";
    }
}
