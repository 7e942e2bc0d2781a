package io.tidegate.engine;

import java.net.InetAddress;
import java.util.List;

/** {@code option forwardfor [except NET] [header NAME] [if-none]}. */
public record ForwardFor(List<NetworkRange> except, String header, boolean ifNone) {
    public static final String DEFAULT_HEADER = "X-Forwarded-For";

    public ForwardFor {
        except = List.copyOf(except);
    }

    public static ForwardFor standard() {
        return new ForwardFor(List.of(), DEFAULT_HEADER, false);
    }

    public ForwardFor withExcept(NetworkRange range) {
        return new ForwardFor(List.of(range), header, ifNone);
    }

    public boolean appliesTo(InetAddress client) {
        for (NetworkRange r : except) if (r.contains(client)) return false;
        return true;
    }
}
