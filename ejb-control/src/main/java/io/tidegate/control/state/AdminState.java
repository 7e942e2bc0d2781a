package io.tidegate.control.state;

/**
 * An operator's administrative state of a server, with the meanings of HAProxy's runtime API:
 * {@code READY} takes traffic; {@code DRAIN} takes no new sessions but persistent clients and
 * health checks continue; {@code MAINT} takes nothing.
 */
public enum AdminState {
    READY, DRAIN, MAINT
}
