package io.roster.contracts.job;

import java.util.List;

/**
 * One user to invite, exactly as the caller sent it (nothing is trusted yet).
 *
 * @param rowNo       one-based row number in the submitted input, used in row-level errors
 * @param duplicateOf the earlier row of the same job with the same email (in normal form), or null; the
 *                    gateway sees the rows in order, the workers apply chunks in any order
 */
public record InviteRow(int rowNo, String email, String firstName, String lastName, String role, String location,
                        List<String> tags, Integer duplicateOf) {

    /** The longest email, in characters. */
    public static final int MAX_EMAIL = 254;
    /** The longest first or last name. */
    public static final int MAX_NAME = 100;
    /** The longest location. */
    public static final int MAX_LOCATION = 200;
    /** The most tags a user may have. */
    public static final int MAX_TAGS = 20;
    /** The longest tag. */
    public static final int MAX_TAG = 50;
    /** Longer than any role's name. */
    private static final int MAX_ROLE = 16;

    public InviteRow {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /**
     * This row with every field cut to one character over its limit (and at most one tag too many): what the
     * workers need to report it as too long, and no more. A row of any size then fits a job chunk; a 2 MB cell
     * becomes a row error, not a record the broker refuses. Returns this row when nothing is over.
     */
    public InviteRow clipped() {
        boolean over = over(email, MAX_EMAIL) || over(firstName, MAX_NAME) || over(lastName, MAX_NAME)
                || over(role, MAX_ROLE) || over(location, MAX_LOCATION) || tags.size() > MAX_TAGS + 1
                || tags.stream().anyMatch(t -> over(t, MAX_TAG));
        if (!over) {
            return this;
        }
        return new InviteRow(rowNo, clip(email, MAX_EMAIL), clip(firstName, MAX_NAME), clip(lastName, MAX_NAME),
                clip(role, MAX_ROLE), clip(location, MAX_LOCATION), tags.stream().limit(MAX_TAGS + 1)
                .map(t -> clip(t, MAX_TAG)).toList(), duplicateOf);
    }

    private static boolean over(String value, int max) {
        return value != null && value.length() > max + 1;
    }

    private static String clip(String value, int max) {
        return over(value, max) ? value.substring(0, max + 1) : value;
    }
}
