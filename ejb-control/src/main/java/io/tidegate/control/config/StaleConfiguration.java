package io.tidegate.control.config;

/** A save based on a version of the configuration that is no longer the file's (someone saved meanwhile). */
public class StaleConfiguration extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StaleConfiguration(String expected, String actual) {
        super("The configuration changed since you opened it (your version " + expected + ", the file's "
                + actual + "); nothing was saved. Reload the page to edit the current file.");
    }
}
