package io.roster.workers.export;

import io.roster.contracts.csv.CsvCells;
import io.roster.contracts.job.ExportCommand;
import io.roster.contracts.user.UsersFilter;
import io.roster.persistence.JobResults;
import io.roster.persistence.Jobs;
import io.roster.persistence.Jobs.RowError;
import io.roster.persistence.UserFilterSql;
import io.roster.workers.jobs.ChunkTransaction;
import io.roster.workers.jobs.JobHandler;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an export: in the job's one transaction ({@link ChunkTransaction}), streams the selected users from a
 * PostgreSQL cursor (five thousand rows at a time: constant memory) through an RFC 4180 CSV printer (UTF-8, CRLF, a
 * header row of the list's column names), gzip when asked, into the job's stored result ({@link JobResults}).
 * Cells that a spreadsheet would run as a formula (starting with {@code = + - @}, tab or CR) are prefixed with
 * {@code '}. A worker that dies halfway leaves no file; the export is then run again from the start, whole.
 * Explicit ids out of the organization's reach are row errors ({@code not_found}); the others are exported in the
 * order given. A filter is resolved by the transaction's snapshot, in the order the command names (the users list's
 * sort; by name when none), and the rows written so far are reported as the job's progress while it runs.
 */
public final class ExportHandler implements JobHandler<ExportCommand> {

    private static final Logger LOG = LoggerFactory.getLogger(ExportHandler.class);

    /** The columns of every export; the tags (column 9) follow when the file shows them. */
    private static final String SELECT = "SELECT u.id, u.first_name, u.last_name, u.email, u.role, u.location, "
            + "u.status, u.last_login_at";

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration ttl;
    private final long progressNanos;

    public ExportHandler(DataSource dataSource, Clock clock, Duration ttl) {
        this(dataSource, clock, ttl, PROGRESS_EVERY);
    }

    /** @param progressEvery how often at most the job's progress is reported while the file is written */
    ExportHandler(DataSource dataSource, Clock clock, Duration ttl, Duration progressEvery) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.ttl = ttl;
        this.progressNanos = progressEvery.toNanos();
    }

    @Override
    public io.roster.workers.jobs.ChunkTransaction.Result apply(ExportCommand command) {
        return ChunkTransaction.run(dataSource, command, connection -> export(connection, command));
    }

    private ChunkTransaction.Outcome export(Connection connection, ExportCommand command) throws SQLException {
        List<Object> args = new ArrayList<>();
        // each user's tags row only when the file shows tags or is sorted by them: a million-row export otherwise
        // joins a million rows it does not need
        boolean tags = command.columns().contains("tags")
                || (command.userIds() == null && UserFilterSql.Sort.of(command.sort()) == UserFilterSql.Sort.tags);
        StringBuilder sql = new StringBuilder(SELECT).append(tags ? ", t.tags" + UserFilterSql.USERS_WITH_TAGS
                : " FROM users u").append(" WHERE ");
        if (command.userIds() != null) {
            sql.append("u.id = ANY (?) AND u." + io.roster.persistence.Organizations.IN_REACH
                    + " ORDER BY array_position(?, u.id)");
            UUID[] ids = command.userIds().toArray(UUID[]::new);
            args.add(connection.createArrayOf("uuid", ids));
            args.add(command.orgId());
            args.add(connection.createArrayOf("uuid", ids));
        } else {
            UsersFilter filter = command.filter();
            UserFilterSql.where(sql, args, command.orgId(), filter, filter.statuses(),
                    UserFilterSql.Sort.of(command.sort()).table());
            sql.append(UserFilterSql.orderBy(command.sort()));
        }
        Set<UUID> exported = command.userIds() == null ? null : new HashSet<>();
        int rows = 0;
        CountingStream counted;
        try (PreparedStatement ps = UserFilterSql.prepare(connection, sql.toString(), args)) {
            ps.setFetchSize(5000);
            counted = new CountingStream(JobResults.writer(connection, command.jobId(), !command.gzip()));
            OutputStream out = command.gzip() ? new GZIPOutputStream(counted, 64 * 1024) : counted;
            try (ResultSet rs = ps.executeQuery();
                 CSVPrinter csv = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                         64 * 1024), CSVFormat.RFC4180.builder().setHeader(command.columns().toArray(String[]::new))
                         .get())) {
                long reported = System.nanoTime();
                while (rs.next()) {
                    for (String column : command.columns()) {
                        csv.print(CsvCells.neutralise(cell(rs, column)));
                    }
                    csv.println();
                    rows++;
                    if (rows % PROGRESS_ROWS == 0 && System.nanoTime() - reported >= progressNanos) {
                        reportProgress(command.jobId(), rows);
                        reported = System.nanoTime();
                    }
                    if (exported != null) {
                        exported.add(rs.getObject(1, UUID.class));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<RowError> errors = new ArrayList<>();
        if (exported != null) {
            for (int i = 0; i < command.userIds().size(); i++) {
                UUID id = command.userIds().get(i);
                if (!exported.contains(id)) {
                    errors.add(new RowError(i + 1, "userIds", "not_found",
                            "no user " + id + " in this organization or its sub-organizations"));
                }
            }
        }
        Jobs.setTotal(connection, command.jobId(), rows + errors.size());
        JobResults.describe(connection, command.jobId(), command.gzip() ? "application/gzip" : "text/csv",
                counted.count, clock.instant().plus(ttl));
        return new ChunkTransaction.Outcome(rows, errors);
    }

    /** Progress goes out at most every half second, checked every 1,000 rows. */
    private static final int PROGRESS_ROWS = 1_000;
    private static final Duration PROGRESS_EVERY = Duration.ofMillis(500);

    /**
     * Tells the job how far the export has got, on a connection of its own (the export's transaction shows nothing
     * until it commits). Best effort: a failure here only leaves the progress behind.
     */
    private void reportProgress(UUID jobId, int rows) {
        try {
            io.roster.persistence.Tx.run(dataSource, c -> {
                Jobs.reportProgress(c, jobId, rows);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.debug("could not report the progress of export {}: {}", jobId, e.getMessage());
        }
    }

    private static String cell(ResultSet rs, String column) throws SQLException {
        return switch (column) {
            case "name" -> (rs.getString(2) + " " + rs.getString(3)).strip();
            case "email" -> rs.getString(4);
            case "role" -> rs.getString(5);
            case "location" -> rs.getString(6);
            case "status" -> rs.getString(7);
            case "lastLogin" -> {
                Timestamp at = rs.getTimestamp(8);
                yield at == null ? null : at.toInstant().toString();
            }
            case "tags" -> String.join(";", (String[]) rs.getArray(9).getArray());
            default -> throw new IllegalArgumentException("no column " + column);
        };
    }

    /** Counts the bytes of the stored file. */
    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            count += length;
        }
    }
}
