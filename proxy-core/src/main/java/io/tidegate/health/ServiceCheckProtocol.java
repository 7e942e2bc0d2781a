package io.tidegate.health;

import io.tidegate.config.HealthCheck;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The service checks of HAProxy's {@code option redis-check | pgsql-check | mysql-check | smtpchk |
 * ldap-check}: one request (or none: the server speaks first) and a verdict on the first answer.
 * <ul>
 *   <li>redis: {@code PING}, expects {@code +PONG};</li>
 *   <li>pgsql: a StartupMessage for the user, expects an authentication request ({@code R});</li>
 *   <li>mysql: expects the server's greeting (protocol 10); Tidegate does not log in, also with
 *       {@code user}, and sends nothing;</li>
 *   <li>smtp: expects a {@code 2xx} banner (Tidegate does not send HELO/EHLO);</li>
 *   <li>ldap: an anonymous simple bind, expects a BindResponse with result 0.</li>
 * </ul>
 */
final class ServiceCheckProtocol implements CheckProtocol {

    /** HAProxy's redis check: "*1\r\n$4\r\nPING\r\n". */
    private static final byte[] REDIS_PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
    /** An anonymous LDAPv3 simple bind request, message id 1. */
    private static final byte[] LDAP_BIND = {0x30, 0x0c, 0x02, 0x01, 0x01, 0x60, 0x07, 0x02, 0x01, 0x03, 0x04, 0x00,
            (byte) 0x80, 0x00};

    private final HealthCheck check;
    private final byte[] request;

    ServiceCheckProtocol(HealthCheck check) {
        this.check = check;
        this.request = switch (check.kind()) {
            case REDIS -> REDIS_PING;
            case PGSQL -> pgsqlStartup(check.arguments().get(1));
            case LDAP -> LDAP_BIND;
            default -> new byte[0];      // mysql, smtp: the server speaks first
        };
    }

    /** StartupMessage: length, protocol 3.0, "user" NAME, empty string. */
    static byte[] pgsqlStartup(String user) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        byte[] u = user.getBytes(StandardCharsets.UTF_8);
        body.writeBytes(new byte[] {0, 3, 0, 0});
        body.writeBytes("user".getBytes(StandardCharsets.US_ASCII));
        body.write(0);
        body.writeBytes(u);
        body.write(0);
        body.write(0);
        byte[] b = body.toByteArray();
        ByteBuffer out = ByteBuffer.allocate(b.length + 4);
        out.putInt(b.length + 4).put(b);
        return out.array();
    }

    @Override
    public ByteBuffer request() {
        return ByteBuffer.wrap(request);
    }

    @Override
    public CheckResult judge(ByteBuffer r, boolean endOfInput) {
        int n = r.limit();
        switch (check.kind()) {
            case REDIS -> {
                int eol = lineEnd(r);
                if (eol < 0) return endOfInput ? CheckResult.of(CheckStatus.L7RSP, "no complete answer") : null;
                String line = ascii(r, 0, eol);
                return line.equals("+PONG") ? CheckResult.of(CheckStatus.L7OK, line)
                        : CheckResult.of(CheckStatus.L7STS, line);
            }
            case PGSQL -> {
                if (n < 1) return endOfInput ? CheckResult.of(CheckStatus.L7RSP, "no answer") : null;
                byte t = r.get(0);
                return t == 'R' ? CheckResult.of(CheckStatus.L7OK, "PostgreSQL server is ok")
                        : t == 'E' ? CheckResult.of(CheckStatus.L7STS, "PostgreSQL error")
                        : CheckResult.of(CheckStatus.L7RSP, "not a PostgreSQL answer");
            }
            case MYSQL -> {
                if (n < 5) return endOfInput ? CheckResult.of(CheckStatus.L7RSP, "no greeting") : null;
                int v = r.get(4) & 0xff;
                return v == 10 ? CheckResult.of(CheckStatus.L7OK, "MySQL greeting")
                        : v == 0xff ? CheckResult.of(CheckStatus.L7STS, "MySQL error packet")
                        : CheckResult.of(CheckStatus.L7RSP, "not a MySQL greeting");
            }
            case SMTP -> {
                int eol = lineEnd(r);
                if (eol < 0) return endOfInput ? CheckResult.of(CheckStatus.L7RSP, "no banner") : null;
                String line = ascii(r, 0, eol);
                return line.startsWith("2") ? CheckResult.of(CheckStatus.L7OK, line)
                        : CheckResult.of(CheckStatus.L7STS, line);
            }
            default -> {     // LDAP
                if (n < 2) return endOfInput ? CheckResult.of(CheckStatus.L7RSP, "no answer") : null;
                if ((r.get(0) & 0xff) != 0x30) return CheckResult.of(CheckStatus.L7RSP, "not an LDAP message");
                for (int i = 1; i + 4 < n; i++) {
                    if ((r.get(i) & 0xff) == 0x61) {       // BindResponse
                        for (int j = i + 1; j + 2 < n; j++) {
                            if (r.get(j) == 0x0a && r.get(j + 1) == 0x01) {
                                int code = r.get(j + 2) & 0xff;
                                return code == 0 ? CheckResult.of(CheckStatus.L7OK, "LDAP bind ok")
                                        : CheckResult.of(CheckStatus.L7STS, "LDAP result " + code);
                            }
                        }
                    }
                }
                return endOfInput ? CheckResult.of(CheckStatus.L7RSP, "no BindResponse") : null;
            }
        }
    }

    private static int lineEnd(ByteBuffer r) {
        for (int i = 0; i + 1 < r.limit(); i++) if (r.get(i) == '\r' && r.get(i + 1) == '\n') return i;
        return -1;
    }

    private static String ascii(ByteBuffer r, int from, int to) {
        byte[] b = new byte[to - from];
        for (int i = from; i < to; i++) b[i - from] = r.get(i);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Override
    public CheckStatus timeoutStatus() {
        return CheckStatus.L7TOUT;
    }
}
