package io.tidegate.engine;

import io.tidegate.config.LogFormat;
import io.tidegate.config.LogFormatParser;
import io.tidegate.log.JBossLogSink;
import io.tidegate.log.LineBytes;
import io.tidegate.log.LogSink;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The access log of one frontend: its format compiled once, the line built for each exchange (HTTP)
 * or session (TCP) straight into the IO thread's reused {@link LineBytes} and handed to each sink. HAProxy's
 * {@code option httplog} (2.x) reads
 * <pre>{@code %ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc %sq/%bq %hr %hs %{+Q}r}</pre>
 * and {@code option tcplog} {@code %ci:%cp [%t] %ft %b/%s %Tw/%Tc/%Tt %B %ts %ac/%fc/%bc/%sc/%rc %sq/%bq}.
 * As in HAProxy, a variable with nothing to show ({@code %hr}/{@code %hs} without captures) is
 * left out together with the space before it. {@code %[fetch,converter,...]} are {@link LogSample}s.
 */
final class AccessLog {
    /** Syslog level of access-log lines (info). */
    static final int LEVEL = 6;
    static final String HOSTNAME = hostname();
    private static final long PID = ProcessHandle.current().pid();

    private enum V { CI, CP, FI, FP, F, FT, B, S, SI, SP, BI, BP, T, TR_DATE, TS, TSC, TQ, TR_REQ, TW, TC, TR_RSP, TA, TT,
        TH, TI, ST, BYTES, U, CC, CS, AC, FC, BC, SC, RC, SQ, BQ, HR, HS, R, HM, HU, HP, HV, PID, H, SAMPLE }

    private final String[] literals;
    private final V[] vars;
    private final boolean[] quoted;
    /** The {@code %[...]} of each SAMPLE position. */
    private final LogSample[] samples;
    private final LogSink[] sinks;
    private final boolean onlyWildFly;
    final boolean dontlognull;

    AccessLog(LogFormat format, List<LogSink> sinks, boolean dontlognull) {
        this(format, sinks, dontlognull, name -> null, null);
    }

    /**
     * @param backends resolves the backend names of {@code %[nbsrv(NAME)]}; {@code own} is the proxy's
     *                 own backend (for {@code %[nbsrv]} in a listen section)
     */
    AccessLog(LogFormat format, List<LogSink> sinks, boolean dontlognull,
              java.util.function.Function<String, RuntimeBackend> backends, RuntimeBackend own) {
        List<LogFormatParser.Token> tokens = LogFormatParser.parse(format.format());
        literals = new String[tokens.size()];
        vars = new V[tokens.size()];
        quoted = new boolean[tokens.size()];
        samples = new LogSample[tokens.size()];
        for (int i = 0; i < tokens.size(); i++) {
            LogFormatParser.Token t = tokens.get(i);
            literals[i] = t.literal();
            quoted[i] = t.quoted();
            if (t.sample() != null) {
                vars[i] = V.SAMPLE;
                samples[i] = new LogSample(t.sample(), backends, own);
            } else if (!t.isLiteral()) {
                vars[i] = code(t.variable());
            }
        }
        this.sinks = sinks.toArray(new LogSink[0]);
        this.onlyWildFly = sinks.stream().allMatch(s -> s instanceof JBossLogSink);
        this.dontlognull = dontlognull;
    }

    /** False when no line would be written anywhere (then nothing is measured or formatted). */
    boolean enabled() {
        return sinks.length > 0 && (!onlyWildFly || JBossLogSink.INSTANCE.enabled());
    }

    /** Writes the line of this exchange; {@code facts} (null when the session has no rules) holds its variables. */
    void write(LogFields f, ExchangeFacts facts) {
        LineBytes line = LineBytes.get();
        format(f, facts, line);
        for (LogSink s : sinks) s.write(line, LEVEL);
    }

    /** Builds the line into {@code line}. */
    void format(LogFields f, ExchangeFacts facts, LineBytes line) {
        for (int i = 0; i < vars.length; i++) {
            V v = vars[i];
            if (v == null) {
                line.put(literals[i]);
                continue;
            }
            if (v == V.HR || v == V.HS) {
                // no captures: the variable and the space before it vanish, as in HAProxy
                int n = line.length();
                if (n > 0 && line.byteAt(n - 1) == ' ' && i + 1 < vars.length && vars[i + 1] == null
                        && literals[i + 1].startsWith(" ")) {
                    line.setLength(n - 1);
                }
                continue;
            }
            if (v == V.SAMPLE) {
                samples[i].write(f, facts, line, quoted[i]);
                continue;
            }
            if (quoted[i]) line.put('"');
            value(v, f, line);
            if (quoted[i]) line.put('"');
        }
    }

    private static void value(V v, LogFields f, LineBytes line) {
        switch (v) {
            case CI -> line.put(f.clientIp);
            case CP -> line.put(f.client.getPort());
            case FI -> ip(line, f.frontendAddress);
            case FP -> line.put(f.frontendAddress == null ? 0 : f.frontendAddress.getPort());
            case F, FT -> line.put(f.frontend);
            case B -> line.put(f.backend != null ? f.backend : f.frontend);
            case S -> line.put(f.server != null ? f.server : "<NOSRV>");
            case SI -> ip(line, f.serverAddress);
            case SP -> line.put(f.serverAddress == null ? 0 : f.serverAddress.getPort());
            case BI, BP -> line.put('-');
            case T -> line.putDate(f.acceptEpochMs);
            case TR_DATE -> line.putDate(f.requestEpochMs);
            case TS -> line.put(f.termination, 0, 2);
            case TSC -> line.put(f.termination, 0, 2).put(f.cookieClient).put(f.cookieServer);
            case TQ -> line.put(f.tR < 0 ? -1 : f.th + f.ti + f.tR);
            case TR_REQ -> line.put(f.tR);
            case TW -> line.put(f.tw);
            case TC -> line.put(f.tc);
            case TR_RSP -> line.put(f.tr);
            case TA -> line.put(f.ta);
            case TT -> line.put(f.tt);
            case TH -> line.put(f.th);
            case TI -> line.put(f.ti);
            case ST -> line.put(f.status);
            case BYTES -> line.put(f.bytesToClient);
            case U -> line.put(f.bytesFromClient);
            case CC -> bytes(line, f.requestCookie, f.requestCookieLength);
            case CS -> bytes(line, f.responseCookie, f.responseCookieLength);
            case AC -> line.put(f.actconn);
            case FC -> line.put(f.feconn);
            case BC -> line.put(f.beconn);
            case SC -> line.put(f.srvconn);
            case RC -> (f.redispatched ? line.put('+') : line).put(f.retries);
            case SQ -> line.put(f.serverQueue);
            case BQ -> line.put(f.backendQueue);
            case HR, HS, SAMPLE -> { }
            case R -> requestLinePart(line, f, -1);
            case HM -> requestLinePart(line, f, 0);
            case HU -> requestLinePart(line, f, 1);
            case HP -> requestLinePart(line, f, 3);
            case HV -> requestLinePart(line, f, 2);
            case PID -> line.put(PID);
            case H -> line.put(HOSTNAME);
        }
    }

    /** part -1: whole line; 0 method, 1 target, 2 version, 3 path (target without query). */
    private static void requestLinePart(LineBytes line, LogFields f, int part) {
        if (f.requestLineLength < 0) {
            line.put(part <= 0 ? "<BADREQ>" : "-");
            return;
        }
        byte[] b = f.requestLine;
        int n = f.requestLineLength;
        int from = 0;
        int to = n;
        if (part >= 0) {
            int sp1 = indexOf(b, ' ', 0, n);
            int sp2 = sp1 < 0 ? -1 : indexOf(b, ' ', sp1 + 1, n);
            switch (part) {
                case 0 -> to = sp1 < 0 ? n : sp1;
                case 1, 3 -> {
                    from = sp1 < 0 ? n : sp1 + 1;
                    to = sp2 < 0 ? n : sp2;
                    if (part == 3) {
                        int q = indexOf(b, '?', from, to);
                        if (q >= 0) to = q;
                    }
                }
                default -> from = sp2 < 0 ? n : sp2 + 1;
            }
        }
        // runs of plain bytes are copied at once; '"', controls and non-ASCII escaped as HAProxy does: #XX
        int run = from;
        for (int i = from; i < to; i++) {
            int c = b[i] & 0xff;
            if (c == '"' || c < 0x20 || c >= 0x7f) {
                line.put(b, run, i).putEscaped(c);
                run = i + 1;
            }
        }
        line.put(b, run, to);
    }

    /** Captured bytes as HAProxy logs them: "-" when nothing was captured, '"' and controls as #XX. */
    private static void bytes(LineBytes line, byte[] b, int n) {
        if (n < 0) {
            line.put('-');
            return;
        }
        int run = 0;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c == '"' || c <= 0x20 || c >= 0x7f) {
                line.put(b, run, i).putEscaped(c);
                run = i + 1;
            }
        }
        line.put(b, run, n);
    }

    private static int indexOf(byte[] b, char c, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == c) return i;
        return -1;
    }

    private static void ip(LineBytes line, InetSocketAddress a) {
        if (a == null || a.getAddress() == null) {
            line.put('-');
            return;
        }
        line.putAddress(a.getAddress());
    }

    private static V code(String var) {
        return switch (var) {
            case "ci" -> V.CI;
            case "cp" -> V.CP;
            case "fi" -> V.FI;
            case "fp" -> V.FP;
            case "f" -> V.F;
            case "ft" -> V.FT;
            case "b" -> V.B;
            case "s" -> V.S;
            case "si" -> V.SI;
            case "sp" -> V.SP;
            case "bi" -> V.BI;
            case "bp" -> V.BP;
            case "t" -> V.T;
            case "tr" -> V.TR_DATE;
            case "ts" -> V.TS;
            case "tsc" -> V.TSC;
            case "Tq" -> V.TQ;
            case "TR" -> V.TR_REQ;
            case "Tw" -> V.TW;
            case "Tc" -> V.TC;
            case "Tr" -> V.TR_RSP;
            case "Ta" -> V.TA;
            case "Tt" -> V.TT;
            case "Th" -> V.TH;
            case "Ti" -> V.TI;
            case "ST" -> V.ST;
            case "B" -> V.BYTES;
            case "U" -> V.U;
            case "CC" -> V.CC;
            case "CS" -> V.CS;
            case "ac" -> V.AC;
            case "fc" -> V.FC;
            case "bc" -> V.BC;
            case "sc" -> V.SC;
            case "rc" -> V.RC;
            case "sq" -> V.SQ;
            case "bq" -> V.BQ;
            case "hr" -> V.HR;
            case "hs" -> V.HS;
            case "r" -> V.R;
            case "HM" -> V.HM;
            case "HU" -> V.HU;
            case "HP" -> V.HP;
            case "HV" -> V.HV;
            case "pid" -> V.PID;
            case "H" -> V.H;
            default -> throw new IllegalArgumentException("unknown log variable %" + var);
        };
    }

    private static String hostname() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
