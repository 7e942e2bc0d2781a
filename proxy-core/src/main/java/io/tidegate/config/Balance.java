package io.tidegate.config;

import java.util.List;
import java.util.Objects;

/**
 * {@code balance ALGORITHM[(PARAMETER)] [ARGUMENTS...]}.
 *
 * @param algorithm the algorithm
 * @param parameter the parenthesised parameter of {@code hdr(NAME)} / {@code rdp-cookie(NAME)}, else {@code null}
 * @param arguments the words that follow, as written (e.g. {@code url_param userid check_post})
 */
public record Balance(BalanceAlgorithm algorithm, String parameter, List<String> arguments) {

    public static final Balance ROUNDROBIN = new Balance(BalanceAlgorithm.ROUNDROBIN, null, List.of());

    public Balance {
        Objects.requireNonNull(algorithm, "algorithm");
        arguments = List.copyOf(arguments);
    }

    public static Balance of(BalanceAlgorithm algorithm) {
        return new Balance(algorithm, null, List.of());
    }
}
