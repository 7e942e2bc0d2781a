package io.tidegate.config;

import java.util.Locale;
import java.util.Optional;

/**
 * The data types a {@code stick-table ... store} line may name, in HAProxy 2.6's order (the order
 * {@code show table} prints them in). Rates ({@code _rate(PERIOD)}) are frequency counters over a
 * period; the others are plain counters or values. {@code server_id} is what stickiness stores.
 */
public enum StickDataType {
    SERVER_ID(false),
    GPT0(false),
    GPC0(false),
    GPC0_RATE(true),
    CONN_CNT(false),
    CONN_RATE(true),
    CONN_CUR(false),
    SESS_CNT(false),
    SESS_RATE(true),
    HTTP_REQ_CNT(false),
    HTTP_REQ_RATE(true),
    HTTP_ERR_CNT(false),
    HTTP_ERR_RATE(true),
    BYTES_IN_CNT(false),
    BYTES_IN_RATE(true),
    BYTES_OUT_CNT(false),
    BYTES_OUT_RATE(true),
    GPC1(false),
    GPC1_RATE(true);

    private final boolean rate;

    StickDataType(boolean rate) {
        this.rate = rate;
    }

    /** True for a frequency counter, which needs a period: {@code http_req_rate(10s)}. */
    public boolean isRate() {
        return rate;
    }

    /** The name in the configuration and in {@code show table}: {@code http_req_rate}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<StickDataType> of(String keyword) {
        for (StickDataType t : values()) {
            if (t.keyword().equals(keyword)) return Optional.of(t);
        }
        return Optional.empty();
    }
}
