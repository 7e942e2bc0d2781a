package io.tidegate.engine.status;

/**
 * The latency histograms of one server (or, summed, of a backend), HAProxy's four timers:
 *
 * @param queue    time waiting for a server slot (0 when not queued; HAProxy's Tw)
 * @param connect  time to get a server connection (about 0 for a reused keep-alive one; Tc)
 * @param response time from the request sent to the response head received (Tr)
 * @param total    time from the request received to the end of the exchange
 */
public record ServerLatency(LatencyHistogram queue, LatencyHistogram connect, LatencyHistogram response,
                            LatencyHistogram total) {
    public ServerLatency plus(ServerLatency o) {
        return new ServerLatency(queue.plus(o.queue), connect.plus(o.connect), response.plus(o.response), total.plus(o.total));
    }
}
