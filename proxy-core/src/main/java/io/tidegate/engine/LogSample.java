package io.tidegate.engine;

import io.tidegate.config.LogFormatParser;
import io.tidegate.log.LineBytes;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A {@code %[fetch,converter,...]} of a log-format, evaluated when the line is written, with HAProxy
 * 2.6's types and casts (converters through the one {@link ConverterChain}). A sample without a
 * value, or an empty string, is logged as {@code -} ({@code ""} when quoted); strings are written as
 * they are, as HAProxy does.
 */
final class LogSample {
    private enum Fetch { SRC, SRC_PORT, DST, DST_PORT, VAR, STR, INT, ALWAYS_TRUE, ALWAYS_FALSE, SSL_FC, SSL_FC_SNI,
        STATUS, METHOD, NBSRV }

    /** The types a sample has while converters run. */
    private static final int NONE = 0, STR = 1, INT = 2, BOOL = 3, IP = 4;

    private final Fetch fetch;
    private final String varName;
    /** str, int, always_true/false, ssl_fc, ssl_fc_sni, nbsrv: the rules' own fetch (one place per fetch). */
    private final SampleFetch shared;
    private final ConverterChain converters;

    /**
     * @param backends resolves {@code nbsrv(NAME)}; {@code own} is the backend of the proxy (nbsrv without argument)
     * @throws IllegalArgumentException when nbsrv names no backend
     */
    LogSample(LogFormatParser.Sample s, Function<String, RuntimeBackend> backends, RuntimeBackend own) {
        this.fetch = Fetch.valueOf(s.fetch().toUpperCase(java.util.Locale.ROOT));
        String a0 = s.args().isEmpty() ? null : s.args().get(0).strip();
        this.varName = fetch == Fetch.VAR ? a0 : null;
        if (fetch == Fetch.NBSRV && (a0 == null ? own : backends.apply(a0)) == null) {
            throw new IllegalArgumentException("log-format %[nbsrv(" + (a0 == null ? "" : a0) + ")]: "
                    + (a0 == null ? "this proxy has no backend" : "no backend named '" + a0 + "'"));
        }
        this.shared = switch (fetch) {
            case STR, INT, ALWAYS_TRUE, ALWAYS_FALSE, SSL_FC, SSL_FC_SNI, NBSRV -> SampleFetch.of(s.fetch(), s.args(),
                    backends, own);
            default -> null;
        };
        this.converters = ConverterChain.compileSpecs(s.converters().stream()
                .map(c -> new io.tidegate.config.ConverterSpec(c.name(), c.args(), null)).toList());
    }

    /** Writes the sample's value for this exchange ({@code facts} may be null: no variables then). */
    void write(LogFields f, ExchangeFacts facts, LineBytes line, boolean quoted) {
        int type = NONE;
        long n = 0;
        byte[] bytes = null;
        switch (fetch) {
            case SRC -> {
                if (f.client != null) {
                    type = IP;
                    bytes = f.client.getAddress().getAddress();
                }
            }
            case DST -> {
                if (f.frontendAddress != null && f.frontendAddress.getAddress() != null) {
                    type = IP;
                    bytes = f.frontendAddress.getAddress().getAddress();
                }
            }
            case SRC_PORT -> {
                if (f.client != null) {
                    type = INT;
                    n = f.client.getPort();
                }
            }
            case DST_PORT -> {
                if (f.frontendAddress != null) {
                    type = INT;
                    n = f.frontendAddress.getPort();
                }
            }
            case VAR -> {
                bytes = facts == null ? null : facts.var(varName);
                if (bytes != null) type = STR;
            }
            case STATUS -> {
                if (f.status > 0) {
                    type = INT;
                    n = f.status;
                }
            }
            case METHOD -> {
                if (f.requestLineLength > 0) {
                    int end = 0;
                    while (end < f.requestLineLength && f.requestLine[end] != ' ') end++;
                    type = STR;
                    bytes = java.util.Arrays.copyOf(f.requestLine, end);
                }
            }
            default -> {
                StringBuilder sb = new StringBuilder(16);
                shared.append(facts, sb);
                if (sb.length() > 0) {
                    if (shared.sampleType() == ConverterChain.INT) {
                        type = INT;
                        n = Long.parseLong(sb.toString());
                    } else {
                        type = STR;
                        bytes = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
                    }
                }
            }
        }
        if (!converters.isEmpty() && type != NONE) {
            ConverterChain.Sample v = new ConverterChain.Sample();
            switch (type) {
                case INT, BOOL -> v.set(ConverterChain.INT, n, null);
                case IP -> v.set(ConverterChain.IP, 0, ipText(bytes));
                default -> v.set(ConverterChain.STR, 0, new String(bytes, StandardCharsets.ISO_8859_1));
            }
            converters.apply(v, facts);
            switch (v.type) {
                case ConverterChain.NONE -> type = NONE;
                case ConverterChain.INT -> {
                    type = INT;
                    n = v.n;
                }
                case ConverterChain.IP -> {
                    type = STR;
                    bytes = v.s.getBytes(StandardCharsets.ISO_8859_1);
                }
                default -> {
                    type = STR;
                    bytes = v.s.getBytes(StandardCharsets.ISO_8859_1);
                }
            }
        }
        if (type == STR && bytes.length == 0) type = NONE;
        if (type == NONE) {
            line.put(quoted ? "\"\"" : "-");
            return;
        }
        if (quoted) line.put('"');
        switch (type) {
            case INT, BOOL -> line.put(n);
            case IP -> line.put(fetch == Fetch.SRC && f.clientIp != null ? f.clientIp : ipText(bytes));
            default -> line.put(bytes, 0, bytes.length);
        }
        if (quoted) line.put('"');
    }

    private static String ipText(byte[] address) {
        return io.tidegate.net.AddressText.of(address);
    }
}
