package io.roster.gateway.invite;

import io.roster.contracts.job.InviteChunk;
import io.roster.contracts.job.InviteRow;
import io.roster.contracts.serde.Json;
import io.roster.contracts.user.Emails;
import io.roster.gateway.jobs.ChunkSource;
import it.unimi.dsi.fastutil.longs.Long2IntOpenHashMap;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

/**
 * Invite rows, in input order, cut into chunks. Marks each row whose email (in normal form) appeared on an earlier
 * row, so that duplicates are decided by row order whatever order the workers apply chunks in; the earlier rows are
 * remembered as 64-bit hashes of their emails (about 16 bytes a row, at most {@code ROSTER_MAX_ROWS_PER_JOB} rows).
 * The last chunk carries the job's counts. A chunk holds at most {@code ROSTER_CHUNK_SIZE} rows and about
 * {@link #MAX_CHUNK_BYTES} bytes; fields far over their limits are cut to one character over ({@link
 * InviteRow#clipped}), so that the workers report them as too long and every chunk fits the broker.
 */
final class InviteChunkSource implements ChunkSource {

    /**
     * A chunk ends at this many bytes of rows, whatever its row count: a chunk must fit the broker's
     * {@code max.request.size} (1 MB by default). With {@link InviteRow#clipped} no row is over about 2 KB.
     */
    static final int MAX_CHUNK_BYTES = 512 * 1024;

    private final Iterator<RowFields> rows;
    private final int chunkSize;
    private final UUID orgId;
    private final UUID requestedBy;
    private final String client;
    private final boolean upsert;
    private final Long2IntOpenHashMap firstRowOf = new Long2IntOpenHashMap();
    private final MessageDigest requestHash = sha256();
    private final MessageDigest emailHash = md5();
    private int rowsRead;
    private int chunksRead;

    /** One row's fields as given, before any check. */
    record RowFields(String email, String firstName, String lastName, String role, String location, List<String> tags) {
    }

    InviteChunkSource(Iterator<RowFields> rows, int chunkSize, UUID orgId, UUID requestedBy, String client,
                      boolean upsert) {
        this.rows = rows;
        this.chunkSize = chunkSize;
        this.orgId = orgId;
        this.requestedBy = requestedBy;
        this.client = client;
        this.upsert = upsert;
        firstRowOf.defaultReturnValue(0);
        if (upsert) {
            // the same rows with and without upsert are different requests
            requestHash.update("upsert".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public InviteChunk next(UUID jobId) {
        if (!rows.hasNext()) {
            return null;
        }
        List<InviteRow> chunk = new ArrayList<>(chunkSize);
        int chunkBytes = 0;
        while (chunk.size() < chunkSize && chunkBytes < MAX_CHUNK_BYTES && rows.hasNext()) {
            RowFields fields = rows.next();
            int rowNo = ++rowsRead;
            String email = Emails.normalize(fields.email());
            Integer duplicateOf = null;
            if (email != null) {
                long key = ByteBuffer.wrap(emailHash.digest(email.getBytes(StandardCharsets.UTF_8))).getLong();
                int first = firstRowOf.putIfAbsent(key, rowNo);
                duplicateOf = first == 0 ? null : first;
            }
            InviteRow row = new InviteRow(rowNo, fields.email(), fields.firstName(), fields.lastName(), fields.role(),
                    fields.location(), fields.tags(), duplicateOf);
            byte[] json = Json.write(row);
            requestHash.update(json);
            InviteRow clipped = row.clipped();
            chunkBytes += clipped == row ? json.length : Json.write(clipped).length;
            chunk.add(clipped);
        }
        int chunkNo = chunksRead++;
        boolean last = !rows.hasNext();
        return new InviteChunk(jobId, orgId, chunkNo, last ? chunksRead : -1, requestedBy, client, chunk,
                last ? rowsRead : null, upsert);
    }

    @Override
    public int rows() {
        return rowsRead;
    }

    @Override
    public int chunks() {
        return chunksRead;
    }

    @Override
    public byte[] hash() {
        try {
            return ((MessageDigest) requestHash.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MessageDigest sha256() {
        return digest("SHA-256");
    }

    private static MessageDigest md5() {
        return digest("MD5");
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
