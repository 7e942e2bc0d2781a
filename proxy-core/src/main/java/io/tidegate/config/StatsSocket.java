package io.tidegate.config;

/**
 * {@code stats socket PATH [mode OCTAL] [level user|operator|admin] [expose-fd listeners]} in the
 * {@code global} section: a UNIX-domain socket serving HAProxy's runtime API. Equality ignores
 * {@link #pos()} (as every {@link SourcePos}).
 *
 * @param path              the socket file, or (HAProxy allows it) a TCP address as written:
 *                          {@code ipv4@ADDR:PORT}, {@code ipv6@ADDR:PORT}, {@code ADDR:PORT}, {@code *:PORT}
 * @param mode              the file's permission bits (e.g. {@code 0600}), null = as the umask leaves them
 * @param level             what the socket's clients may do
 * @param exposeFdListeners {@code expose-fd listeners} was written (accepted; see README)
 * @param pos               where the line was written
 */
public record StatsSocket(String path, Integer mode, Level level, boolean exposeFdListeners, SourcePos pos) {

    /** HAProxy's CLI levels: {@code user} reads, {@code operator} also sees sessions and errors, {@code admin} changes. */
    public enum Level {
        USER, OPERATOR, ADMIN;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** This level may run a command that needs {@code needed}. */
        public boolean allows(Level needed) {
            return compareTo(needed) >= 0;
        }
    }

    public StatsSocket {
        if (level == null) level = Level.OPERATOR;   // HAProxy's default level
        pos = SourcePos.orUnknown(pos);
    }

    /** The runtime API is served on a TCP address rather than a UNIX socket file. */
    public boolean isTcp() {
        return !path.startsWith("/") && !path.startsWith("unix@");
    }

    /** The UNIX socket file (without HAProxy's {@code unix@} prefix). */
    public String file() {
        return path.startsWith("unix@") ? path.substring(5) : path;
    }

    /** The TCP address to listen on ({@link #isTcp()}); {@code *} or no host = every address. */
    public java.net.InetSocketAddress tcpAddress() {
        String a = path.startsWith("ipv4@") || path.startsWith("ipv6@") ? path.substring(5) : path;
        HostPort hp = Addresses.parse(a, true);
        return hp.host().isEmpty() ? new java.net.InetSocketAddress(hp.port()) : new java.net.InetSocketAddress(hp.host(), hp.port());
    }

    /** The words of the line as written in the file. */
    public java.util.List<String> configWords() {
        java.util.List<String> w = new java.util.ArrayList<>(java.util.List.of("stats", "socket", path));
        if (mode != null) w.addAll(java.util.List.of("mode", String.format("%04o", mode)));
        w.addAll(java.util.List.of("level", level.keyword()));
        if (exposeFdListeners) w.addAll(java.util.List.of("expose-fd", "listeners"));
        return w;
    }
}
