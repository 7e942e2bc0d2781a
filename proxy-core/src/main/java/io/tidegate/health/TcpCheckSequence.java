package io.tidegate.health;

import io.tidegate.config.HostPort;
import io.tidegate.config.TcpCheckRule;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code tcp-check} rules of a section compiled once per load for {@code option tcp-check}: bytes
 * to send and to look for, regular expressions, statuses; an implicit connect first when the rules
 * do not start with one; each comment given to the rules that follow it, as HAProxy 2.6 does
 * (src/tcpcheck.c, check_proxy_tcpcheck). Immutable and shared by every run.
 */
final class TcpCheckSequence {

    /** One step, with HAProxy's step number (the position of its {@code tcp-check} line, 0 = implicit connect). */
    sealed interface Step permits Connect, Send, Expect {
        int id();

        String comment();
    }

    record Connect(int id, Integer port, HostPort addr, boolean sendProxy, String comment) implements Step {
        boolean implicit() {
            return id == 0;
        }
    }

    record Send(int id, byte[] data, String comment) implements Step {
    }

    /**
     * @param bytes the bytes looked for ({@code string}, {@code binary}), null for a regular expression
     * @param regex the compiled {@code rstring} / {@code rbinary}, null otherwise
     * @param head  the step evaluation restarts from when more data is needed: the first negated expect
     *              of the run of expects this one ends (HAProxy's {@code expect.head}), else itself
     */
    record Expect(int id, TcpCheckRule.Match match, boolean negated, byte[] bytes, Pattern regex, int minRecv,
                  String onSuccess, String onError, CheckStatus okStatus, CheckStatus errorStatus,
                  CheckStatus timeoutStatus, int code, String comment, int head) implements Step {
    }

    private final List<Step> steps;

    private TcpCheckSequence(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    List<Step> steps() {
        return steps;
    }

    /** Compiles {@code rules} (already validated by the parser). */
    static TcpCheckSequence of(List<TcpCheckRule> rules) {
        Objects.requireNonNull(rules, "rules");
        List<Step> steps = new ArrayList<>();
        boolean startsWithConnect = rules.stream().filter(r -> !(r instanceof TcpCheckRule.Comment)).findFirst()
                .map(r -> r instanceof TcpCheckRule.Connect).orElse(false);
        if (!startsWithConnect) {
            steps.add(new Connect(0, null, null, false, null));
        }
        String comment = null;
        Class<?> previous = TcpCheckRule.Comment.class;
        int lastExpectRunHead = -1;     // index in steps of the first negated expect of the current run
        for (int i = 0; i < rules.size(); i++) {
            TcpCheckRule r = rules.get(i);
            int id = i + 1;
            if (r.getClass() != previous && previous != TcpCheckRule.Comment.class) {
                comment = null;
            }
            previous = r.getClass();
            if (r instanceof TcpCheckRule.Comment c) {
                comment = c.comment();
                continue;
            }
            String own = r.comment() != null ? r.comment() : comment;
            if (r instanceof TcpCheckRule.Connect c) {
                steps.add(new Connect(id, c.port(), c.addr(), c.sendProxy(), own));
                comment = null;
                lastExpectRunHead = -1;
            } else if (r instanceof TcpCheckRule.Send s) {
                steps.add(new Send(id, s.bytes(), own));
                lastExpectRunHead = -1;
            } else if (r instanceof TcpCheckRule.Expect e) {
                int index = steps.size();
                int head = lastExpectRunHead >= 0 ? lastExpectRunHead : index;
                if (e.negated() && lastExpectRunHead < 0) {
                    lastExpectRunHead = index;
                }
                steps.add(expect(id, e, own, head));
            }
        }
        return new TcpCheckSequence(steps);
    }

    private static Expect expect(int id, TcpCheckRule.Expect e, String comment, int head) {
        byte[] bytes = switch (e.match()) {
            case STRING -> TcpCheckRule.textBytes(e.pattern());
            case BINARY -> TcpCheckRule.hexBytes(e.pattern());
            default -> null;
        };
        Pattern regex = e.match().isRegex() ? Pattern.compile(e.pattern()) : null;
        return new Expect(id, e.match(), e.negated(), bytes, regex, e.minRecv(), plain(e.onSuccess()),
                plain(e.onError()), status(e.okStatus(), CheckStatus.L7OK), status(e.errorStatus(), CheckStatus.L7RSP),
                status(e.toutStatus(), CheckStatus.L7TOUT), e.statusCode() == null ? 0 : e.statusCode(), comment,
                head);
    }

    private static String plain(String logFormatText) {
        return logFormatText == null ? null : logFormatText.replace("%%", "%");
    }

    private static CheckStatus status(String name, CheckStatus otherwise) {
        return name == null ? otherwise : CheckStatus.valueOf(name);
    }

    /** True when {@code data[0, length)} contains {@code pattern}. */
    static boolean contains(byte[] data, int length, byte[] pattern) {
        outer:
        for (int i = 0; i + pattern.length <= length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** True when {@code regex} finds a match in the bytes read as ISO-8859-1 text (no copy). */
    static boolean find(Pattern regex, byte[] data, int length) {
        return regex.matcher(new Latin1(data, 0, length)).find();
    }

    /**
     * True when {@code regex} finds a match in the bytes written as upper-case hex digits; as in
     * HAProxy, at most {@code maxHex} hex digits (the check buffer's size) are looked at.
     */
    static boolean findHex(Pattern regex, byte[] data, int length, int maxHex) {
        int n = Math.min(length, maxHex / 2);
        char[] hex = new char[n * 2];
        for (int i = 0; i < n; i++) {
            hex[2 * i] = HEX[(data[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX[data[i] & 0xf];
        }
        return regex.matcher(CharBuffer.wrap(hex)).find();
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** Bytes seen as Latin-1 characters. */
    private record Latin1(byte[] data, int from, int to) implements CharSequence {
        @Override
        public int length() {
            return to - from;
        }

        @Override
        public char charAt(int index) {
            return (char) (data[from + index] & 0xff);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Latin1(data, from + start, from + end);
        }

        @Override
        public String toString() {
            return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
        }
    }
}
