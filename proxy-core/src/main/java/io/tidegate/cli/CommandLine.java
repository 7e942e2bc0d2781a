package io.tidegate.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a line of the runtime API the way HAProxy does: commands separated by {@code ;}, words by
 * spaces or tabs; a backslash makes the next character literal (so {@code \;} and {@code \ } stay in
 * a word).
 */
public final class CommandLine {
    private CommandLine() {
    }

    /** The commands of a line, each as its words; empty commands are dropped. */
    public static List<List<String>> split(String line) {
        List<List<String>> commands = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (c == ';') {
                if (inWord) words.add(word.toString());
                if (!words.isEmpty()) commands.add(List.copyOf(words));
                words.clear();
                word.setLength(0);
                inWord = false;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) words.add(word.toString());
        if (!words.isEmpty()) commands.add(List.copyOf(words));
        return commands;
    }
}
