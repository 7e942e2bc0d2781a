package io.tidegate.config;

import java.util.Arrays;
import java.util.Optional;

/** HAProxy's pattern matching methods ({@code -m METHOD} and the ones derived fetch names imply). */
public enum AclMatch {
    /** exact string */
    STR("str"),
    /** prefix */
    BEG("beg"),
    /** suffix */
    END("end"),
    /** substring */
    SUB("sub"),
    /** regular expression (searched, not anchored) */
    REG("reg"),
    /** a dot- or slash-delimited word */
    DOM("dom"),
    /** a slash-delimited word */
    DIR("dir"),
    /** the length of the value as an integer */
    LEN("len"),
    /** the value exists */
    FOUND("found"),
    /** integer or range */
    INT("int"),
    /** IPv4/IPv6 address or network */
    IP("ip"),
    /** true when the boolean fetch is true */
    BOOL("bool"),
    /** the exact bytes given as hexadecimal digits (e.g. {@code 160301}) */
    BIN("bin");

    private final String keyword;

    AclMatch(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static Optional<AclMatch> fromKeyword(String word) {
        return Arrays.stream(values()).filter(m -> m.keyword.equals(word)).findFirst();
    }
}
