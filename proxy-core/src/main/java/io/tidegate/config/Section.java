package io.tidegate.config;

/** A section of the file that holds proxy settings: {@code defaults}, or a proxy. Kept in file order. */
public sealed interface Section permits DefaultsSection, ProxySection {

    /** The settings written in this section. */
    ProxySettings settings();

    /** Where the section header was written. */
    SourcePos pos();
}
