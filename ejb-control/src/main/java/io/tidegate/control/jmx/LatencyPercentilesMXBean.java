package io.tidegate.control.jmx;

/**
 * Response-time percentiles of a backend or a server, estimated from the latency histograms the
 * engine records at the end of each exchange (the same histograms the Prometheus exporter serves).
 * The Backend and Server MBeans both have them.
 */
public interface LatencyPercentilesMXBean {

    @Description("Median response time (request sent to response head received) in ms, estimated from the latency histogram (linear within its bucket, as Prometheus' histogram_quantile); 0 before the first exchange")
    double getResponseTimeP50Millis();

    @Description("95th percentile of the response time in ms, estimated from the latency histogram (linear within its bucket, as Prometheus' histogram_quantile); 0 before the first exchange")
    double getResponseTimeP95Millis();

    @Description("99th percentile of the response time in ms, estimated from the latency histogram (linear within its bucket, as Prometheus' histogram_quantile); 0 before the first exchange")
    double getResponseTimeP99Millis();

    @Description("99th percentile of the total time (request received to end of exchange) in ms, estimated from the latency histogram (linear within its bucket, as Prometheus' histogram_quantile); 0 before the first exchange")
    double getTotalTimeP99Millis();

    @Description("99th percentile of the time to get a server connection in ms, estimated from the latency histogram (linear within its bucket, as Prometheus' histogram_quantile); 0 before the first exchange")
    double getConnectTimeP99Millis();

    @Description("99th percentile of the time waiting for a server slot in ms, estimated from the latency histogram (linear within its bucket, as Prometheus' histogram_quantile); 0 before the first exchange")
    double getQueueTimeP99Millis();
}
