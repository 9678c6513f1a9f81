package io.roster.gateway.bulk;

import io.roster.persistence.repositories.ManagedTx;
import io.roster.contracts.Topics;
import io.roster.contracts.job.BulkAction;
import io.roster.contracts.job.ExportCommand;
import io.roster.contracts.job.JobType;
import io.roster.contracts.serde.Json;
import io.roster.contracts.user.Emails;
import io.roster.contracts.user.Role;
import io.roster.gateway.GatewayConfig;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.jobs.ChunkSource;
import io.roster.gateway.jobs.JobSubmitter;
import io.roster.gateway.orgs.Access;
import io.roster.gateway.orgs.OrgTags;
import io.roster.gateway.orgs.Permission;
import io.roster.gateway.problem.ProblemException;
import io.roster.gateway.users.UserListQuery;
import io.roster.gateway.users.UserListSql;
import io.roster.persistence.Users;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Checks a bulk request (permission, selection, the action's own fields) and submits it as a job of
 * {@link io.roster.contracts.job.UsersChunk}s on the engine every job shares: tag and delete on the bulk-actions
 * topic, transfer on the transfers topic. Reach is checked again by the workers for every id, when it applies.
 */
@Singleton
public class BulkService {

    public static final String CONFIRM_DELETE = "DELETE";
    /** Explicit ids in one export (they travel in one command); select more with a filter. */
    public static final int MAX_EXPORT_IDS = 10_000;

    private final DataSource dataSource;
    private final ManagedTx tx;
    private final Access access;
    private final OrgTags tags;
    private final JobSubmitter submitter;
    private final GatewayConfig config;
    private final Topics topics;

    public BulkService(DataSource dataSource, ManagedTx tx, Access access, OrgTags tags, JobSubmitter submitter,
                       GatewayConfig config, Topics topics) {
        this.dataSource = dataSource;
        this.tx = tx;
        this.access = access;
        this.tags = tags;
        this.submitter = submitter;
        this.config = config;
        this.topics = topics;
    }

    public JobSubmitter.Submission tag(Caller caller, UUID orgId, BulkRequests.TagRequest request, String key) {
        access.require(caller, orgId, Permission.tag);
        if (request.tag() == null || !request.tag().strip().matches(OrgTags.PATTERN)) {
            throw ProblemException.invalid("tag", "must be 1 to 50 letters, digits, spaces or _ : . -");
        }
        String tag = request.tag().strip();
        boolean remove = Boolean.TRUE.equals(request.remove());
        if (!remove && Boolean.TRUE.equals(request.create())) {
            tags.create(orgId, tag, "tag");
        } else if (!remove && !tags.exists(orgId, tag)) {
            throw ProblemException.unprocessable("unknown-tag", "tag", "the organization has no tag '" + tag
                    + "'; create it first, or send \"create\": true");
        }
        return submit(caller, orgId, JobType.tag, new BulkAction.Tag(tag, remove), request.userIds(),
                request.filter(), request.excludeUserIds(), topics.bulkActions(), key);
    }

    public JobSubmitter.Submission delete(Caller caller, UUID orgId, BulkRequests.DeleteRequest request, String key) {
        access.require(caller, orgId, Permission.delete);
        if (!CONFIRM_DELETE.equals(request.confirm())) {
            throw ProblemException.unprocessable("confirmation-required", "confirm",
                    "must be exactly DELETE to delete users");
        }
        if (request.userIds() != null && request.userIds().contains(caller.userId())) {
            throw ProblemException.unprocessable("cannot-delete-self", "userIds[" + request.userIds()
                    .indexOf(caller.userId()) + "]", "is you; " + io.roster.operations.SelfAction.message("delete"));
        }
        return submit(caller, orgId, JobType.delete, new BulkAction.Delete(), request.userIds(), request.filter(),
                request.excludeUserIds(), topics.bulkActions(), key);
    }

    public JobSubmitter.Submission transfer(Caller caller, UUID orgId, BulkRequests.TransferRequest request,
                                            String key) {
        access.require(caller, orgId, Permission.transfer);
        Role role = Role.User;
        if (request.role() != null) {
            role = Role.parse(request.role());
            if (role == null) {
                throw ProblemException.invalid("role", "'" + request.role() + "' is not one of Admin, Staff, User");
            }
            if (!io.roster.operations.RoleCeiling.mayGrant(caller.role(), role)) {
                throw ProblemException.forbiddenField("role-not-allowed", "role",
                        io.roster.operations.RoleCeiling.refusal(caller.role()));
            }
        }
        if (request.destinationAdminEmail() == null || request.destinationAdminEmail().isBlank()) {
            throw ProblemException.invalid("destinationAdminEmail", "is required: the email of an Admin of the "
                    + "organization the users move to");
        }
        String email = Emails.normalize(request.destinationAdminEmail());
        Users.Account admin = tx.run(c -> Users.account(c, email));
        // an email outside the caller's organizations is answered as unknown: nothing about other tenants leaks
        if (admin == null || !access.reaches(caller, admin.orgId())) {
            throw ProblemException.unprocessable("unknown-destination", "destinationAdminEmail",
                    "no admin with this email in your organizations");
        }
        if (admin.role() != Role.Admin) {
            throw ProblemException.unprocessable("not-an-admin", "destinationAdminEmail",
                    "is not an Admin of their organization; name an Admin of the destination");
        }
        if (request.userIds() != null && request.userIds().contains(caller.userId())) {
            throw ProblemException.unprocessable("cannot-transfer-self", "userIds[" + request.userIds()
                    .indexOf(caller.userId()) + "]", "is you; " + io.roster.operations.SelfAction.message("transfer"));
        }
        return submit(caller, orgId, JobType.transfer, new BulkAction.Transfer(admin.orgId(), admin.id(), role),
                request.userIds(), request.filter(), request.excludeUserIds(), topics.transfers(), key);
    }

    public JobSubmitter.Submission export(Caller caller, UUID orgId, BulkRequests.ExportRequest request, String key) {
        access.require(caller, orgId, Permission.export);
        List<String> columns = request.columns() == null ? ExportCommand.COLUMNS : request.columns();
        if (columns.isEmpty()) {
            throw ProblemException.invalid("columns", "must name at least one column");
        }
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i) == null) {
                throw ProblemException.invalid("columns[" + i + "]", "must be a column name");
            }
            if (!ExportCommand.COLUMNS.contains(columns.get(i))) {
                throw ProblemException.invalid("columns[" + i + "]", "'" + columns.get(i) + "' is not one of "
                        + String.join(", ", ExportCommand.COLUMNS));
            }
            if (columns.indexOf(columns.get(i)) != i) {
                throw ProblemException.invalid("columns[" + i + "]", "repeats " + columns.get(i));
            }
        }
        checkTarget(request.userIds(), request.filter(), request.excludeUserIds());
        if (request.userIds() != null) {
            checkIds(request.userIds());
            if (request.userIds().size() > MAX_EXPORT_IDS) {
                throw ProblemException.tooLarge("userIds", "at most " + MAX_EXPORT_IDS + " ids in one export; "
                        + "select more users with a filter");
            }
        }
        if (request.sort() != null && request.filter() == null) {
            throw ProblemException.invalid("sort", "only with a filter: explicit userIds are exported in their order");
        }
        UserListQuery query = request.filter() == null ? null
                : parse(request.filter(), request.excludeUserIds()).sortedBy(request.sort());
        io.roster.contracts.user.UsersFilter filter = query == null ? null : query.filter();
        String sort = query == null ? null : query.sortSpec();
        // the progress bar's end, known at submission: the ids given, or the users the filter matches now
        int total = request.userIds() != null ? request.userIds().size() : count(orgId, query);
        boolean gzip = Boolean.TRUE.equals(request.gzip());
        String canonical = JobType.export + "|" + columns + "|" + gzip + "|"
                + (request.userIds() != null ? "ids:" + request.userIds() : "filter:" + Json.writeString(filter)
                + "|sort:" + sort);
        ChunkSource source = new ChunkSource() {
            private boolean sent;

            @Override
            public io.roster.contracts.job.JobCommand next(UUID jobId) {
                if (sent) {
                    return null;
                }
                sent = true;
                return new ExportCommand(jobId, orgId, 0, 1, caller.userId(), caller.client(), request.userIds(),
                        filter, columns, gzip, sort, total);
            }

            @Override
            public int rows() {
                return sent ? 1 : 0;
            }

            @Override
            public int chunks() {
                return rows();
            }

            @Override
            public int total() {
                return total;
            }

            @Override
            public byte[] hash() {
                return SelectionChunkSource.sha256(canonical);
            }

            @Override
            public boolean hashKnownUpFront() {
                return true;
            }
        };
        return submitter.submit(caller, orgId, JobType.export, key, topics.exports(), source);
    }

    private JobSubmitter.Submission submit(Caller caller, UUID orgId, JobType type, BulkAction action,
                                           List<UUID> userIds, BulkRequests.Filter filter, List<UUID> excluded,
                                           String topic, String key) {
        checkTarget(userIds, filter, excluded);
        String canonical = type + "|" + Json.writeString(action) + "|";
        if (userIds != null) {
            checkIds(userIds);
            canonical += "ids:" + userIds;
            try (SelectionChunkSource source = SelectionChunkSource.of(userIds, orgId, caller.userId(),
                    caller.client(), action, config.bulkChunkSize(), canonical)) {
                return submitter.submit(caller, orgId, type, key, topic, source);
            }
        }
        UserListQuery query = parse(filter, excluded);
        canonical += "filter:" + query.roles() + query.statuses() + "|" + query.tag() + "|" + query.text() + "|"
                + query.includeSubOrgs() + "|except:" + query.excluded();
        try (SelectionChunkSource source = SelectionChunkSource.of(dataSource, query, orgId, caller.userId(),
                caller.client(), action, config.bulkChunkSize(), canonical)) {
            return submitter.submit(caller, orgId, type, key, topic, source);
        }
    }

    /** How many users the filters match now (at most Integer.MAX_VALUE). */
    private int count(UUID orgId, UserListQuery query) {
        long matching = tx.run(c -> UserListSql.count(orgId, query).single(c));
        return (int) Math.min(Integer.MAX_VALUE, matching);
    }

    /** Users are named one way: by ids, or by a filter (less excludeUserIds, which only a filter takes). */
    private void checkTarget(List<UUID> userIds, BulkRequests.Filter filter, List<UUID> excluded) {
        if ((userIds == null) == (filter == null)) {
            throw ProblemException.invalid("userIds", "give either userIds or filter (exactly one of them)");
        }
        if (excluded == null) {
            return;
        }
        if (filter == null) {
            throw ProblemException.invalid("excludeUserIds", "only with a filter: it leaves users out of what the "
                    + "filter matches");
        }
        if (excluded.size() > config.maxRowsPerJob()) {
            throw ProblemException.tooLarge("excludeUserIds", "at most " + config.maxRowsPerJob() + " ids");
        }
        for (int i = 0; i < excluded.size(); i++) {
            if (excluded.get(i) == null) {
                throw ProblemException.invalid("excludeUserIds[" + i + "]", "must be a user id");
            }
        }
    }

    private void checkIds(List<UUID> userIds) {
        if (userIds.isEmpty()) {
            throw ProblemException.invalid("userIds", "must name at least one user");
        }
        if (userIds.size() > config.maxRowsPerJob()) {
            throw ProblemException.tooLarge("userIds", "at most " + config.maxRowsPerJob() + " users per job");
        }
        Map<UUID, Integer> seen = new HashMap<>();
        for (int i = 0; i < userIds.size(); i++) {
            UUID id = userIds.get(i);
            if (id == null) {
                throw ProblemException.invalid("userIds[" + i + "]", "must be a user id");
            }
            Integer first = seen.putIfAbsent(id, i);
            if (first != null) {
                throw ProblemException.invalid("userIds[" + i + "]", "repeats userIds[" + first + "]");
            }
        }
    }

    private static UserListQuery parse(BulkRequests.Filter filter, List<UUID> excluded) {
        try {
            return UserListQuery.parse(null, filter.role() == null ? null : String.join(",", filter.role()),
                    filter.status() == null ? null : String.join(",", filter.status()), filter.tag(), filter.q(),
                    Boolean.TRUE.equals(filter.includeSubOrgs()), 1)
                    .excluding(excluded == null ? List.of() : excluded.stream().distinct().toList());
        } catch (ProblemException e) {
            throw e.nestedIn("filter");
        }
    }
}
