package io.tidegate.engine.status;

import java.util.List;

/**
 * A latency histogram as Prometheus exposes one: the upper bounds of its buckets in seconds (the
 * last bucket, +Inf, is implicit), the cumulative count of observations at or below each bound, the
 * sum of all observations in seconds and their count.
 *
 * @param upperBoundsSeconds bucket bounds, ascending, without +Inf
 * @param cumulativeCounts   observations ≤ each bound (same length as the bounds)
 * @param sumSeconds         sum of the observations
 * @param count              number of observations (the +Inf bucket)
 */
public record LatencyHistogram(List<Double> upperBoundsSeconds, List<Long> cumulativeCounts, double sumSeconds, long count) {
    public LatencyHistogram {
        upperBoundsSeconds = List.copyOf(upperBoundsSeconds);
        cumulativeCounts = List.copyOf(cumulativeCounts);
    }

    /**
     * The q-quantile (0..1) estimated by linear interpolation within its bucket, as Prometheus'
     * {@code histogram_quantile} does; 0 without observations; the highest finite bound when the
     * quantile falls in the +Inf bucket.
     */
    public double quantileSeconds(double q) {
        if (count == 0) return 0;
        double rank = q * count;
        long below = 0;
        double lower = 0;
        for (int i = 0; i < upperBoundsSeconds.size(); i++) {
            long c = cumulativeCounts.get(i);
            if (c >= rank) {
                long inBucket = c - below;
                double upper = upperBoundsSeconds.get(i);
                return inBucket == 0 ? upper : lower + (upper - lower) * (rank - below) / inBucket;
            }
            below = c;
            lower = upperBoundsSeconds.get(i);
        }
        return upperBoundsSeconds.get(upperBoundsSeconds.size() - 1);
    }

    /** The sum of two histograms with the same bounds (a backend's is the sum of its servers'). */
    public LatencyHistogram plus(LatencyHistogram o) {
        Long[] c = new Long[cumulativeCounts.size()];
        for (int i = 0; i < c.length; i++) c[i] = cumulativeCounts.get(i) + o.cumulativeCounts.get(i);
        return new LatencyHistogram(upperBoundsSeconds, List.of(c), sumSeconds + o.sumSeconds, count + o.count);
    }
}
