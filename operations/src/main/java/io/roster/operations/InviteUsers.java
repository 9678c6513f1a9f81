package io.roster.operations;

import io.roster.contracts.job.InviteChunk;
import io.roster.contracts.job.InviteRow;
import io.roster.contracts.user.Role;
import io.roster.persistence.Invitations;
import io.roster.persistence.Jobs.RowError;
import io.roster.persistence.Organizations;
import io.roster.persistence.Users;
import io.roster.persistence.Users.ExistingEmail;
import io.roster.persistence.Users.NewUser;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Invites a chunk of rows into an organization, in the chunk's transaction: validates every row
 * ({@link InviteRowValidator}), invites the good ones as pending users, and reports each bad row.
 *
 * <p>Each invited user gets one outbox entry: their {@code roster.user.invited} event, their snapshot and their
 * invitation mail (a single-use link to create a password, {@link Mails#invitation}). Row errors: the validator's,
 * {@code duplicate_in_file} (the same email earlier in this job), {@code already_in_organization} (an account in
 * this organization already), {@code exists_in_other_organization} (an account elsewhere, which must be transferred
 * instead), {@code role_not_allowed} (a role above the role the requester holds when the chunk applies:
 * {@link RoleCeiling}).
 *
 * <p>With upsert, an email that has an account in the job's organization (not one of its sub-organizations) updates
 * that account ({@link UpdateFromImport}): the row's names, its role if it names one, its location if it has one,
 * and its tags added to the account's; no invitation goes out.
 */
public final class InviteUsers {

    private static final InviteRowValidator VALIDATOR = new InviteRowValidator();

    private InviteUsers() {
    }

    /**
     * @param invitationTtl how long an invitation's link works
     * @param publicUrl     where the console is, for the link
     */
    public static ChunkResult apply(Connection connection, Organizations.Org org, InviteChunk chunk, Instant now,
                                    Duration invitationTtl, String publicUrl) throws SQLException {
        List<RowError> errors = new ArrayList<>();
        Map<String, InviteRowValidator.ValidRow> byEmail = new LinkedHashMap<>();
        // the requester's role as it is now: a demotion since the upload takes effect on the rows not yet applied
        Role granter = Users.roleOf(connection, chunk.requestedBy());
        for (InviteRow row : chunk.rows()) {
            InviteRowValidator.Result result = VALIDATOR.validate(row);
            if (!result.ok()) {
                errors.addAll(result.errors());
                continue;
            }
            InviteRowValidator.ValidRow valid = result.row();
            if (!RoleCeiling.mayGrant(granter, valid.role())) {
                errors.add(new RowError(row.rowNo(), "role", "role_not_allowed", "the role " + valid.role()
                        + " is above the role of the user who submitted the job"));
                continue;
            }
            if (row.duplicateOf() != null) {
                errors.add(duplicate(row.rowNo(), valid.email(), row.duplicateOf()));
                continue;
            }
            InviteRowValidator.ValidRow first = byEmail.putIfAbsent(valid.email(), valid);
            if (first != null) {
                errors.add(duplicate(row.rowNo(), valid.email(), first.rowNo()));
            }
        }
        Map<String, ExistingEmail> existing = Users.existing(connection, byEmail.keySet());
        List<NewUser> users = new ArrayList<>(byEmail.size());
        List<UpdateFromImport.Update> updates = new ArrayList<>();
        for (InviteRowValidator.ValidRow row : byEmail.values()) {
            ExistingEmail found = existing.get(row.email());
            if (found == null) {
                users.add(new NewUser(UUID.randomUUID(), org.id(), row.email(), row.firstName(), row.lastName(),
                        row.role(), row.location(), row.tags(), null, now, chunk.requestedBy(), chunk.jobId(),
                        chunk.client()));
            } else if (chunk.upsert() && chunk.orgId().equals(found.orgId())
                    && !chunk.jobId().equals(found.inviteJobId())) {
                updates.add(new UpdateFromImport.Update(row.rowNo(), found.userId(), row.firstName(), row.lastName(),
                        row.roleGiven() ? row.role() : null, row.location(), row.tags()));
            } else {
                errors.add(conflict(row, found, chunk));
            }
        }
        Invitations.Batch invitations = Invitations.prepare(users.stream()
                .map(u -> new Invitations.Invitee(u.id(), u.email(), u.firstName())).toList(),
                invitationTtl, Mails.invitations(org.name(), publicUrl), now);
        Users.insertInvited(connection, users, UUID::randomUUID, invitations);
        ChunkResult updated = UpdateFromImport.apply(connection, chunk.orgId(), updates,
                InviteRowValidator.MAX_TAGS, new Actor(chunk.requestedBy(), chunk.jobId(), chunk.client()));
        errors.addAll(updated.errors());
        return new ChunkResult(users.size() + updated.succeeded(), errors);
    }

    private static RowError duplicate(int rowNo, String email, int firstRow) {
        return new RowError(rowNo, "email", "duplicate_in_file", email + " is already on row " + firstRow);
    }

    private static RowError conflict(InviteRowValidator.ValidRow row, ExistingEmail found, InviteChunk chunk) {
        if (chunk.jobId().equals(found.inviteJobId())) {
            return new RowError(row.rowNo(), "email", "duplicate_in_file", row.email() + " appears earlier in this job");
        }
        if (chunk.orgId().equals(found.orgId())) {
            return new RowError(row.rowNo(), "email", "already_in_organization",
                    row.email() + " already has an account in this organization");
        }
        return new RowError(row.rowNo(), "email", "exists_in_other_organization", row.email()
                + " already has an account in another organization; transfer that account instead of inviting it");
    }

}
