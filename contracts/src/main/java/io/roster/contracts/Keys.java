package io.roster.contracts;

import java.util.UUID;

/** Record keys of the job topics. User-keyed topics use the user id's string form. */
public final class Keys {
    private Keys() {
    }

    /**
     * Key of one job chunk: {@code <jobId>:<chunkNo>}. Chunks of one job hash to different partitions,
     * so several worker instances share a large job.
     */
    public static String chunk(UUID jobId, int chunkNo) {
        return jobId + ":" + chunkNo;
    }

    public static String user(UUID userId) {
        return userId.toString();
    }
}
