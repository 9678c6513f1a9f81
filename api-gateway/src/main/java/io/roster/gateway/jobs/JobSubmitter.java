package io.roster.gateway.jobs;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Turns an accepted request into a job: the job row first, then its chunks on the job topic (acknowledged by
 * Kafka), then the mark that submission completed. An {@code Idempotency-Key} (scoped to the organization) makes a
 * retry with the same body return the same job, and re-send its chunks if the first attempt was cut off before
 * they were all acknowledged; the same key with another body is refused (422). Limits: rows per job (413) and jobs
 * queued or running per organization (429 with Retry-After), checked under a lock of the organization's row.
 */
@Singleton
public class JobSubmitter {

    private final DataSource dataSource;
    private final Producer<String, byte[]> producer;
    private final GatewayConfig config;

    public JobSubmitter(DataSource dataSource, Producer<String, byte[]> producer, GatewayConfig config) {
        this.dataSource = dataSource;
        this.producer = producer;
        this.config = config;
    }

    /** The job and whether this request created it (false: an earlier request with the same key did). */
    public record Submission(Jobs.Job job, boolean created) {
    }

    /**
     * @param requestHash the SHA-256 of the request's canonical form, compared for idempotency
     * @param chunk       builds chunk {@code n} of {@code chunkCount} for the job id
     */
    public Submission submit(Caller caller, UUID orgId, JobType type, String idempotencyKey, byte[] requestHash,
                             String topic, int total, int chunkCount, ChunkFactory chunk) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw ProblemException.invalid("Idempotency-Key", "must be 1 to 200 characters");
        }
        Optional<Jobs.Job> earlier = idempotencyKey == null ? Optional.empty() : findByKey(orgId, idempotencyKey);
        if (earlier.isPresent()) {
            return replay(earlier.get(), type, requestHash, topic, chunkCount, chunk);
        }
        if (total > config.maxRowsPerJob()) {
            throw ProblemException.tooLarge("rows", "at most " + config.maxRowsPerJob() + " rows per job; split the "
                    + "input into several jobs");
        }
        UUID jobId = UUID.randomUUID();
        try {
            Tx.run(dataSource, c -> {
                try (java.sql.PreparedStatement lock = c.prepareStatement(
                        "SELECT 1 FROM organizations WHERE id = ? FOR UPDATE")) {
                    lock.setObject(1, orgId);
                    lock.execute();
                }
                if (Jobs.active(c, orgId) >= config.maxConcurrentJobs()) {
                    throw new ProblemException(io.micronaut.http.HttpStatus.TOO_MANY_REQUESTS, "too-many-jobs",
                            "Too many jobs", "This organization already has " + config.maxConcurrentJobs()
                            + " jobs queued or running; retry when one has finished.", List.of(), Duration.ofSeconds(5));
                }
                Jobs.insert(c, jobId, orgId, type, total, chunkCount, caller.userId(), idempotencyKey, requestHash);
                return null;
            });
        } catch (Tx.DataAccessException e) {
            if ("23505".equals(e.sqlState()) && idempotencyKey != null) {
                // a concurrent request with the same key won the race: answer as its retry
                return replay(findByKey(orgId, idempotencyKey).orElseThrow(), type, requestHash, topic, chunkCount, chunk);
            }
            throw e;
        }
        send(jobId, topic, chunkCount, chunk);
        return new Submission(job(jobId), true);
    }

    /** Builds one chunk of a job. */
    @FunctionalInterface
    public interface ChunkFactory {
        JobCommand chunk(UUID jobId, int chunkNo);
    }

    private Submission replay(Jobs.Job job, JobType type, byte[] requestHash, String topic, int chunkCount,
                              ChunkFactory chunk) {
        if (job.type() != type || !MessageDigest.isEqual(job.requestHash(), requestHash)) {
            throw ProblemException.unprocessable("idempotency-key-reused", "Idempotency-Key",
                    "this Idempotency-Key was used for a different request (job " + job.id() + ")");
        }
        if (job.submittedAt() == null) {
            send(job.id(), topic, chunkCount, chunk);
        }
        return new Submission(job(job.id()), false);
    }

    private void send(UUID jobId, String topic, int chunkCount, ChunkFactory chunk) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(chunkCount);
        for (int n = 0; n < chunkCount; n++) {
            acks.add(producer.send(new ProducerRecord<>(topic, Keys.chunk(jobId, n), Json.write(chunk.chunk(jobId, n)))));
        }
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ProblemException.unavailable("Interrupted while queueing job " + jobId
                    + "; retry with the same Idempotency-Key.", Duration.ofSeconds(1));
        } catch (ExecutionException | TimeoutException e) {
            throw ProblemException.unavailable("Job " + jobId + " could not be queued; retry with the same "
                    + "Idempotency-Key.", Duration.ofSeconds(5));
        }
        Tx.run(dataSource, c -> {
            Jobs.markSubmitted(c, jobId);
            return null;
        });
    }

    private Optional<Jobs.Job> findByKey(UUID orgId, String key) {
        return Tx.run(dataSource, c -> Jobs.findByIdempotencyKey(c, orgId, key));
    }

    private Jobs.Job job(UUID id) {
        return Tx.run(dataSource, c -> Jobs.find(c, id)).orElseThrow();
    }

    /** SHA-256 of {@code canonical}, the request re-serialized in one fixed form. */
    public static byte[] hash(byte[] canonical) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(canonical);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Rows {@code chunkNo * chunkSize} up to the next chunk's first. */
    public static <T> List<T> slice(List<T> rows, int chunkSize, int chunkNo) {
        return rows.subList(chunkNo * chunkSize, Math.min(rows.size(), (chunkNo + 1) * chunkSize));
    }

    public static int chunks(int rows, int chunkSize) {
        return (rows + chunkSize - 1) / chunkSize;
    }
}
