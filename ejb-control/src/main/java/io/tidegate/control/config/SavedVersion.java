package io.tidegate.control.config;

import java.time.Instant;

/**
 * A configuration kept by {@link ConfigStore} when it was replaced or written.
 *
 * @param id      its file name in the versions directory ({@code 000003-1a2b3c4d5e6f7a8b.cfg})
 * @param number  the sequence number (1 = the oldest kept)
 * @param stamp   the version stamp of its text
 * @param savedAt when it was kept
 */
public record SavedVersion(String id, int number, String stamp, Instant savedAt) {
}
