package io.tidegate.engine;

import static org.junit.jupiter.api.Assertions.*;

import io.tidegate.config.ConnectionMode;
import io.tidegate.config.CookieSpec;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link RuntimeBackend#byCookie} through {@link CookieIndex} gives what the linear rule gives: the
 * first server in configuration order whose cookie value equals the bytes exactly and that takes
 * cookie holders. Checked for backends of 1, 4 and 400 servers with random values, shared values,
 * servers without a value, an empty value and servers that do not take cookie holders, against the
 * values themselves and near misses (one byte changed, a prefix, one byte more, other case, equal
 * hash), read from heap and direct buffers at an offset.
 */
class CookieIndexTest {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";

    @Test
    void oneServer() {
        Random random = new Random(1);
        for (int round = 0; round < 50; round++) checkAgainstLinearRule(randomBackend(random, 1), random);
    }

    @Test
    void fourServers() {
        Random random = new Random(4);
        for (int round = 0; round < 50; round++) checkAgainstLinearRule(randomBackend(random, 4), random);
    }

    @Test
    void fourHundredServers() {
        Random random = new Random(400);
        for (int round = 0; round < 10; round++) checkAgainstLinearRule(randomBackend(random, 400), random);
    }

    @Test
    void sharedValueGoesToTheFirstServerThatTakesCookieHoldersInConfigurationOrder() {
        RuntimeBackend be = backend(Arrays.asList("A", null, "B", "A", "A"));
        RuntimeServer first = be.servers().get(0);
        RuntimeServer fourth = be.servers().get(3);
        RuntimeServer fifth = be.servers().get(4);
        assertSame(first, lookup(be, "A", false));
        first.setAdminState(AdminState.MAINT);
        assertSame(fourth, lookup(be, "A", false), "the next server with the value takes over");
        fourth.setUp(false);
        assertSame(fifth, lookup(be, "A", true));
        fifth.setAdminState(AdminState.MAINT);
        assertNull(lookup(be, "A", false), "no server with the value takes cookie holders");
        first.setAdminState(AdminState.READY);
        assertSame(first, lookup(be, "A", true));
        assertSame(be.servers().get(2), lookup(be, "B", false));
    }

    @Test
    void emptyValueIsAValueLikeAnyOther() {
        RuntimeBackend without = backend(Arrays.asList("x", null));
        assertNull(lookup(without, "", false), "no server has the empty value");
        RuntimeBackend with = backend(Arrays.asList("x", "", null));
        assertSame(with.servers().get(1), lookup(with, "", true));
        assertNull(lookup(with, "y", false));
    }

    @Test
    void valuesWithTheSameHashStayApart() {
        String[] pair = sameHashPair();
        assertEquals(CookieIndex.hash(ascii(pair[0])), CookieIndex.hash(ascii(pair[1])));
        RuntimeBackend be = backend(Arrays.asList(pair[0], "other", pair[1]));
        assertSame(be.servers().get(0), lookup(be, pair[0], false));
        assertSame(be.servers().get(2), lookup(be, pair[1], true));
        RuntimeBackend onlyOne = backend(Arrays.asList(pair[0]));
        assertNull(lookup(onlyOne, pair[1], false), "an equal hash alone is no match");
    }

    @Test
    void backendWithoutCookieValuesFindsNothing() {
        RuntimeBackend be = backend(Arrays.asList(null, null));
        assertNull(lookup(be, "", false));
        assertNull(lookup(be, "s0", true));
    }

    /** Two different short values with the same FNV-1a hash, found by sorting the hashes of v0, v1, ... */
    private static String[] sameHashPair() {
        int n = 1 << 20;
        long[] keyed = new long[n];
        for (int i = 0; i < n; i++) keyed[i] = ((long) CookieIndex.hash(ascii("v" + i)) << 32) | i;
        Arrays.sort(keyed);
        for (int i = 1; i < n; i++) {
            if ((keyed[i] >>> 32) == (keyed[i - 1] >>> 32)) {
                return new String[] {"v" + (int) keyed[i - 1], "v" + (int) keyed[i]};
            }
        }
        throw new AssertionError("no two of " + n + " values share a 32-bit hash");
    }

    /**
     * {@code count} servers with random values: some without one, some sharing another's value, one
     * in ten in maintenance and one in ten down, so that shared values need the first usable holder.
     */
    private static RuntimeBackend randomBackend(Random random, int count) {
        List<String> cookies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(10);
            if (kind == 0) cookies.add(null);
            else if (kind == 1 && !cookies.isEmpty()) cookies.add(cookies.get(random.nextInt(cookies.size())));
            else if (kind == 2) cookies.add("");
            else cookies.add(randomValue(random, 1 + random.nextInt(12)));
        }
        RuntimeBackend be = backend(cookies);
        for (RuntimeServer s : be.servers()) {
            int state = random.nextInt(10);
            if (state == 0) s.setAdminState(AdminState.MAINT);
            else if (state == 1) s.setUp(false);
        }
        return be;
    }

    private static void checkAgainstLinearRule(RuntimeBackend be, Random random) {
        List<String> probes = new ArrayList<>();
        probes.add("");
        for (RuntimeServer s : be.servers()) {
            if (s.cookieBytes() == null) continue;
            String v = new String(s.cookieBytes(), StandardCharsets.ISO_8859_1);
            probes.add(v);
            probes.add(v + randomValue(random, 1));
            if (!v.isEmpty()) {
                probes.add(v.substring(0, v.length() - 1));
                int at = random.nextInt(v.length());
                char other = ALPHABET.charAt(random.nextInt(ALPHABET.length()));
                if (other == v.charAt(at)) other = other == 'a' ? 'b' : 'a';
                probes.add(v.substring(0, at) + other + v.substring(at + 1));
                probes.add(v.toUpperCase());
                probes.add(v.toLowerCase());
            }
        }
        for (int i = 0; i < 200; i++) probes.add(randomValue(random, random.nextInt(14)));
        for (String probe : probes) {
            boolean direct = random.nextBoolean();
            assertSame(linearRule(be, probe), lookup(be, probe, direct), () -> "cookie value '" + probe + "'");
        }
    }

    /** The rule byCookie kept before it had an index: a scan of every server in configuration order. */
    private static RuntimeServer linearRule(RuntimeBackend be, String value) {
        byte[] wanted = ascii(value);
        for (RuntimeServer s : be.servers()) {
            if (s.cookieBytes() != null && Arrays.equals(s.cookieBytes(), wanted) && s.acceptsCookieHolders()) return s;
        }
        return null;
    }

    /** byCookie over {@code value} placed between other bytes of a heap or direct buffer. */
    private static RuntimeServer lookup(RuntimeBackend be, String value, boolean direct) {
        byte[] bytes = ascii("SERVERID=" + value + "; x=c0");
        ByteBuffer in = direct ? ByteBuffer.allocateDirect(bytes.length) : ByteBuffer.allocate(bytes.length);
        in.put(bytes).flip();
        int from = "SERVERID=".length();
        return be.byCookie(in, from, from + value.length());
    }

    private static String randomValue(Random random, int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        return b.toString();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static RuntimeBackend backend(List<String> cookies) {
        List<EnginePlan.Server> list = new ArrayList<>();
        for (int i = 0; i < cookies.size(); i++) {
            list.add(EnginePlanServerBuilder.builder()
                    .name("s" + i)
                    .address(new InetSocketAddress("127.0.0.1", 10_000 + i))
                    .weight(1)
                    .cookie(cookies.get(i))
                    .build());
        }
        return new RuntimeBackend(EnginePlanBackendBuilder.builder()
                .name("bk")
                .balance("roundrobin")
                .servers(list)
                .cookie(CookieSpec.insert("SERVERID", true, false))
                .retries(3)
                .connectionMode(ConnectionMode.KEEP_ALIVE)
                .timeouts(ProxyFixture.TIMEOUTS)
                .build(), 1);
    }
}
