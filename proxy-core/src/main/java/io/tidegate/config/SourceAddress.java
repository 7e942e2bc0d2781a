package io.tidegate.config;

/**
 * {@code source ADDR[:PORT[-PORT]]}: the local address (and optional port or port range) of the
 * connections Tidegate opens to a server, for traffic and health checks.
 *
 * @param host     the address as written (no brackets for IPv6)
 * @param lowPort  first port of the range, 0 = any port the system picks
 * @param highPort last port of the range (= lowPort for a single port, 0 when lowPort is 0)
 */
public record SourceAddress(String host, int lowPort, int highPort) {

    public SourceAddress {
        if (lowPort < 0 || highPort < lowPort || highPort > 65535 || (lowPort == 0 && highPort != 0)) {
            throw new IllegalArgumentException("bad source port range " + lowPort + "-" + highPort);
        }
    }

    /** Parses {@code ADDR}, {@code ADDR:PORT} or {@code ADDR:LOW-HIGH} ({@code [v6]:PORT} for IPv6). */
    public static SourceAddress parse(String text) {
        String hostPart = text;
        String portPart = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("missing ']' in source '" + text + "'");
            hostPart = text.substring(1, close);
            if (close + 1 < text.length()) {
                if (text.charAt(close + 1) != ':') throw new IllegalArgumentException("bad source '" + text + "'");
                portPart = text.substring(close + 2);
            }
        } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') >= 0) {
            hostPart = text.substring(0, text.indexOf(':'));
            portPart = text.substring(text.indexOf(':') + 1);
        }
        if (hostPart.isEmpty()) {
            throw new IllegalArgumentException("source needs an address, e.g. 'source 10.1.2.1' or "
                    + "'source 10.1.2.1:1025-65000'");
        }
        HostPort hp = Addresses.parse(hostPart.contains(":") ? "[" + hostPart + "]" : hostPart, false);
        int low = 0;
        int high = 0;
        if (portPart != null) {
            int dash = portPart.indexOf('-');
            low = port(dash < 0 ? portPart : portPart.substring(0, dash), text);
            high = dash < 0 ? low : port(portPart.substring(dash + 1), text);
            if (high < low) {
                throw new IllegalArgumentException("source port range " + portPart + " is empty (low above high)");
            }
        }
        return new SourceAddress(hp.host(), low, high);
    }

    private static int port(String s, String text) {
        int p;
        try {
            p = Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port '" + s + "' in source '" + text + "'");
        }
        if (p < 1 || p > 65535) throw new IllegalArgumentException("source port " + p + " out of range 1..65535");
        return p;
    }

    public boolean hasPortRange() {
        return highPort > lowPort;
    }

    /** As written in a configuration file. */
    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        if (lowPort == 0) return h;
        return h + ":" + lowPort + (highPort > lowPort ? "-" + highPort : "");
    }
}
