package io.roster.gateway.jobs;

import io.roster.contracts.job.JobState;
import io.roster.persistence.repositories.JobRepository;
import io.roster.persistence.repositories.ManagedTx;
import io.roster.contracts.Keys;
import io.roster.contracts.job.JobCommand;
import io.roster.contracts.job.JobType;
import io.roster.contracts.serde.Json;
import io.roster.gateway.GatewayConfig;
import io.roster.gateway.auth.Caller;
import io.roster.gateway.problem.ProblemException;
import io.roster.persistence.Jobs;
import io.roster.persistence.Tx;
import jakarta.inject.Singleton;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Turns an accepted request into a job. The job row is written first; then the input is read a chunk at a time and
 * every chunk sent in one Kafka transaction, committed only when the whole input has been read and checked; then
 * the job is marked submitted with its counts. Bad input, a limit passed or a failure on the way aborts the
 * transaction and removes the job: nothing was applied. A gateway that dies mid-upload leaves a job without its
 * chunks, which the workers fail after {@code ROSTER_SUBMISSION_TIMEOUT} with the reason.
 *
 * <p>An {@code Idempotency-Key} (scoped to the organization) makes a retry with the same body return the same job,
 * re-sending its chunks if the first attempt was cut off before it finished; the same key with another body is
 * refused (422). Limits: rows per job (413) and jobs queued or running per organization (429 with Retry-After),
 * checked under a lock of the organization's row.
 */
@Singleton
public class JobSubmitter {

    private static final List<JobState> ACTIVE = List.of(JobState.queued, JobState.running);

    private final ManagedTx tx;
    private final JobRepository repository;
    private final ChunkProducers producers;
    private final GatewayConfig config;

    public JobSubmitter(ManagedTx tx, JobRepository repository, ChunkProducers producers, GatewayConfig config) {
        this.tx = tx;
        this.repository = repository;
        this.producers = producers;
        this.config = config;
    }

    /** The job and whether this request created it (false: an earlier request with the same key did). */
    public record Submission(Jobs.Job job, boolean created) {
    }

    public Submission submit(Caller caller, UUID orgId, JobType type, String idempotencyKey, String topic,
                             ChunkSource source) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw ProblemException.invalid("Idempotency-Key", "must be 1 to 200 characters");
        }
        Optional<Jobs.Job> earlier = idempotencyKey == null ? Optional.empty() : findByKey(orgId, idempotencyKey);
        if (earlier.isPresent()) {
            return replay(earlier.get(), type, topic, source);
        }
        UUID jobId = UUID.randomUUID();
        try {
            tx.run(c -> {
                io.roster.persistence.Organizations.lock(c, orgId);
                if (repository.countByOrgIdAndStateInList(orgId, ACTIVE) >= config.maxConcurrentJobs()) {
                    throw ProblemException.tooManyRequests("too-many-jobs", "Too many jobs",
                            "This organization already has " + config.maxConcurrentJobs() + " jobs queued or running; "
                                    + "retry when one has finished.", Duration.ofSeconds(5));
                }
                Jobs.insert(c, jobId, orgId, type, 0, Jobs.CHUNKS_UNKNOWN, caller.userId(), idempotencyKey, null);
                return null;
            });
        } catch (Tx.DataAccessException e) {
            if ("23505".equals(e.sqlState()) && idempotencyKey != null) {
                // a concurrent request with the same key won the race: answer as its retry
                return replay(findByKey(orgId, idempotencyKey).orElseThrow(), type, topic, source);
            }
            throw e;
        }
        try {
            send(jobId, topic, source, null);
        } catch (RuntimeException e) {
            delete(jobId);
            throw e;
        }
        finish(jobId, source);
        return new Submission(job(jobId), true);
    }

    private Submission replay(Jobs.Job job, JobType type, String topic, ChunkSource source) {
        if (job.type() != type) {
            throw reused(job);
        }
        if (job.submittedAt() != null) {
            while (!source.hashKnownUpFront() && source.next(job.id()) != null) {
                // read the body only to compare it with the first one
            }
            if (!MessageDigest.isEqual(job.requestHash(), source.hash())) {
                throw reused(job);
            }
            return new Submission(job(job.id()), false);
        }
        // the first attempt was cut off before its chunks were committed: send them again, if the body is the same
        send(job.id(), topic, source, job.requestHash());
        finish(job.id(), source);
        return new Submission(job(job.id()), false);
    }

    /** Sends every chunk of the source in one transaction; with {@code expectedHash}, commits only on a match. */
    private void send(UUID jobId, String topic, ChunkSource source, byte[] expectedHash) {
        Producer<String, byte[]> producer;
        try {
            producer = producers.borrow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("Interrupted; retry with the same Idempotency-Key.", Duration.ofSeconds(1));
        } catch (KafkaException | IllegalStateException e) {
            throw ProblemException.unavailable("Job " + jobId + " could not be queued (" + e.getMessage()
                    + "); retry with the same Idempotency-Key.", Duration.ofSeconds(5));
        }
        boolean usable = true;
        try {
            producer.beginTransaction();
            JobCommand chunk;
            while ((chunk = source.next(jobId)) != null) {
                if (source.rows() > config.maxRowsPerJob()) {
                    throw ProblemException.tooLarge("rows", "at most " + config.maxRowsPerJob() + " rows per job; "
                            + "split the input into several jobs");
                }
                producer.send(new ProducerRecord<>(topic, Keys.chunk(jobId, chunk.chunkNo()), Json.write(chunk)));
            }
            if (source.rows() == 0) {
                throw source.empty();
            }
            if (expectedHash != null && !MessageDigest.isEqual(expectedHash, source.hash())) {
                throw reused(job(jobId));
            }
            producer.commitTransaction();
        } catch (ProblemException e) {
            usable = abort(producer);
            throw e;
        } catch (KafkaException e) {
            usable = abort(producer);
            throw ProblemException.unavailable("Job " + jobId + " could not be queued; retry with the same "
                    + "Idempotency-Key.", Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            usable = abort(producer);
            throw e;
        } finally {
            if (usable) {
                producers.release(producer);
            } else {
                producers.discard(producer);
            }
        }
    }

    private static boolean abort(Producer<String, byte[]> producer) {
        try {
            producer.abortTransaction();
            return true;
        } catch (KafkaException e) {
            return false;
        }
    }

    private void finish(UUID jobId, ChunkSource source) {
        tx.run(c -> {
            Jobs.setCounts(c, jobId, source.total(), source.chunks());
            Jobs.setRequestHash(c, jobId, source.hash());
            Jobs.markSubmitted(c, jobId);
            return null;
        });
    }

    private void delete(UUID jobId) {
        tx.run(c -> Jobs.deleteUnapplied(c, jobId));
    }

    private static ProblemException reused(Jobs.Job job) {
        return ProblemException.unprocessable("idempotency-key-reused", "Idempotency-Key",
                "this Idempotency-Key was used for a different request (job " + job.id() + ")");
    }

    private Optional<Jobs.Job> findByKey(UUID orgId, String key) {
        return repository.findByOrgIdAndIdempotencyKey(orgId, key);
    }

    private Jobs.Job job(UUID id) {
        return repository.findById(id).orElseThrow();
    }
}
