package io.roster.operations;

import io.roster.contracts.job.InviteRow;
import io.roster.contracts.text.Text;
import io.roster.contracts.user.Emails;
import io.roster.contracts.user.Role;
import io.roster.persistence.Jobs.RowError;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks one invite row on its own (no database): email syntax, names, role, location and tags. The first
 * problem of each field is reported; a row with any problem is not applied.
 *
 * <p>Rules: email required, at most 254 characters, one {@code @}, a dotted domain; first name required, first
 * and last name at most 100 characters; role one of Admin, Staff, User in any case (User when absent); location
 * at most 200 characters; at most 20 tags of 1 to 50 letters, digits, space, {@code _ - : .}; no field may hold
 * NUL, a control character, a line break or a bidirectional override ({@code invalid_characters}, see
 * {@link Text}).
 */
public final class InviteRowValidator {

    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    /** The most tags a user may have. */
    public static final int MAX_TAGS = InviteRow.MAX_TAGS;

    private static final Pattern TAG = Pattern.compile("^" + TagName.PATTERN + "$");

    /**
     * A row that passed: normalized values ready to store.
     *
     * @param roleGiven whether the row named the role ({@code role} is User when it did not)
     */
    public record ValidRow(int rowNo, String email, String firstName, String lastName, Role role, String location,
                           List<String> tags, boolean roleGiven) {
    }

    /** Either a valid row or its errors. */
    public record Result(ValidRow row, List<RowError> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    public Result validate(InviteRow row) {
        List<RowError> errors = new ArrayList<>();
        unprintable(row.rowNo(), "email", row.email(), errors);
        unprintable(row.rowNo(), "firstName", row.firstName(), errors);
        unprintable(row.rowNo(), "lastName", row.lastName(), errors);
        unprintable(row.rowNo(), "role", row.role(), errors);
        unprintable(row.rowNo(), "location", row.location(), errors);
        for (String tag : row.tags()) {
            if (unprintable(row.rowNo(), "tags", tag, errors)) {
                break;
            }
        }
        if (!errors.isEmpty()) {
            // nothing of such a row is read further: its values are not even quoted back
            return new Result(null, errors);
        }
        String email = Emails.normalize(row.email());
        if (email == null) {
            errors.add(new RowError(row.rowNo(), "email", "required", "email is required"));
        } else if (email.length() > InviteRow.MAX_EMAIL || !EMAIL.matcher(email).matches()) {
            errors.add(new RowError(row.rowNo(), "email", "invalid_email", "'" + abbreviate(email) + "' is not a valid email address"));
        }
        String firstName = trim(row.firstName());
        if (firstName == null) {
            errors.add(new RowError(row.rowNo(), "firstName", "required", "firstName is required"));
        } else if (firstName.length() > InviteRow.MAX_NAME) {
            errors.add(new RowError(row.rowNo(), "firstName", "too_long", "firstName is longer than 100 characters"));
        }
        String lastName = trim(row.lastName());
        if (lastName != null && lastName.length() > InviteRow.MAX_NAME) {
            errors.add(new RowError(row.rowNo(), "lastName", "too_long", "lastName is longer than 100 characters"));
        }
        Role role = Role.User;
        String roleText = trim(row.role());
        if (roleText != null) {
            role = Role.parse(roleText);
            if (role == null) {
                errors.add(new RowError(row.rowNo(), "role", "invalid_role",
                        "role '" + abbreviate(roleText) + "' is not one of Admin, Staff, User"));
            }
        }
        String location = trim(row.location());
        if (location != null && location.length() > InviteRow.MAX_LOCATION) {
            errors.add(new RowError(row.rowNo(), "location", "too_long", "location is longer than 200 characters"));
        }
        List<String> tags = new ArrayList<>();
        for (String tag : row.tags()) {
            String t = trim(tag);
            if (t == null) {
                continue;
            }
            if (!TAG.matcher(t).matches()) {
                errors.add(new RowError(row.rowNo(), "tags", "invalid_tag", "tag '" + abbreviate(t)
                        + "' must be 1 to 50 letters, digits, spaces or _ - : ."));
                break;
            }
            if (!tags.contains(t)) {
                tags.add(t);
            }
        }
        if (tags.size() > MAX_TAGS) {
            errors.add(new RowError(row.rowNo(), "tags", "too_many_tags", "at most " + MAX_TAGS + " tags per user"));
        }
        if (!errors.isEmpty()) {
            return new Result(null, errors);
        }
        return new Result(new ValidRow(row.rowNo(), email, firstName,
                lastName == null ? "" : lastName, role, location, List.copyOf(tags), roleText != null), List.of());
    }

    private static String trim(String value) {
        if (value == null) {
            return null;
        }
        String stripped = value.strip();
        return stripped.isEmpty() ? null : stripped;
    }

    private static String abbreviate(String value) {
        return Text.quote(value);
    }

    /** Adds an {@code invalid_characters} error when {@code value} holds NUL or a control character. */
    private static boolean unprintable(int rowNo, String field, String value, List<RowError> errors) {
        if (Text.isSingleLine(value)) {
            return false;
        }
        errors.add(new RowError(rowNo, field, "invalid_characters",
                field + " " + Text.NOT_SINGLE_LINE));
        return true;
    }
}
