package io.roster.operations;

import io.roster.operations.Selection.Found;
import io.roster.persistence.Jobs.RowError;
import java.util.List;
import java.util.Map;

/**
 * Nobody deletes or transfers themself (another admin must): the one rule and its wording, for the gateway's answer
 * to an id list that names the caller and for the row error of a chunk whose filter selected them.
 */
public final class SelfAction {

    private SelfAction() {
    }

    /** What the caller is told: "you cannot delete yourself; ask another admin". */
    public static String message(String verb) {
        return "you cannot " + verb + " yourself; ask another admin";
    }

    /** The row error's code: {@code cannot_delete_self}. */
    public static String code(String verb) {
        return "cannot_" + verb + "_self";
    }

    /** Takes the actor out of {@code found}, as a row error. */
    public static void refuse(Map<java.util.UUID, Found> found, Actor actor, List<RowError> errors, String verb) {
        Found self = found.remove(actor.userId());
        if (self != null) {
            errors.add(new RowError(self.rowNo(), "userIds", code(verb), message(verb)));
        }
    }
}
