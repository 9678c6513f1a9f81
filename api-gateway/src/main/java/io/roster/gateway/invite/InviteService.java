package io.roster.gateway.invite;

import io.roster.contracts.Topics;
import io.roster.contracts.job.InviteChunk;
import io.roster.contracts.job.InviteRow;
import io.roster.contracts.job.JobType;
import io.roster.contracts.serde.Json;
import io.roster.gateway.GatewayConfig;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.jobs.JobSubmitter;
import io.roster.gateway.orgs.Access;
import io.roster.gateway.orgs.Permission;
import io.roster.gateway.problem.ProblemException;
import jakarta.inject.Singleton;
import io.roster.contracts.user.Emails;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.UUID;

/**
 * Checks that the caller may invite into the organization and that the request is within limits, numbers the
 * rows, and submits the invite job in chunks of {@code ROSTER_CHUNK_SIZE} rows on {@code roster.invites.v1}.
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

    public JobSubmitter.Submission submit(Caller caller, UUID orgId, InviteRequest request, String idempotencyKey) {
        access.require(caller, orgId, Permission.invite);
        if (request.users().size() > config.maxJsonRows()) {
            throw ProblemException.tooLarge("users", "at most " + config.maxJsonRows()
                    + " users per JSON request; send larger imports as text/csv");
        }
        List<InviteRow> rows = new ArrayList<>(request.users().size());
        Map<String, Integer> firstRowOf = new HashMap<>();
        for (int i = 0; i < request.users().size(); i++) {
            InviteRequest.InviteUser u = request.users().get(i);
            String email = Emails.normalize(u.email());
            Integer first = email == null ? null : firstRowOf.putIfAbsent(email, i + 1);
            rows.add(new InviteRow(i + 1, u.email(), u.firstName(), u.lastName(), u.role(), u.location(), u.tags(),
                    first));
        }
        int chunkSize = config.chunkSize();
        int chunkCount = JobSubmitter.chunks(rows.size(), chunkSize);
        byte[] hash = JobSubmitter.hash(Json.write(rows));
        return submitter.submit(caller, orgId, JobType.invite, idempotencyKey, hash, topics.invites(), rows.size(),
                chunkCount, (jobId, n) -> new InviteChunk(jobId, orgId, n, chunkCount, caller.userId(), caller.client(),
                        JobSubmitter.slice(rows, chunkSize, n)));
    }
}
