package io.tidegate.cli;

import io.tidegate.config.StatsSocket.Level;
import io.tidegate.config.StickDataType;
import io.tidegate.engine.StickTableView;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * HAProxy 2.6's {@code show table} (doc/management.txt): without a name one header line per table
 * ({@code # table: NAME, type: TYPE, size:N, used:N}); with a name its header, then its entries in
 * key order ({@code ID: key=K use=N exp=MS TYPE=VALUE ...}), only those whose data match every
 * {@code data.TYPE OP VALUE} filter (up to 4), or only the entry of {@code key K}. Entries need the
 * operator level; below it the header says their contents are not dumped.
 */
final class TableListing {
    private static final int FILTERS = 4;

    private TableListing() {
    }

    /** The answer to {@code show table [NAME [data.TYPE OP VALUE]... | [key KEY]]} (w: the command's words). */
    static String show(RuntimeOperations ops, List<String> w, Level level) {
        if (w.size() < 3) {
            StringBuilder sb = new StringBuilder();
            for (StickTableView t : ops.stickTables(null)) header(sb, t);
            return sb.toString();
        }
        String name = w.get(2);
        // a backend's table before a frontend's of the same name (the engine lists frontends' first)
        StickTableView table = ops.stickTables(name).stream().filter(t -> t.name().equals(name)).reduce((a, b) -> b)
                .orElse(null);
        if (table == null) return "No such table\n";
        List<String> rest = w.subList(3, w.size());
        String key = null;
        List<Filter> filters = new ArrayList<>();
        if (!rest.isEmpty() && rest.get(0).equals("key")) {
            if (table.type().equals("binary")) {
                return "Showing keys from tables of type other than ip, ipv6, string and integer is not supported\n";
            }
            if (rest.size() < 2) return "Key value expected\n";
            key = rest.get(1);
        } else if (!rest.isEmpty() && rest.get(0).startsWith("data.")) {
            int i = 0;
            for (; i < FILTERS && 3 * i < rest.size(); i++) {
                String type = rest.get(3 * i).startsWith("data.") ? rest.get(3 * i).substring(5) : "";
                StickDataType t = StickDataType.of(type).orElse(null);
                if (t == null) return "Filter entry #" + (i + 1) + ": Unknown data type\n";
                if (!table.stored().contains(type)) {
                    return "Filter entry #" + (i + 1) + ": Data type not stored in this table\n";
                }
                String op = 3 * i + 1 < rest.size() ? rest.get(3 * i + 1) : "";
                if (!List.of("eq", "ne", "le", "ge", "lt", "gt").contains(op)) {
                    return "Filter entry #" + (i + 1) + ": Require and operator among \"eq\", \"ne\", \"le\", \"ge\", \"lt\", \"gt\"\n";
                }
                long value;
                try {
                    value = Long.parseLong(3 * i + 2 < rest.size() ? rest.get(3 * i + 2) : "");
                } catch (NumberFormatException e) {
                    return "Filter entry #" + (i + 1) + ": Require a valid integer value to compare against\n";
                }
                filters.add(new Filter(type, op, value));
            }
            if (3 * i < rest.size()) {
                return "Detected extra data in filter, " + (3 + 3 * i + 1) + "th word of input, after '"
                        + rest.get(3 * i - 1) + "'\n";
            }
        } else if (!rest.isEmpty()) {
            return "Optional argument only supports \"data.<store_data_type>\" <operator> <value> and key <key>\n";
        }
        StringBuilder sb = new StringBuilder();
        header(sb, table);
        if (!level.allows(Level.OPERATOR)) {
            sb.append("# contents not dumped due to insufficient privileges\n");
            return sb.toString();
        }
        List<StickTableView.Row> rows = new ArrayList<>(table.rows());
        rows.sort(keyOrder(table.type()));
        for (StickTableView.Row r : rows) {
            if (key != null && !r.key().equals(key)) continue;
            if (!filters.stream().allMatch(f -> f.matches(r))) continue;
            sb.append(r.id()).append(": key=").append(r.key()).append(" use=").append(r.use()).append(" exp=")
                    .append(r.expMs());
            for (StickTableView.Datum d : r.data()) sb.append(' ').append(d.label()).append('=').append(d.value());
            sb.append('\n');
        }
        return sb.toString();
    }

    /** {@code clear table NAME [key KEY]}: the answer (empty when done). */
    static String clear(RuntimeOperations ops, List<String> w) {
        if (w.size() < 3) {
            return "Required arguments: <table> \"data.<store_data_type>\" <operator> <value> or <table> key <key>\n";
        }
        String key = null;
        if (w.size() > 3) {
            if (!w.get(3).equals("key")) {
                return "Required arguments: <table> \"data.<store_data_type>\" <operator> <value> or <table> key <key>\n";
            }
            String name = w.get(2);
            if (ops.stickTables(null).stream().anyMatch(t -> t.name().equals(name) && t.type().equals("binary"))) {
                return "Removing keys from tables of type other than ip, ipv6, string and integer is not supported\n";
            }
            if (w.size() < 5) return "Key value expected\n";
            key = w.get(4);
        }
        ops.clearStickTable(w.get(2), key);
        return "";
    }

    private static void header(StringBuilder sb, StickTableView t) {
        sb.append("# table: ").append(t.name()).append(", type: ").append(t.type()).append(", size:").append(t.size())
                .append(", used:").append(t.used()).append('\n');
    }

    /** HAProxy dumps entries in the order of its key tree: addresses and integers by value, strings by bytes. */
    private static Comparator<StickTableView.Row> keyOrder(String type) {
        return switch (type) {
            case "ip", "ipv6" -> Comparator.comparing(r -> addressValue(r.key()));
            case "integer" -> Comparator.comparingLong(r -> parseOr(r.key()));
            default -> Comparator.comparing(StickTableView.Row::key);
        };
    }

    private static BigInteger addressValue(String text) {
        try {
            return new BigInteger(1, InetAddress.getByName(text).getAddress());     // a literal: no name lookup
        } catch (java.io.IOException e) {
            return BigInteger.ZERO;
        }
    }

    private static long parseOr(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private record Filter(String type, String op, long value) {
        boolean matches(StickTableView.Row r) {
            long data = r.data().stream().filter(d -> d.type().equals(type)).mapToLong(StickTableView.Datum::value)
                    .findFirst().orElse(0);
            return switch (op) {
                case "eq" -> data == value;
                case "ne" -> data != value;
                case "lt" -> data < value;
                case "le" -> data <= value;
                case "gt" -> data > value;
                default -> data >= value;
            };
        }
    }
}
