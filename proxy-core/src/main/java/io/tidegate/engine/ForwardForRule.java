package io.tidegate.engine;

import java.net.InetAddress;
import java.util.List;

/** {@code option forwardfor [except NET] [header NAME] [if-none]}. */
public record ForwardForRule(List<NetworkRange> except, String header, boolean ifNone) {
    public static final String DEFAULT_HEADER = "X-Forwarded-For";

    public ForwardForRule {
        except = List.copyOf(except);
    }

    public static ForwardForRule standard() {
        return new ForwardForRule(List.of(), DEFAULT_HEADER, false);
    }

    public ForwardForRule withExcept(NetworkRange range) {
        return new ForwardForRule(List.of(range), header, ifNone);
    }

    public boolean appliesTo(InetAddress client) {
        for (NetworkRange r : except) if (r.contains(client)) return false;
        return true;
    }
}
