package io.tidegate.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lines of one {@code userlist} section (HAProxy's doc/configuration.txt §12.2):
 * {@code group NAME [users U,...]} and {@code user NAME [password HASH|insecure-password TEXT]
 * [groups G,...]}. Names referred to across lines are checked when the section ends, as HAProxy
 * does, so a group may name users defined after it.
 */
final class UserlistParser {

    /** crypt(3) hash forms Tidegate verifies (commons-codec's Crypt): MD5, SHA-256, SHA-512, and DES. */
    static final String SUPPORTED_HASHES = "$1$ (MD5), $5$ (SHA-256), $6$ (SHA-512) and the 13-character DES form";

    private final ParseContext ctx;
    private final String name;
    private final SourcePos pos;
    private final Map<String, Userlist.Group> groups = new LinkedHashMap<>();
    private final Map<String, Userlist.User> users = new LinkedHashMap<>();
    /** Where each group and user was declared, and where their member lists were written. */
    private final Map<String, Word> groupWords = new LinkedHashMap<>();
    private final Map<String, Word> userWords = new LinkedHashMap<>();
    private final Map<String, Word> memberWords = new LinkedHashMap<>();

    UserlistParser(ParseContext ctx, String name, SourcePos pos) {
        this.ctx = ctx;
        this.name = name;
        this.pos = pos;
    }

    void apply(ConfigLine line) {
        switch (line.keyword().text()) {
            case "group" -> group(line);
            case "user" -> user(line);
            default -> throw new StatementError(line.keyword(), "unknown keyword '" + line.keyword().text()
                    + "' in userlist '" + name + "'; a userlist holds 'user' and 'group' lines");
        }
    }

    private void group(ConfigLine line) {
        ProxyStatementParser.atLeast(line, 2, "group needs a name, e.g. 'group admins users alice,bob'");
        Word g = line.word(1);
        checkName(g, "group");
        if (groups.containsKey(g.text())) {
            throw new StatementError(g, "duplicate group '" + g.text() + "' in userlist '" + name + "' (first at "
                    + groupWords.get(g.text()).pos() + ")");
        }
        List<String> members = List.of();
        if (line.size() > 2) {
            if (!line.text(2).equals("users") || line.size() != 4) {
                throw new StatementError(line.word(2), "expected 'group " + g.text() + " users NAME,...'");
            }
            members = names(line.word(3), "user");
            memberWords.put("group " + g.text(), line.word(3));
        }
        groups.put(g.text(), new Userlist.Group(g.text(), members));
        groupWords.put(g.text(), g);
    }

    private void user(ConfigLine line) {
        ProxyStatementParser.atLeast(line, 2, "user needs a name, e.g. 'user alice password $6$...'");
        Word u = line.word(1);
        checkName(u, "user");
        if (users.containsKey(u.text())) {
            throw new StatementError(u, "duplicate user '" + u.text() + "' in userlist '" + name + "' (first at "
                    + userWords.get(u.text()).pos() + ")");
        }
        String password = null;
        boolean insecure = false;
        List<String> memberOf = List.of();
        for (int i = 2; i < line.size(); i += 2) {
            Word w = line.word(i);
            if (i + 1 >= line.size()) {
                throw new StatementError(w, "'" + w.text() + "' needs a value");
            }
            Word v = line.word(i + 1);
            switch (w.text()) {
                case "password" -> {
                    checkHash(v);
                    password = v.text();
                }
                case "insecure-password" -> {
                    password = v.text();
                    insecure = true;
                }
                case "groups" -> {
                    memberOf = names(v, "group");
                    memberWords.put("user " + u.text(), v);
                }
                default -> throw new StatementError(w, "unexpected '" + w.text() + "' in a user line; expected "
                        + "password, insecure-password or groups");
            }
        }
        users.put(u.text(), new Userlist.User(u.text(), password, insecure, memberOf));
        userWords.put(u.text(), u);
    }

    /** The section is complete: checks that groups and users name each other correctly. */
    Userlist finish() {
        for (Userlist.Group g : groups.values()) {
            for (String u : g.users()) {
                if (!users.containsKey(u)) {
                    ctx.error(memberWords.get("group " + g.name()), "group '" + g.name() + "' names user '" + u
                            + "', which userlist '" + name + "' does not define");
                }
            }
        }
        for (Userlist.User u : users.values()) {
            for (String g : u.groups()) {
                if (!groups.containsKey(g)) {
                    ctx.error(memberWords.get("user " + u.name()), "user '" + u.name() + "' is in group '" + g
                            + "', which userlist '" + name + "' does not define (groups: "
                            + (groups.isEmpty() ? "none" : String.join(", ", groups.keySet())) + ")");
                }
            }
        }
        return new Userlist(name, new ArrayList<>(groups.values()), new ArrayList<>(users.values()), pos);
    }

    private static void checkName(Word w, String what) {
        if (!w.text().matches("[^\\s,]+")) {
            throw new StatementError(w, "invalid " + what + " name '" + w.text() + "'");
        }
    }

    private static List<String> names(Word w, String what) {
        List<String> out = new ArrayList<>();
        for (String n : w.text().split(",", -1)) {
            if (n.isEmpty()) {
                throw new StatementError(w, "empty " + what + " name in '" + w.text() + "'");
            }
            out.add(n);
        }
        return out;
    }

    /** A crypt(3) hash of a form Tidegate can verify. */
    private static void checkHash(Word v) {
        String h = v.text();
        boolean ok;
        if (h.startsWith("$1$") || h.startsWith("$5$") || h.startsWith("$6$")) {
            ok = h.indexOf('$', 3) > 3 || h.startsWith("$5$rounds=") || h.startsWith("$6$rounds=");
        } else if (h.startsWith("$")) {
            String scheme = h.indexOf('$', 1) > 0 ? h.substring(0, h.indexOf('$', 1) + 1) : h;
            throw new StatementError(v, "password hash scheme '" + scheme + "' is not supported; supported: "
                    + SUPPORTED_HASHES + " (or write the clear text with insecure-password)");
        } else {
            ok = h.length() == 13 && h.matches("[./0-9A-Za-z]{13}");
        }
        if (!ok) {
            throw new StatementError(v, "'" + h + "' is not a crypt(3) hash; supported: " + SUPPORTED_HASHES
                    + " (or write the clear text with insecure-password)");
        }
    }
}
