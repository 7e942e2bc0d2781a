package io.tidegate.config;

/**
 * {@code option forwardfor [except NETWORK] [header NAME] [if-none]}, or {@code no option forwardfor}
 * ({@link #DISABLED}).
 *
 * @param enabled       false only for {@code no option forwardfor}
 * @param exceptNetwork clients from this network (address or CIDR, as written) get no header; null = none
 * @param header        the header name as written; null = {@code X-Forwarded-For}
 * @param ifNone        add the header only if the request has none
 */
public record ForwardFor(boolean enabled, String exceptNetwork, String header, boolean ifNone) {

    public static final String DEFAULT_HEADER = "X-Forwarded-For";
    public static final ForwardFor ENABLED = new ForwardFor(true, null, null, false);
    public static final ForwardFor DISABLED = new ForwardFor(false, null, null, false);

    /** The header to add: the one written, else {@code X-Forwarded-For}. */
    public String headerName() {
        return header == null ? DEFAULT_HEADER : header;
    }
}
