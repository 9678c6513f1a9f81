package io.roster.gateway.bulk;

import io.roster.contracts.job.BulkAction;
import io.roster.contracts.job.JobCommand;
import io.roster.contracts.job.UsersChunk;
import io.roster.gateway.jobs.ChunkSource;
import io.roster.gateway.problem.ProblemException;
import io.roster.gateway.users.UserListQuery;
import io.roster.gateway.users.UserListSql;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The selection of a bulk job, read a chunk of ids at a time: explicit ids as given, or a filter resolved against
 * one snapshot of the database (a read-only REPEATABLE READ transaction, its rows streamed by a cursor: constant
 * memory for a million users). Users who appear or change while the job is submitted do not move the selection.
 * The hash that idempotency compares is of the request (action and selection as sent), not of the resolved ids.
 */
final class SelectionChunkSource implements ChunkSource {

    private final UUID orgId;
    private final UUID requestedBy;
    private final String client;
    private final BulkAction action;
    private final int chunkSize;
    private final byte[] hash;
    private final boolean filtered;
    private final Iterator<UUID> ids;
    private Connection connection;
    private PreparedStatement statement;
    private ResultSet cursor;
    private int rows;
    private int chunks;

    private SelectionChunkSource(UUID orgId, UUID requestedBy, String client, BulkAction action, int chunkSize,
                                 String canonicalRequest, boolean filtered, Iterator<UUID> ids) {
        this.orgId = orgId;
        this.requestedBy = requestedBy;
        this.client = client;
        this.action = action;
        this.chunkSize = chunkSize;
        this.hash = sha256(canonicalRequest);
        this.filtered = filtered;
        this.ids = ids;
    }

    static SelectionChunkSource of(List<UUID> userIds, UUID orgId, UUID requestedBy, String client, BulkAction action,
                                   int chunkSize, String canonicalRequest) {
        return new SelectionChunkSource(orgId, requestedBy, client, action, chunkSize, canonicalRequest, false,
                userIds.iterator());
    }

    static SelectionChunkSource of(DataSource dataSource, UserListQuery filter, UUID orgId, UUID requestedBy,
                                   String client, BulkAction action, int chunkSize, String canonicalRequest) {
        SelectionChunkSource source = new SelectionChunkSource(orgId, requestedBy, client, action, chunkSize,
                canonicalRequest, true, null);
        try {
            source.connection = dataSource.getConnection();
            source.connection.setAutoCommit(false);
            source.connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            source.connection.setReadOnly(true);
            source.statement = UserListSql.selection(orgId, filter).prepare(source.connection, "");
            source.statement.setFetchSize(chunkSize);
            source.cursor = source.statement.executeQuery();
        } catch (SQLException e) {
            source.close();
            throw new IllegalStateException("could not resolve the filter: " + e.getMessage(), e);
        }
        return source;
    }

    @Override
    public JobCommand next(UUID jobId) {
        List<UUID> slice = new ArrayList<>(chunkSize);
        while (slice.size() < chunkSize && hasNext()) {
            slice.add(nextId());
        }
        if (slice.isEmpty()) {
            return null;
        }
        int first = rows + 1;
        rows += slice.size();
        int chunkNo = chunks++;
        boolean last = !hasNext();
        return new UsersChunk(jobId, orgId, chunkNo, last ? chunks : -1, requestedBy, client, first, slice, action,
                last ? rows : null);
    }

    private boolean hasNext() {
        if (!filtered) {
            return ids.hasNext();
        }
        try {
            // a forward-only cursor: peek by moving onto the row, and remember that it is not consumed yet
            if (!peeked) {
                peekedRow = cursor.next();
                peeked = true;
            }
            return peekedRow;
        } catch (SQLException e) {
            throw new IllegalStateException("reading the selection failed: " + e.getMessage(), e);
        }
    }

    private boolean peeked;
    private boolean peekedRow;

    private UUID nextId() {
        if (!filtered) {
            return ids.next();
        }
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        peeked = false;
        try {
            return cursor.getObject(1, UUID.class);
        } catch (SQLException e) {
            throw new IllegalStateException("reading the selection failed: " + e.getMessage(), e);
        }
    }

    @Override
    public int rows() {
        return rows;
    }

    @Override
    public int chunks() {
        return chunks;
    }

    @Override
    public byte[] hash() {
        return hash.clone();
    }

    @Override
    public ProblemException empty() {
        return ProblemException.unprocessable("empty-selection", filtered ? "filter" : "userIds",
                filtered ? "matches no users in this organization" : "names no users");
    }

    @Override
    public void close() {
        try {
            if (cursor != null) {
                cursor.close();
            }
            if (statement != null) {
                statement.close();
            }
            if (connection != null) {
                connection.rollback();
                connection.close();
            }
        } catch (SQLException e) {
            // a read-only snapshot: nothing to lose
        }
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
