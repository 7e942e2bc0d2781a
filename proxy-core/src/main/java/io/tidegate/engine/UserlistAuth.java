package io.tidegate.engine;

import io.tidegate.config.Userlist;
import io.tidegate.http.MessageHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.codec.digest.Crypt;

/**
 * A {@code userlist} at run time: checks the Basic credentials of a request against it. Hashed
 * passwords are verified with crypt(3) (commons-codec's {@link Crypt}: $1$, $5$, $6$ and DES), which
 * is slow by design, so the pairs already verified are remembered: at most {@link #CACHE_SIZE}
 * entries, least recently used first out, each keyed by a SHA-256 of a per-list random salt and the
 * credentials, never by the clear password. Only successes are remembered: a wrong password costs
 * its crypt every time, as in HAProxy. Shared by the IO threads (the cache is synchronized).
 */
final class UserlistAuth {
    /** How many verified (user, password) pairs one list remembers. */
    static final int CACHE_SIZE = 1024;
    private static final byte[] AUTHORIZATION = {'a', 'u', 't', 'h', 'o', 'r', 'i', 'z', 'a', 't', 'i', 'o', 'n'};
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Userlist list;
    private final Map<String, Userlist.User> users = new HashMap<>();
    private final Map<String, Set<String>> groups = new HashMap<>();
    /** The group names of each user, as bytes for the ACL matchers. */
    private final Map<String, ByteBuffer[]> groupBytes = new HashMap<>();
    private final byte[] salt = new byte[16];
    private final Map<ByteBuffer, Boolean> verified = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, Boolean> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    UserlistAuth(Userlist list) {
        this.list = list;
        for (Userlist.User u : list.users()) {
            users.put(u.name(), u);
            groups.put(u.name(), Set.copyOf(list.groupsOf(u.name())));
            groupBytes.put(u.name(), list.groupsOf(u.name()).stream()
                    .map(g -> ByteBuffer.wrap(g.getBytes(StandardCharsets.UTF_8))).toArray(ByteBuffer[]::new));
        }
        RANDOM.nextBytes(salt);
    }

    String name() {
        return list.name();
    }

    /** The groups of {@code user} (empty for an unknown user). */
    Set<String> groupsOf(String user) {
        return groups.getOrDefault(user, Set.of());
    }

    /** The group names of {@code user} as bytes (read-only use: position 0, limit = capacity). */
    ByteBuffer[] groupBytesOf(String user) {
        return groupBytes.getOrDefault(user, new ByteBuffer[0]);
    }

    /**
     * The user named by the request's {@code Authorization: Basic} credentials when they are valid
     * for this list, else null. Remembered in {@code x} for the rest of the exchange.
     */
    String authenticatedUser(ExchangeFacts x) {
        if (x.req == null) return null;
        if (x.authChecked == this) return x.authUser;
        String user = authenticatedUser(x.req);
        x.authChecked = this;
        x.authUser = user;
        return user;
    }

    String authenticatedUser(MessageHead req) {
        int h = req.find(AUTHORIZATION);
        if (h < 0) return null;
        String value = req.value(h).strip();
        if (value.length() < 6 || !value.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = -1;
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon < 0) return null;
        String user = new String(decoded, 0, colon, StandardCharsets.UTF_8);
        byte[] password = java.util.Arrays.copyOfRange(decoded, colon + 1, decoded.length);
        return verify(user, password) ? user : null;
    }

    /** Whether {@code password} is the password of {@code user} in this list. */
    boolean verify(String user, byte[] password) {
        Userlist.User u = users.get(user);
        if (u == null || u.password() == null) return false;
        byte[] expected = u.password().getBytes(StandardCharsets.UTF_8);
        if (u.insecure()) return MessageDigest.isEqual(expected, password);
        ByteBuffer key = ByteBuffer.wrap(cacheKey(user, password));
        synchronized (verified) {
            if (verified.get(key) != null) return true;
        }
        boolean ok;
        try {
            ok = MessageDigest.isEqual(expected, Crypt.crypt(password, u.password()).getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            ok = false;
        }
        if (ok) {
            synchronized (verified) {
                verified.put(key, Boolean.TRUE);
            }
        }
        return ok;
    }

    /** How many verified pairs are remembered (for tests). */
    int cachedPairs() {
        synchronized (verified) {
            return verified.size();
        }
    }

    private byte[] cacheKey(String user, byte[] password) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(salt);
            byte[] u = user.getBytes(StandardCharsets.UTF_8);
            d.update(ByteBuffer.allocate(4).putInt(u.length).array());
            d.update(u);
            d.update(password);
            return d.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
