package io.roster.operations;

import io.roster.contracts.Keys;
import io.roster.contracts.event.MailMessage;
import io.roster.contracts.event.UserSnapshot;
import io.roster.contracts.event.UserTransferred;
import io.roster.contracts.serde.Json;
import io.roster.contracts.user.Role;
import io.roster.operations.Selection.Found;
import io.roster.persistence.Jobs.RowError;
import io.roster.persistence.Organizations;
import io.roster.persistence.Outbox;
import io.roster.persistence.UserChunks;
import io.roster.persistence.Users;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Moves users to another organization (named by the email of an admin there), a chunk of ids at a time in the
 * chunk's transaction: their account and password stay, their sessions end (they were granted in the old
 * organization), their tags are dropped (tags belong to an organization), they get the role asked for. Each user is
 * mailed; the destination's admin gets one mail per chunk naming the users who arrived; each gets a
 * {@code roster.user.transferred} event. Refused per row: a user out of reach ({@code not_found}), the caller
 * themself ({@link SelfAction}), a user already in the destination ({@code already_in_destination}) and the last
 * admin of an organization ({@link LastAdminRule}).
 */
public final class TransferUsers {

    private TransferUsers() {
    }

    public static ChunkResult apply(Connection connection, UUID orgId, List<UUID> ids, int firstRowNo,
                                    Organizations.Org destination, UUID destinationAdminId, Role role, Actor actor)
            throws SQLException {
        List<RowError> errors = new ArrayList<>();
        Map<UUID, Found> found = Selection.inReach(connection, orgId, ids, Selection.rows(firstRowNo, ids.size()),
                true, errors);
        SelfAction.refuse(found, actor, errors, "transfer");
        found.values().removeIf(user -> {
            if (user.orgId().equals(destination.id())) {
                errors.add(new RowError(user.rowNo(), "userIds", "already_in_destination",
                        "user " + user.id() + " is already in " + destination.name()));
                return true;
            }
            return false;
        });
        LastAdminRule.keep(connection, found, errors, "userIds", "transfer");
        UserChunks.endSessions(connection, found.keySet());
        List<Users.Change> changes = new ArrayList<>(found.size());
        List<String> arrived = new ArrayList<>();
        for (UserSnapshot user : UserChunks.move(connection, found.keySet(), destination.id(), role)) {
            Found before = found.get(user.id());
            MailMessage mail = Mails.moved(user.id(), user.email(), before.firstName(), destination.name(), role);
            changes.add(new Users.Change(UUID.randomUUID(), new UserTransferred(user.id(), destination.id(),
                    before.orgId(), role, user.updatedAt(), actor.userId(), actor.jobId()), user, user.updatedAt(),
                    actor.userId(), actor.client(), "moved to " + destination.name(), Json.writeString(mail)));
            arrived.add(user.email());
        }
        Users.recordChanges(connection, changes);
        if (!arrived.isEmpty()) {
            Users.UserContact admin = Users.contact(connection, destinationAdminId);
            if (admin != null) {
                MailMessage mail = Mails.arrived(destinationAdminId, admin.email(), admin.firstName(),
                        destination.name(), role, actor.jobId(), arrived);
                Outbox.append(connection, List.of(Outbox.Entry.mail(mail.id(), Keys.user(destinationAdminId),
                        Json.writeString(mail))));
            }
        }
        return new ChunkResult(changes.size(), errors);
    }
}
