package io.tidegate.engine;

import io.tidegate.config.ProxyRule;
import java.util.function.Function;

/**
 * The backend name of {@code use_backend [TEXT]%[FETCH,CONVERTER...][TEXT]}: the sample expression
 * (the one converter chain of {@link ConverterChain}, maps read at load time), evaluated per request.
 */
final class DynamicBackendName {
    private final String prefix;
    private final String suffix;
    private final SampleFetch sample;

    DynamicBackendName(ProxyRule r, Function<String, RuntimeBackend> backends, RuntimeBackend own) {
        this.prefix = r.param("prefix");
        this.suffix = r.param("suffix");
        this.sample = SampleFetch.expression(r.param("fetch"), backends, own, n -> null);
    }

    /** The backend name for this request, or null when the sample or the map gives none. */
    String name(ExchangeFacts x) {
        StringBuilder sb = new StringBuilder(32);
        sample.append(x, sb);
        return sb.length() == 0 ? null : prefix + sb + suffix;
    }
}
