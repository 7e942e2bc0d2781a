package io.tidegate.stats;

/**
 * One row of {@code show stat}: a frontend (type 0), backend (1) or server (2), its proxy's id and
 * the server's id (0 for frontend and backend rows), and the field values by
 * {@link StatColumn} position ({@code ""} = empty, as HAProxy leaves a field that does not apply).
 */
public record StatRow(int type, int iid, int sid, String[] fields) {
    public static final int FRONTEND = 0, BACKEND = 1, SERVER = 2;

    public String field(int column) {
        return fields[column];
    }

    /** The CSV line as HAProxy prints it: every field followed by a comma. */
    public String csv() {
        StringBuilder sb = new StringBuilder(512);
        for (String f : fields) sb.append(csvField(f)).append(',');
        return sb.toString();
    }

    /** HAProxy writes a field with a comma or quote in double quotes, doubling inner quotes. */
    static String csvField(String f) {
        if (f.indexOf(',') < 0 && f.indexOf('"') < 0 && f.indexOf('\n') < 0) return f;
        return '"' + f.replace("\"", "\"\"").replace('\n', ' ') + '"';
    }
}
