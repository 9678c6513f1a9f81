package io.roster.gateway.invite;

import io.roster.contracts.Topics;
import io.roster.contracts.job.JobType;
import io.roster.gateway.GatewayConfig;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.jobs.JobSubmitter;
import io.roster.gateway.orgs.Access;
import io.roster.gateway.orgs.Permission;
import io.roster.gateway.problem.ProblemException;
import jakarta.inject.Singleton;
import java.io.InputStream;
import java.util.Iterator;
import java.util.UUID;

/**
 * Checks that the caller may invite into the organization (and, for an upsert, is an admin) and that the request
 * is within limits, numbers the rows, and submits the invite job in chunks of {@code ROSTER_CHUNK_SIZE} rows on
 * {@code roster.invites.v1}, from a JSON body or from a CSV body streamed as it arrives.
 */
@Singleton
public class InviteService {

    private final Access access;
    private final JobSubmitter submitter;
    private final Topics topics;
    private final GatewayConfig config;

    public InviteService(Access access, JobSubmitter submitter, Topics topics, GatewayConfig config) {
        this.access = access;
        this.submitter = submitter;
        this.topics = topics;
        this.config = config;
    }

    /** An invite from a JSON body (at most {@code ROSTER_MAX_JSON_ROWS} users). */
    public JobSubmitter.Submission submit(Caller caller, UUID orgId, InviteRequest request, String idempotencyKey) {
        access.require(caller, orgId, Permission.invite);
        if (request.users().size() > config.maxJsonRows()) {
            throw ProblemException.tooLarge("users", "at most " + config.maxJsonRows()
                    + " users per JSON request; send larger imports as text/csv");
        }
        Iterator<InviteChunkSource.RowFields> rows = request.users().stream()
                .map(u -> new InviteChunkSource.RowFields(u.email(), u.firstName(), u.lastName(), u.role(),
                        u.location(), u.tags()))
                .iterator();
        return submit(caller, orgId, rows, request.upserts(), idempotencyKey);
    }

    /** An import from a CSV body, read as it streams in. */
    public JobSubmitter.Submission submitCsv(Caller caller, UUID orgId, InputStream body, boolean upsert,
                                             String idempotencyKey) {
        access.require(caller, orgId, Permission.invite);
        return submit(caller, orgId, new CsvInviteRows(body), upsert, idempotencyKey);
    }

    private JobSubmitter.Submission submit(Caller caller, UUID orgId, Iterator<InviteChunkSource.RowFields> rows,
                                           boolean upsert, String idempotencyKey) {
        if (upsert) {
            // an upsert edits existing accounts (their role too): the admins' permission, as an edit of a role is
            access.requireAdmin(caller);
        }
        return submitter.submit(caller, orgId, JobType.invite, idempotencyKey, topics.invites(),
                new InviteChunkSource(rows, config.chunkSize(), orgId, caller.userId(), caller.client(), upsert));
    }
}
