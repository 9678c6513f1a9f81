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
 * The hash that idempotency compares is of the request (action and selection as sent), not of the resolved ids,
 * so a retry of a submitted job never runs the query; the cursor opens on the first read.
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
    private DataSource dataSource;
    private UserListQuery filter;
    private Connection connection;
    private PreparedStatement statement;
    private ResultSet cursor;
    private int rows;
    private int chunks;
    /** The cursor's row under it was read ahead (by {@link #hasNext}) and not yet taken. */
    private boolean peeked;
    private boolean peekedRow;

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
        source.dataSource = dataSource;
        source.filter = filter;
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

    /** Opens the snapshot and its cursor. */
    private void open() throws SQLException {
        connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        connection.setReadOnly(true);
        statement = UserListSql.selection(orgId, filter).prepare(connection, "");
        statement.setFetchSize(chunkSize);
        cursor = statement.executeQuery();
    }

    private boolean hasNext() {
        if (!filtered) {
            return ids.hasNext();
        }
        try {
            if (cursor == null) {
                open();
            }
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
    public boolean hashKnownUpFront() {
        return true;
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
                try {
                    connection.rollback();
                } finally {
                    connection.close(); // back to the pool, even when the rollback failed
                }
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
