package io.tidegate.control.config;

/**
 * The configuration file's text and its version stamp (a hash of the text): a save must name the
 * stamp it started from, so an edit based on a file someone else changed meanwhile is refused.
 */
public record ConfigVersion(String text, String stamp) {
}
