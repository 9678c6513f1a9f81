package io.roster.contracts.job;

import java.util.List;

/**
 * One user to invite, exactly as the caller sent it (nothing is trusted yet).
 *
 * @param rowNo one-based row number in the submitted input, used in row-level errors
 */
public record InviteRow(int rowNo, String email, String firstName, String lastName, String role, String location,
                        List<String> tags) {
    public InviteRow {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
