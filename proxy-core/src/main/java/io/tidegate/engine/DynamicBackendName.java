package io.tidegate.engine;

import io.tidegate.config.ProxyRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The backend name of {@code use_backend [TEXT]%[FETCH,CONVERTER...][TEXT]}: the sample, through
 * {@code lower}, {@code upper} and {@code map*(FILE[,DEFAULT])} (maps loaded at load time; exact
 * keys in a hash map, the other matches in file order). Evaluated per request (it builds a string).
 */
final class DynamicBackendName {
    private final String prefix;
    private final String suffix;
    private final SampleFetch fetch;
    private final List<Converter> converters = new ArrayList<>();

    private record Converter(String name, Map<String, String> exact, List<String[]> entries, String fallback) {
        String apply(String v) {
            if (v == null) return null;
            switch (name) {
                case "lower" -> {
                    return v.toLowerCase(Locale.ROOT);
                }
                case "upper" -> {
                    return v.toUpperCase(Locale.ROOT);
                }
                case "map", "map_str" -> {
                    String r = exact.get(v);
                    return r != null ? r : fallback;
                }
                default -> {
                    for (String[] e : entries) if (matches(e[0], v)) return e[1];
                    return fallback;
                }
            }
        }

        private boolean matches(String key, String v) {
            return switch (name) {
                case "map_beg" -> v.startsWith(key);
                case "map_end" -> v.endsWith(key);
                case "map_sub" -> v.contains(key);
                default -> {     // map_dom: key is a whole dot/slash-delimited part of v
                    int i = v.indexOf(key);
                    boolean found = false;
                    while (i >= 0 && !found) {
                        boolean before = i == 0 || "./?:".indexOf(v.charAt(i - 1)) >= 0;
                        int end = i + key.length();
                        boolean after = end == v.length() || "./?:".indexOf(v.charAt(end)) >= 0;
                        found = before && after;
                        i = v.indexOf(key, i + 1);
                    }
                    yield found;
                }
            };
        }
    }

    DynamicBackendName(ProxyRule r, Function<String, RuntimeBackend> backends, RuntimeBackend own) {
        this.prefix = r.param("prefix");
        this.suffix = r.param("suffix");
        String expr = r.param("fetch");
        String name = expr.contains("(") ? expr.substring(0, expr.indexOf('(')) : expr;
        List<String> args = expr.contains("(")
                ? List.of(expr.substring(expr.indexOf('(') + 1, expr.lastIndexOf(')')).split(",")) : List.of();
        this.fetch = SampleFetch.of(name, args, backends, own);
        for (int i = 0; r.param("conv." + i) != null; i++) {
            String c = r.param("conv." + i);
            Map<String, String> exact = new HashMap<>();
            List<String[]> entries = new ArrayList<>();
            String map = r.param("map." + i);
            if (map != null && !map.isEmpty()) {
                for (String line : map.split("\n")) {
                    String[] kv = line.split(" ", 2);
                    exact.putIfAbsent(kv[0], kv[1]);
                    entries.add(kv);
                }
            }
            converters.add(new Converter(c, exact, entries, r.param("default." + i)));
        }
    }

    /** The backend name for this request, or null when the sample or the map gives none. */
    String name(ExchangeFacts x) {
        StringBuilder sb = new StringBuilder(32);
        fetch.append(x, sb);
        String v = sb.length() == 0 ? null : sb.toString();
        for (Converter c : converters) v = c.apply(v);
        return v == null || v.isEmpty() ? null : prefix + v + suffix;
    }
}
