package io.tidegate.engine;

/** The engine could not start (e.g. an address could not be bound); names the proxy and address. */
public final class EngineException extends Exception {
    private static final long serialVersionUID = 1L;

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }

    public EngineException(String message) {
        super(message);
    }
}
