package io.tidegate.config;

import java.util.List;
import java.util.Set;

/**
 * A proxy's {@code compression} lines (HAProxy 2.6: {@code compression algo ALGO...},
 * {@code compression type MIME...}, {@code compression offload}); an empty list = not written in
 * this section. A section's own algorithms and types come after those of its {@code defaults}
 * (HAProxy 2.6 extends the inherited lists); {@code offload} is never inherited (HAProxy ignores
 * it in {@code defaults}).
 *
 * @param algorithms the algorithms in preference order: {@code gzip}, {@code deflate},
 *                   {@code raw-deflate}, {@code identity}
 * @param types      Content-Type prefixes to compress (case-insensitive); empty = every type
 * @param offload    remove Accept-Encoding toward the server when the client's offer was taken
 */
public record Compression(List<String> algorithms, List<String> types, boolean offload) {
    /** The algorithms HAProxy 2.6 builds with zlib (no {@code lz4} etc.). */
    public static final Set<String> ALGORITHMS = Set.of("gzip", "deflate", "raw-deflate", "identity");
    public static final Compression NONE = new Compression(List.of(), List.of(), false);

    public Compression {
        algorithms = List.copyOf(algorithms);
        types = List.copyOf(types);
    }

    /** The lists of {@code base} followed by these; offload only when written here. */
    public Compression over(Compression base) {
        if (base == null) return this;
        return new Compression(concat(base.algorithms, algorithms), concat(base.types, types), offload);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        if (a.isEmpty()) return b;
        if (b.isEmpty()) return a;
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** What a proxy inherits from its defaults section. */
    public Compression inherited() {
        return new Compression(algorithms, types, false);
    }
}
