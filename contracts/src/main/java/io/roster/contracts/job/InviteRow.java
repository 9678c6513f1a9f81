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
    public InviteRow {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
