package io.tidegate.config;

import java.util.List;
import java.util.Objects;

/**
 * One ACL: {@code acl NAME FETCH[(ARGS)] [flags] [operator] VALUE...}, an anonymous {@code { ... }}
 * ACL of a condition, or one of HAProxy's predefined ACLs ({@code TRUE}, {@code LOCALHOST}, ...).
 * Derived fetch names ({@code path_beg}, {@code hdr_dom(host)}) are stored as their base fetch plus
 * the match method they imply, as HAProxy defines them.
 *
 * @param name       the ACL name; {@code null} for an anonymous ACL
 * @param fetch      the base sample fetch, e.g. {@code path}, {@code hdr}, {@code src}
 * @param fetchArgs  the arguments in parentheses ({@code hdr(host)} gives {@code [host]}), maybe empty
 * @param method     how values are matched
 * @param ignoreCase {@code -i}
 * @param patterns   the values (from the line and from {@code -f FILE}); for {@link AclMatch#INT} the
 *                   operator, if one was written, is folded in ({@code ge 10} = {@code 10:})
 * @param words      the words as written after the name, for {@link ConfigWriter}
 * @param converters the converters applied to the fetched value ({@code lower}, {@code upper}), in order
 */
public record AclDef(String name, String fetch, List<String> fetchArgs, AclMatch method, boolean ignoreCase,
                     List<String> patterns, List<String> words, SourcePos pos, List<String> converters) {

    public AclDef {
        Objects.requireNonNull(fetch, "fetch");
        Objects.requireNonNull(method, "method");
        fetchArgs = List.copyOf(fetchArgs);
        patterns = List.copyOf(patterns);
        words = List.copyOf(words);
        pos = SourcePos.orUnknown(pos);
        converters = converters == null ? List.of() : List.copyOf(converters);
    }

    /** Without converters. */
    public AclDef(String name, String fetch, List<String> fetchArgs, AclMatch method, boolean ignoreCase,
                  List<String> patterns, List<String> words, SourcePos pos) {
        this(name, fetch, fetchArgs, method, ignoreCase, patterns, words, pos, List.of());
    }

    /** The first fetch argument, or null. */
    public String arg() {
        return fetchArgs.isEmpty() ? null : fetchArgs.get(0);
    }
}
