package io.tidegate.config;

import java.util.List;

/** The words of one non-empty configuration line (comments removed). The first word is the keyword. */
record ConfigLine(List<Word> words) {

    ConfigLine {
        words = List.copyOf(words);
        if (words.isEmpty()) {
            throw new IllegalArgumentException("a line has at least one word");
        }
    }

    Word keyword() {
        return words.get(0);
    }

    SourcePos pos() {
        return words.get(0).pos();
    }

    int size() {
        return words.size();
    }

    Word word(int index) {
        return words.get(index);
    }

    String text(int index) {
        return words.get(index).text();
    }

    /** The words from {@code from} on. */
    List<Word> from(int from) {
        return words.subList(Math.min(from, words.size()), words.size());
    }
}
