package io.tidegate.config;

/**
 * One word of a configuration line after quoting and escapes were applied, with where it started.
 * {@code columns}, when known, holds the source column of each character of {@code text} (quotes and
 * escapes make them differ from {@code pos.column() + index}), so a problem inside a word, e.g. in a
 * log-format string, can be reported at its own column.
 */
record Word(String text, SourcePos pos, int[] columns) {

    Word(String text, SourcePos pos) {
        this(text, pos, null);
    }

    /** Where the character at {@code index} of the text was written. */
    SourcePos at(int index) {
        if (columns == null || index < 0 || index >= columns.length) return pos;
        return new SourcePos(pos.source(), pos.line(), columns[index]);
    }

    /** This word, placed at the character {@code index} (for an error about that part of it). */
    Word pointingAt(int index) {
        return new Word(text, at(index), columns);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Word w && text.equals(w.text) && pos.equals(w.pos);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
