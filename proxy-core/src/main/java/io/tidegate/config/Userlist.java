package io.tidegate.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code userlist} section: users with their password (a crypt(3) hash, or with
 * {@code insecure-password} the clear text) and groups. Membership is written either way, on the
 * group ({@code group G users a,b}) or on the user ({@code user a ... groups G}); both are kept as
 * written so that {@link ConfigWriter} writes the section back the same way.
 *
 * @param name   the name {@code http_auth(NAME)} and {@code http-request auth} refer to
 * @param groups the {@code group} lines in file order
 * @param users  the {@code user} lines in file order
 */
public record Userlist(String name, List<Group> groups, List<User> users, SourcePos pos) {

    public Userlist {
        Objects.requireNonNull(name, "name");
        groups = List.copyOf(groups);
        users = List.copyOf(users);
        pos = SourcePos.orUnknown(pos);
    }

    /** {@code group NAME [users U,...]}. */
    public record Group(String name, List<String> users) {
        public Group {
            Objects.requireNonNull(name, "name");
            users = List.copyOf(users);
        }
    }

    /**
     * {@code user NAME [password HASH | insecure-password TEXT] [groups G,...]}.
     *
     * @param password the hash or clear text; null = the user has no password and never authenticates
     * @param insecure true for {@code insecure-password} (clear text)
     */
    public record User(String name, String password, boolean insecure, List<String> groups) {
        public User {
            Objects.requireNonNull(name, "name");
            groups = List.copyOf(groups);
        }
    }

    public Optional<User> user(String userName) {
        return users.stream().filter(u -> u.name().equals(userName)).findFirst();
    }

    /** The groups {@code userName} belongs to, from both spellings of membership. */
    public Set<String> groupsOf(String userName) {
        Set<String> out = new LinkedHashSet<>();
        user(userName).ifPresent(u -> out.addAll(u.groups()));
        for (Group g : groups) {
            if (g.users().contains(userName)) out.add(g.name());
        }
        return out;
    }

    /** The group names, for messages. */
    public List<String> groupNames() {
        List<String> out = new ArrayList<>();
        for (Group g : groups) out.add(g.name());
        return out;
    }
}
