package io.tidegate.stats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code show stat typed} and {@code show stat json} (and the stats page's {@code ;json}): each
 * non-empty field of each row with HAProxy's tags (origin, nature, scope) and value type, as HAProxy
 * 2.6 gives them (table {@code haproxy-2.6-stat-fields.txt}, read from HAProxy 2.6.12). A field
 * HAProxy's table has not for that object type takes the entry of another object type, else
 * {@code MGP}/{@code u64} for a number and {@code MOP}/{@code str} for text.
 */
public final class StatsTyped {
    record FieldType(String tags, String type) {
    }

    private static final Map<String, FieldType> TABLE = load();

    private StatsTyped() {
    }

    private static Map<String, FieldType> load() {
        Map<String, FieldType> m = new HashMap<>();
        try (InputStream in = StatsTyped.class.getResourceAsStream("haproxy-2.6-stat-fields.txt");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.trim().split(" ");
                m.put(f[0] + f[1], new FieldType(f[3], f[4]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(m);
    }

    private static char objLetter(StatRow r) {
        return switch (r.type()) {
            case StatRow.FRONTEND -> 'F';
            case StatRow.BACKEND -> 'B';
            default -> 'S';
        };
    }

    static FieldType typeOf(char obj, int pos, String value) {
        FieldType t = TABLE.get("" + obj + pos);
        if (t == null) {
            for (char o : new char[] {'F', 'B', 'S'}) {
                t = TABLE.get("" + o + pos);
                if (t != null) break;
            }
        }
        if (t == null) t = value.matches("-?\\d+") ? new FieldType("MGP", "u64") : new FieldType("MOP", "str");
        if (!t.type().equals("str") && !value.matches("-?\\d+")) t = new FieldType(t.tags(), "str");
        return t;
    }

    /** The fields that HAProxy prints: non-empty ones of HAProxy's own columns (not the module separator and after). */
    private static boolean printed(String value, int pos) {
        return !value.isEmpty() && pos < StatColumn.MODULES;
    }

    /** {@code show stat typed}: {@code F.iid.sid.pos.name.1:TAGS:type:value} per field. */
    public static String typed(List<StatRow> rows) {
        StringBuilder sb = new StringBuilder(rows.size() * 2048);
        for (StatRow r : rows) {
            char obj = objLetter(r);
            for (int pos = 0; pos < StatColumn.COUNT; pos++) {
                String v = r.field(pos);
                if (!printed(v, pos)) continue;
                FieldType t = typeOf(obj, pos, v);
                sb.append(obj).append('.').append(r.iid()).append('.').append(r.sid()).append('.').append(pos).append('.')
                  .append(StatColumn.NAMES.get(pos)).append(".1:").append(t.tags()).append(':').append(t.type()).append(':')
                  .append(v).append('\n');
            }
        }
        return sb.toString();
    }

    /** {@code show stat json}: an array per row of HAProxy's field objects. */
    public static String json(List<StatRow> rows) {
        StringBuilder sb = new StringBuilder(rows.size() * 8192).append('[');
        boolean firstRow = true;
        for (StatRow r : rows) {
            if (!firstRow) sb.append(',');
            firstRow = false;
            sb.append('[');
            char obj = objLetter(r);
            String objType = obj == 'F' ? "Frontend" : obj == 'B' ? "Backend" : "Server";
            boolean first = true;
            for (int pos = 0; pos < StatColumn.COUNT; pos++) {
                String v = r.field(pos);
                if (!printed(v, pos)) continue;
                FieldType t = typeOf(obj, pos, v);
                if (!first) sb.append(',');
                first = false;
                sb.append("{\"objType\":\"").append(objType).append("\",\"proxyId\":").append(r.iid()).append(",\"id\":").append(r.sid())
                  .append(",\"field\":{\"pos\":").append(pos).append(",\"name\":\"").append(StatColumn.NAMES.get(pos))
                  .append("\"},\"processNum\":1,\"tags\":{\"origin\":\"").append(origin(t.tags().charAt(0)))
                  .append("\",\"nature\":\"").append(nature(t.tags().charAt(1))).append("\",\"scope\":\"").append(scope(t.tags().charAt(2)))
                  .append("\"},\"value\":{\"type\":\"").append(t.type()).append("\",\"value\":");
                if (t.type().equals("str")) jsonString(sb, v);
                else sb.append(v);
                sb.append("}}");
            }
            sb.append(']');
        }
        return sb.append("]\n").toString();
    }

    private static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        sb.append('"');
    }

    private static String origin(char c) {
        return switch (c) {
            case 'M' -> "Metric";
            case 'S' -> "Status";
            case 'K' -> "Key";
            case 'C' -> "Config";
            case 'P' -> "Product";
            default -> "Unknown";
        };
    }

    private static String nature(char c) {
        return switch (c) {
            case 'A' -> "Age";
            case 'a' -> "Avg";
            case 'C' -> "Counter";
            case 'D' -> "Duration";
            case 'G' -> "Gauge";
            case 'L' -> "Limit";
            case 'M' -> "Max";
            case 'm' -> "Min";
            case 'N' -> "Name";
            case 'O' -> "Output";
            case 'R' -> "Rate";
            case 'T' -> "Time";
            default -> "Unknown";
        };
    }

    private static String scope(char c) {
        return switch (c) {
            case 'C' -> "Cluster";
            case 'P' -> "Process";
            case 'S' -> "Service";
            case 's' -> "System";
            default -> "Unknown";
        };
    }
}
