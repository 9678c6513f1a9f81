package io.roster.contracts.job;

import java.util.List;
import java.util.UUID;

/**
 * A chunk of a bulk job over existing users (tag, delete, transfer): the ids of its slice of the job's selection,
 * fixed when the job was submitted, and the action to apply to each. {@code firstRowNo} is the 1-based position of
 * the first id in the whole selection, so that row errors name the position the caller sent.
 *
 * @param jobTotal set on the last chunk only: the job's row count (as on {@link InviteChunk})
 */
public record UsersChunk(UUID jobId, UUID orgId, int chunkNo, int chunkCount, UUID requestedBy, String client,
                         int firstRowNo, List<UUID> userIds, BulkAction action, Integer jobTotal)
        implements JobCommand {

    public UsersChunk {
        userIds = List.copyOf(userIds);
    }

    @Override
    public int size() {
        return userIds.size();
    }
}
