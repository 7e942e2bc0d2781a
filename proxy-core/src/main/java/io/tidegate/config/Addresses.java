package io.tidegate.config;

import java.util.regex.Pattern;

/**
 * Reads and writes HAProxy's {@code ADDRESS[:PORT]} notation. Without brackets, the last colon
 * separates the port (HAProxy's rule, so {@code ::1:80} is {@code ::1} port 80); brackets
 * ({@code [::1]:80}) are accepted and are what {@link #format} writes for IPv6. {@code *} and an
 * empty host mean "any address".
 */
final class Addresses {

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9_.-]+)?");

    private Addresses() {
    }

    /**
     * Parses {@code text}.
     *
     * @param portRequired true for listening addresses
     * @throws IllegalArgumentException with a message fit for the user when the text is no address
     */
    static HostPort parse(String text, boolean portRequired) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' in address '" + text + "'");
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (rest.isEmpty()) {
                port = null;
            } else if (rest.startsWith(":")) {
                port = rest.substring(1);
            } else {
                throw new IllegalArgumentException("unexpected '" + rest + "' after ']' in address '" + text + "'");
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                host = text;
                port = null;
            } else {
                host = text.substring(0, colon);
                port = text.substring(colon + 1);
            }
        }
        if ("*".equals(host)) {
            host = "";
        }
        int portNumber = 0;
        if (port != null && !port.isEmpty()) {
            if (port.contains("-")) {
                throw new IllegalArgumentException("port ranges are not supported yet: '" + text + "'");
            }
            if (port.startsWith("+")) {
                throw new IllegalArgumentException("port offsets are not supported yet: '" + text + "'");
            }
            portNumber = parsePort(port, text);
        }
        if (portRequired && portNumber == 0) {
            throw new IllegalArgumentException("missing port in address '" + text + "'");
        }
        if (host.isEmpty() && !portRequired) {
            throw new IllegalArgumentException("missing host in address '" + text + "'");
        }
        if (!host.isEmpty() && !HOST_NAME.matcher(host).matches() && !IPV6.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + host + "' in address '" + text
                    + "' is not a host name or an IP address");
        }
        return new HostPort(host, portNumber);
    }

    /** True when the word is written like {@code HOST:PORT} or {@code :PORT} with a numeric port. */
    static boolean looksLikeListenAddress(String word) {
        int colon = word.lastIndexOf(':');
        if (colon < 0 || colon == word.length() - 1) {
            return false;
        }
        for (int i = colon + 1; i < word.length(); i++) {
            if (!Character.isDigit(word.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static String format(String host, int port) {
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return port == 0 ? h : h + ":" + port;
    }

    private static int parsePort(String port, String text) {
        int value;
        try {
            value = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port '" + port + "' in address '" + text + "'");
        }
        if (value < 1 || value > 65535) {
            throw new IllegalArgumentException("port " + value + " out of range 1..65535 in address '" + text + "'");
        }
        return value;
    }
}
