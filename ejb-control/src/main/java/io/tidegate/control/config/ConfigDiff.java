package io.tidegate.control.config;

import java.util.Arrays;
import java.util.List;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;

/** The unified diff (as {@code diff -u} prints it) between two configuration texts, by java-diff-utils. */
public final class ConfigDiff {

    private ConfigDiff() {
    }

    /** The diff lines, empty when both texts are equal. */
    public static List<String> unified(String beforeName, String before, String afterName, String after) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        Patch<String> patch = DiffUtils.diff(a, b);
        if (patch.getDeltas().isEmpty()) {
            return List.of();
        }
        return UnifiedDiffUtils.generateUnifiedDiff(beforeName, afterName, a, patch, 3);
    }

    private static List<String> lines(String text) {
        if (text.isEmpty()) {
            return List.of();
        }
        return Arrays.asList(text.split("\r?\n", -1));
    }
}
