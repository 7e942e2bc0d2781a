package io.tidegate.config;

/** One word of a configuration line after quoting and escapes were applied, with where it started. */
record Word(String text, SourcePos pos) {

    @Override
    public String toString() {
        return text;
    }
}
