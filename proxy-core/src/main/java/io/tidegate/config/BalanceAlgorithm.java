package io.tidegate.config;

import java.util.Arrays;
import java.util.Optional;

/** The load-balancing algorithms of HAProxy's {@code balance} keyword. */
public enum BalanceAlgorithm {
    ROUNDROBIN("roundrobin"),
    STATIC_RR("static-rr"),
    LEASTCONN("leastconn"),
    FIRST("first"),
    SOURCE("source"),
    URI("uri"),
    URL_PARAM("url_param"),
    HDR("hdr"),
    RANDOM("random"),
    RDP_COOKIE("rdp-cookie");

    private final String keyword;

    BalanceAlgorithm(String keyword) {
        this.keyword = keyword;
    }

    /** The word written after {@code balance}. */
    public String keyword() {
        return keyword;
    }

    /** {@code hdr(NAME)} and {@code rdp-cookie(NAME)} carry a parameter in parentheses. */
    public boolean takesParameter() {
        return this == HDR || this == RDP_COOKIE;
    }

    public static Optional<BalanceAlgorithm> fromKeyword(String word) {
        return Arrays.stream(values()).filter(a -> a.keyword.equals(word)).findFirst();
    }
}
