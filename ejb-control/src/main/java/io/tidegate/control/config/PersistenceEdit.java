package io.tidegate.control.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tidegate.config.Config;
import io.tidegate.config.ConfigParser;
import io.tidegate.config.ConfigWriter;
import io.tidegate.config.CookieSpec;
import io.tidegate.config.GlobalSection;
import io.tidegate.config.ParsedConfig;
import io.tidegate.config.ProxyKind;
import io.tidegate.config.ProxySection;
import io.tidegate.config.ProxySectionBuilder;
import io.tidegate.config.ProxySettings;
import io.tidegate.config.Server;
import io.tidegate.config.SourcePos;

/**
 * Changes one backend's cookie persistence in a configuration text and leaves everything else as
 * written (comments, order, spelling), so the diff shows exactly the persistence change: the
 * section's {@code cookie} line is replaced by the one {@link ConfigWriter} writes for the new
 * {@link CookieSpec} (removed for none, added before the first server when absent), and on each
 * server line whose value changes the {@code cookie VALUE} words are replaced, added or removed.
 * The result is parsed again and must mean exactly the requested persistence.
 */
public final class PersistenceEdit {

    private static final Set<String> SECTION_KEYWORDS = Set.of("global", "defaults", "frontend", "backend", "listen",
            "userlist", "peers", "resolvers", "cache", "program", "http-errors", "ring", "mailers");
    private static final Pattern SERVER_COOKIE = Pattern.compile("(\\s+)cookie\\s+(\"[^\"]*\"|\\S+)");
    private static final Pattern COMMENT = Pattern.compile("\\s+#.*$");
    private static final String INDENT = "    ";

    private PersistenceEdit() {
    }

    /**
     * @param cookie        the new persistence, null for none
     * @param serverCookies new cookie value by server name ("" = none); servers not named keep theirs
     * @throws IllegalArgumentException for an unknown backend or server
     */
    public static String apply(String source, String text, String backend, CookieSpec cookie,
                               Map<String, String> serverCookies) {
        ParsedConfig parsed = new ConfigParser().parse(source, text);
        ProxySection section = parsed.config().backend(backend)      // a frontend may share the name
                .orElseThrow(() -> new IllegalArgumentException("no backend " + backend));
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int start = section.pos().line() - 1;
        int end = sectionEnd(lines, start);

        Map<Integer, String> serverLines = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : serverCookies.entrySet()) {
            Server s = section.server(e.getKey())
                    .orElseThrow(() -> new IllegalArgumentException("no server " + backend + "/" + e.getKey()));
            String current = s.options().cookie() == null ? "" : s.options().cookie();
            if (!current.equals(e.getValue())) {
                int i = s.pos().line() - 1;
                serverLines.put(i, withServerCookie(lines.get(i), e.getValue()));
            }
        }
        serverLines.forEach(lines::set);

        int cookieLine = -1;
        int firstServer = -1;
        for (int i = start + 1; i < end; i++) {
            String word = firstWord(lines.get(i));
            if (word.equals("cookie") && cookieLine < 0) {
                cookieLine = i;
            } else if (word.equals("server") && firstServer < 0) {
                firstServer = i;
            }
        }
        String newLine = cookie == null ? null : cookieLine(cookie);
        if (cookieLine >= 0) {
            if (newLine == null) {
                lines.remove(cookieLine);
            } else if (!sameWords(lines.get(cookieLine), newLine)) {
                String old = lines.get(cookieLine);
                Matcher comment = COMMENT.matcher(old);
                String tail = comment.find() ? old.substring(comment.start()) : "";
                lines.set(cookieLine, indentOf(old) + newLine.strip() + tail);
            }
        } else if (newLine != null) {
            int at = firstServer >= 0 ? firstServer : lastContentLine(lines, start, end) + 1;
            String indent = firstServer >= 0 ? indentOf(lines.get(firstServer)) : INDENT;
            lines.add(at, indent + newLine.strip());
        }
        String result = String.join("\n", lines);
        verify(source, result, backend, cookie, serverCookies);
        return result;
    }

    /** The {@code cookie ...} line ConfigWriter writes for {@code spec} (without indentation). */
    public static String cookieLine(CookieSpec spec) {
        ProxySection only = ProxySectionBuilder.builder()
                .kind(ProxyKind.BACKEND)
                .name("edit")
                .binds(List.of())
                .settings(ProxySettings.NONE.withCookie(spec))
                .useBackends(List.of())
                .servers(List.of())
                .pos(SourcePos.UNKNOWN)
                .rules(List.of())
                .build();
        String written = ConfigWriter.write(new Config("edit", GlobalSection.EMPTY, List.of(only)));
        for (String line : written.split("\n")) {
            if (firstWord(line).equals("cookie")) {
                return line.strip();
            }
        }
        throw new IllegalStateException("ConfigWriter wrote no cookie line for " + spec);
    }

    private static void verify(String source, String result, String backend, CookieSpec cookie,
                               Map<String, String> serverCookies) {
        ParsedConfig reparsed = new ConfigParser().parse(source, result);
        ProxySection after = reparsed.config().backend(backend).orElseThrow(
                () -> new IllegalStateException("the edit lost backend " + backend));
        if (!Objects.equals(after.settings().cookie(), cookie)) {
            throw new IllegalStateException("the edited file means " + after.settings().cookie() + ", not " + cookie);
        }
        for (Map.Entry<String, String> e : serverCookies.entrySet()) {
            String v = after.server(e.getKey()).map(s -> s.options().cookie()).orElse(null);
            if (!Objects.equals(v == null ? "" : v, e.getValue())) {
                throw new IllegalStateException("the edited file gives " + e.getKey() + " cookie " + v);
            }
        }
    }

    private static String withServerCookie(String line, String value) {
        Matcher comment = COMMENT.matcher(line);
        String code = line;
        String tail = "";
        if (comment.find()) {
            code = line.substring(0, comment.start());
            tail = line.substring(comment.start());
        }
        Matcher m = SERVER_COOKIE.matcher(code);
        if (m.find()) {
            code = value.isEmpty() ? code.substring(0, m.start()) + code.substring(m.end())
                    : code.substring(0, m.start()) + m.group(1) + "cookie " + value + code.substring(m.end());
        } else if (!value.isEmpty()) {
            code = code.stripTrailing() + " cookie " + value;
        }
        return code + tail;
    }

    private static int sectionEnd(List<String> lines, int start) {
        for (int i = start + 1; i < lines.size(); i++) {
            String l = lines.get(i);
            if (!l.isEmpty() && !Character.isWhitespace(l.charAt(0)) && SECTION_KEYWORDS.contains(firstWord(l))) {
                return i;
            }
        }
        return lines.size();
    }

    private static int lastContentLine(List<String> lines, int start, int end) {
        int last = start;
        for (int i = start + 1; i < end; i++) {
            String t = lines.get(i).strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                last = i;
            }
        }
        return last;
    }

    private static boolean sameWords(String a, String b) {
        return List.of(COMMENT.matcher(a).replaceFirst("").strip().split("\\s+"))
                .equals(List.of(b.strip().split("\\s+")));
    }

    private static String firstWord(String line) {
        String t = line.strip();
        int sp = 0;
        while (sp < t.length() && !Character.isWhitespace(t.charAt(sp))) {
            sp++;
        }
        return t.substring(0, sp);
    }

    private static String indentOf(String line) {
        int i = 0;
        while (i < line.length() && Character.isWhitespace(line.charAt(i))) {
            i++;
        }
        return line.substring(0, i);
    }
}
