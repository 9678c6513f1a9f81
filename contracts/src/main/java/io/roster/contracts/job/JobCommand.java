package io.roster.contracts.job;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.UUID;

/**
 * One unit of work of a job, as it travels from the gateway to the workers on a job topic.
 *
 * <p>A job is split into chunks of about a thousand rows; each chunk is applied in one database
 * transaction together with the record that it was applied, so a re-delivered chunk is skipped.
 * An unknown {@code kind} fails deserialization and goes to the dead-letter topic.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "kind")
@JsonSubTypes({@JsonSubTypes.Type(value = InviteChunk.class, name = "invite"),
        @JsonSubTypes.Type(value = UsersChunk.class, name = "users"),
        @JsonSubTypes.Type(value = ExportCommand.class, name = "export")})
public sealed interface JobCommand permits InviteChunk, UsersChunk, ExportCommand {

    UUID jobId();

    UUID orgId();

    /** Zero-based number of this chunk in its job. */
    int chunkNo();

    /** How many chunks the job has in all. */
    int chunkCount();

    /** The user who submitted the job. */
    UUID requestedBy();

    /** The rows of this chunk. */
    int size();

    /** Set on the last chunk only: the job's row count. */
    Integer jobTotal();
}
