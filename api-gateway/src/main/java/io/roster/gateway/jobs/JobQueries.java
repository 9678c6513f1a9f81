package io.roster.gateway.jobs;

import io.roster.persistence.repositories.JobRepository;
import io.roster.persistence.repositories.ManagedTx;
import io.roster.contracts.job.JobType;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.orgs.Access;
import io.roster.gateway.orgs.Permission;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.JobResults;
import io.roster.persistence.Jobs;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Jobs as their callers see them: a job is visible within the caller's reach and with the permission to submit its
 * type (404 outside the reach, 403 without the permission); so are its row errors, its result and its cancelling.
 */
@Singleton
public class JobQueries {

    private final ManagedTx tx;
    private final JobRepository repository;
    private final Access access;
    private final Clock clock;

    public JobQueries(ManagedTx tx, JobRepository repository, Access access, Clock clock) {
        this.tx = tx;
        this.repository = repository;
        this.access = access;
        this.clock = clock;
    }

    /** The job, if the caller may see it. */
    public Jobs.Job visible(Caller caller, UUID jobId) {
        Jobs.Job job = repository.findById(jobId)
                .filter(j -> access.reaches(caller, j.orgId()))
                .orElseThrow(() -> ProblemException.notFound("Job " + jobId));
        access.require(caller, permissionFor(job.type()));
        return job;
    }

    /** The organization's jobs of the types the caller may run, newest first, after {@code after}. */
    public List<Jobs.Job> list(Caller caller, UUID orgId, UUID after, int limit) {
        access.reach(caller, orgId);
        Set<Permission> mine = access.permissions(caller);
        EnumSet<JobType> types = EnumSet.noneOf(JobType.class);
        for (JobType type : JobType.values()) {
            if (mine.contains(permissionFor(type))) {
                types.add(type);
            }
        }
        if (types.isEmpty()) {
            return List.of();
        }
        List<String> names = types.stream().map(Enum::name).toList();
        return after == null ? repository.newest(orgId, names, limit) : repository.after(orgId, names, after, limit);
    }

    /** A page of the job's row errors in row order, after ({@code afterRow}, {@code afterId}). */
    public List<JobRepository.ErrorRow> errors(Caller caller, UUID jobId, int afterRow, long afterId, int limit) {
        visible(caller, jobId);
        return repository.errors(jobId, afterRow, afterId, limit);
    }

    /** What the job's stored result is: 404 while there is none, 410 once it expired. */
    public JobResults.Meta result(Caller caller, UUID jobId) {
        visible(caller, jobId);
        JobResults.Meta meta = tx.run(c -> JobResults.meta(c, jobId))
                .orElseThrow(() -> ProblemException.notFound("A result of job " + jobId));
        if (!meta.expiresAt().isAfter(clock.instant())) {
            throw ProblemException.gone("result-expired", "The result has expired",
                    "The result of job " + jobId + " expired at " + meta.expiresAt() + "; run the export again.");
        }
        return meta;
    }

    /** Part {@code partNo} of a result the caller was given by {@link #result}, or null past the last. */
    public byte[] resultPart(UUID jobId, int partNo) {
        return tx.run(c -> JobResults.part(c, jobId, partNo));
    }

    /** Asks the job to stop; 409 when it has finished already. @return the job as it stands */
    public Jobs.Job cancel(Caller caller, UUID jobId) {
        visible(caller, jobId);
        boolean accepted = tx.run(c -> Jobs.requestCancel(c, jobId));
        Jobs.Job job = repository.findById(jobId).orElseThrow();
        if (!accepted && job.state().terminal()) {
            throw ProblemException.conflict("job-finished", "The job has finished",
                    "Job " + jobId + " is " + job.state() + "; there is nothing left to cancel.", null, null);
        }
        return job;
    }

    /** Seeing a job takes the permission of submitting one of its type. */
    static Permission permissionFor(JobType type) {
        return switch (type) {
            case invite -> Permission.invite;
            case delete -> Permission.delete;
            case tag -> Permission.tag;
            case transfer -> Permission.transfer;
            case export -> Permission.export;
        };
    }
}
