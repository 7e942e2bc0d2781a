package io.tidegate.config;

import java.util.Collections;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A setting written as a keyword with one value ({@link ProxyCount}, {@link TimeoutKind}), held in one
 * component of an immutable holder {@code H} ({@link ProxySettings}, {@link Timeouts}). Each such enum
 * constant carries its {@link Declaration}; the keyword lookup and the reading and setting of the
 * value are written once, here.
 *
 * @param <H> the holder of the value
 * @param <V> the value's type
 */
public interface ValuedSetting<H, V> {

    /**
     * The keyword, the sections it may be written in (HAProxy's "may be used in sections"), and the
     * component of the holder that holds its value, with the holder's copy-with for it.
     */
    record Declaration<H, V>(String keyword, Set<SectionType> sections, Function<H, V> component,
                             BiFunction<H, V, H> wither) {
        public Declaration {
            sections = Collections.unmodifiableSet(sections);
        }
    }

    Declaration<H, V> declaration();

    /** The keyword the setting is written with. */
    default String keyword() {
        return declaration().keyword();
    }

    /** The sections it may be written in (HAProxy's "may be used in sections"). */
    default Set<SectionType> sections() {
        return declaration().sections();
    }

    /** The value in {@code holder}, {@code null} when not written (or not layered in). */
    default V in(H holder) {
        return declaration().component().apply(holder);
    }

    /** {@code holder} with this setting set to {@code value}. */
    default H set(H holder, V value) {
        return declaration().wither().apply(holder, value);
    }

    /** The one of {@code all} written with {@code keyword}, or empty when none is. */
    static <S extends ValuedSetting<?, ?>> Optional<S> byKeyword(S[] all, String keyword) {
        for (S s : all) {
            if (s.keyword().equals(keyword)) return Optional.of(s);
        }
        return Optional.empty();
    }
}
