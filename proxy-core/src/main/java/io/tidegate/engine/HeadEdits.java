package io.tidegate.engine;

import io.tidegate.http.MessageHead;
import java.nio.ByteBuffer;

/**
 * The changes rules make to one forwarded head, applied by {@link HeadWriter} while it copies the
 * received head: a replaced start line, replaced or deleted header lines (by index in the parsed
 * head), and lines added before the empty line. Lines are complete ({@code Name: value\r\n}); rules
 * with constant values pass lines built once at load time, so an edit allocates nothing.
 */
final class HeadEdits {
    static final byte[] DELETED = new byte[0];
    private static final int MAX_ADDED = 64;

    private final byte[][] replaced = new byte[MessageHead.MAX_HEADERS][];
    private final int[] touched = new int[MessageHead.MAX_HEADERS];
    private int touchedCount;
    private final byte[][] added = new byte[MAX_ADDED][];
    /** Lower-case names of the added lines, so that a later del-header/set-header removes them too. */
    private final byte[][] addedNames = new byte[MAX_ADDED][];
    private int addedCount;
    private byte[] startLine;
    private boolean any;

    void clear() {
        if (!any) return;
        for (int i = 0; i < touchedCount; i++) replaced[touched[i]] = null;
        touchedCount = 0;
        for (int i = 0; i < addedCount; i++) {
            added[i] = null;
            addedNames[i] = null;
        }
        addedCount = 0;
        startLine = null;
        any = false;
    }

    boolean isEmpty() {
        return !any;
    }

    /** Header line {@code i} becomes {@code line} ({@link #DELETED} = dropped). */
    void replace(int i, byte[] line) {
        if (replaced[i] == null) touched[touchedCount++] = i;
        replaced[i] = line;
        any = true;
    }

    /** What replaces header line {@code i}, or null when it goes out as received. */
    byte[] line(int i) {
        return replaced[i];
    }

    /** Whether an edit already replaced or deleted header line {@code i}. */
    boolean isReplaced(int i) {
        return replaced[i] != null;
    }

    void add(byte[] lowerName, byte[] line) {
        if (addedCount == MAX_ADDED) throw new IllegalStateException("more than " + MAX_ADDED + " added header lines");
        addedNames[addedCount] = lowerName;
        added[addedCount++] = line;
        any = true;
    }

    /** Removes the lines added so far under this name. */
    void removeAdded(byte[] lowerName) {
        int n = 0;
        for (int i = 0; i < addedCount; i++) {
            if (addedNames[i] != null && java.util.Arrays.equals(addedNames[i], lowerName)) continue;
            addedNames[n] = addedNames[i];
            added[n++] = added[i];
        }
        for (int i = n; i < addedCount; i++) {
            added[i] = null;
            addedNames[i] = null;
        }
        addedCount = n;
    }

    void startLine(byte[] line) {
        startLine = line;
        any = true;
    }

    byte[] startLine() {
        return startLine;
    }

    void writeAdded(ByteBuffer out) {
        for (int i = 0; i < addedCount; i++) out.put(added[i]);
    }
}
