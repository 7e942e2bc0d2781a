package io.tidegate.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One {@code tcp-check} line of a section (HAProxy 2.6): the steps that {@code option tcp-check} runs
 * on every check, in the order written. A {@link Comment} line is kept in the list so that a rule's
 * position in the list is HAProxy's step number (every {@code tcp-check} line counts, from 1).
 * Rules hold what was written, so equal configurations compare equal; the health package compiles
 * them (bytes, regular expressions) once per load.
 */
public sealed interface TcpCheckRule {

    /** The {@code comment <msg>} of this rule, null when none. */
    String comment();

    /** {@code tcp-check comment <text>}: names the following rules in check reasons. */
    record Comment(String comment) implements TcpCheckRule {
        public Comment {
            Objects.requireNonNull(comment, "comment");
        }
    }

    /**
     * {@code tcp-check connect [default] [port N] [addr A] [send-proxy] [linger] [comment M]}.
     *
     * @param port       null = the check's port (server {@code port}, else the server's)
     * @param addr       {@code addr IP[:PORT]}, null = the check's address (its port, when written, is used
     *                   when {@code port} is not)
     * @param sendProxy  a PROXY protocol v1 line opens the connection
     * @param linger     written for HAProxy's clean close; Tidegate always closes checks with a FIN
     * @param useDefault {@code default}: the server line's check options (Tidegate has none to add)
     */
    record Connect(Integer port, HostPort addr, boolean sendProxy, boolean linger, boolean useDefault,
                   String comment) implements TcpCheckRule {
    }

    /**
     * {@code tcp-check send <data>}, {@code send-lf <text>} (plain text only) or {@code send-binary <hex>}.
     *
     * @param data   the word as written (escapes already applied), or the hex digits of send-binary
     * @param binary {@code send-binary}
     * @param logFormat {@code send-lf} (accepted only without log-format tags, so it sends its text)
     */
    record Send(String data, boolean binary, boolean logFormat, String comment) implements TcpCheckRule {
        public Send {
            Objects.requireNonNull(data, "data");
        }

        /** The bytes sent. */
        public byte[] bytes() {
            return binary ? hexBytes(data) : textBytes(logFormat ? data.replace("%%", "%") : data);
        }
    }

    /** How {@code tcp-check expect} looks at the received bytes. */
    enum Match {
        /** The bytes contain the text. */
        STRING("string"),
        /** A regular expression finds a match in the bytes (read as ISO-8859-1 text). */
        RSTRING("rstring"),
        /** The bytes contain the bytes the hex digits spell. */
        BINARY("binary"),
        /** A regular expression finds a match in the bytes written as upper-case hex digits. */
        RBINARY("rbinary");

        private final String keyword;

        Match(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }

        public boolean isRegex() {
            return this == RSTRING || this == RBINARY;
        }
    }

    /**
     * {@code tcp-check expect [min-recv N] [ok-status S] [error-status S] [tout-status S] [on-success T]
     * [on-error T] [status-code int(N)] [comment M] [!] MATCH PATTERN}.
     *
     * @param minRecv     -1 = not written (wait for more data while nothing matches)
     * @param onSuccess   the reason text when this last rule passes, null = HAProxy's "(tcp-check)"
     * @param onError     the reason text when this rule fails, null = HAProxy's "TCPCHK did not match ..."
     * @param okStatus    L7OK, L7OKC, L6OK or L4OK; null = L7OK
     * @param errorStatus L7RSP, L7STS, L7OKC, L6RSP or L4CON; null = L7RSP
     * @param toutStatus  L7TOUT, L6TOUT or L4TOUT; null = L7TOUT
     * @param statusCode  the check code reported ({@code status-code int(N)}), null = none
     */
    record Expect(boolean negated, Match match, String pattern, int minRecv, String onSuccess, String onError,
                  String okStatus, String errorStatus, String toutStatus, Integer statusCode, String comment)
            implements TcpCheckRule {
        public Expect {
            Objects.requireNonNull(match, "match");
            Objects.requireNonNull(pattern, "pattern");
        }
    }

    /**
     * The bytes a configuration word stands for: characters below 256 (the {@code \xHH} escapes and
     * Latin-1 text) are one byte each, others are written in UTF-8.
     */
    static byte[] textBytes(String text) {
        if (text.chars().allMatch(c -> c < 256)) {
            return text.getBytes(StandardCharsets.ISO_8859_1);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp < 256) {
                out.write(cp);
            } else {
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
            }
            i += Character.charCount(cp);
        }
        return out.toByteArray();
    }

    /**
     * The bytes of an even number of hex digits (either case).
     *
     * @throws IllegalArgumentException saying what is wrong, as HAProxy's parser does
     */
    static byte[] hexBytes(String hex) {
        if (hex.isEmpty() || hex.length() % 2 != 0) {
            throw new IllegalArgumentException("invalid binary string '" + hex
                    + "': an even number of hex digits is expected");
        }
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < hex.length(); i++) {
            int d = Character.digit(hex.charAt(i), 16);
            if (d < 0) {
                throw new IllegalArgumentException("invalid binary string '" + hex + "': a hex digit is expected"
                        + " (found '" + hex.charAt(i) + "' at position " + (i + 1) + ")");
            }
            b[i / 2] = (byte) (i % 2 == 0 ? d << 4 : b[i / 2] | d);
        }
        return b;
    }
}
