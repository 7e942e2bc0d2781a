package io.tidegate.config;

import java.util.regex.Pattern;

/** HAProxy's rule for proxy, server and cookie names: letters, digits, '-', '_', '.' and ':'. */
final class ConfigNames {

    static final String RULE = "only letters, digits, '-', '_', '.' and ':' are allowed";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]+");

    private ConfigNames() {
    }

    static boolean isValid(String name) {
        return NAME.matcher(name).matches();
    }
}
