package io.tidegate.engine.status;

/**
 * What a server's persistence cookie value brought recently: the clients that would be stranded if
 * the value or the cookie changed.
 *
 * @param sessions      client connections that carried the value (each counted once, at its first
 *                      request with it) during the window
 * @param requests      requests that carried the value during the window
 * @param windowMinutes the window: the current minute and this many whole minutes before it
 */
public record CookieHolders(long sessions, long requests, int windowMinutes) {

    /** A server without counts (no cookie value, or none seen yet). */
    public static final CookieHolders NONE = new CookieHolders(0, 0, 0);
}
