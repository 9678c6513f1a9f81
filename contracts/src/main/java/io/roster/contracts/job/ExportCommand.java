package io.roster.contracts.job;

import io.roster.contracts.user.UsersFilter;
import java.util.List;
import java.util.UUID;

/**
 * An export job, whole: one command (chunk 0 of 1) that a worker applies in one transaction, streaming the selected
 * users from PostgreSQL into a stored CSV file. Selection: {@code userIds} (at most a few thousand, so the command
 * stays small) or {@code filter}, resolved by that transaction's snapshot when the export runs.
 *
 * @param columns  the users list's column names, in file order
 * @param sort     the file's order for a filter, as the users list writes it ({@code status,desc}); null: by name
 * @param jobTotal how many users were selected when the job was submitted (the progress bar's end; the worker
 *                 then records how many it wrote)
 */
public record ExportCommand(UUID jobId, UUID orgId, int chunkNo, int chunkCount, UUID requestedBy, String client,
                            List<UUID> userIds, UsersFilter filter, List<String> columns, boolean gzip,
                            String sort, Integer jobTotal) implements JobCommand {

    /** The list's columns that an export may hold. */
    public static final List<String> COLUMNS = List.of("name", "email", "role", "location", "status", "lastLogin",
            "tags");

    public ExportCommand {
        userIds = userIds == null ? null : List.copyOf(userIds);
        columns = List.copyOf(columns);
    }

    @Override
    public int size() {
        return 1;
    }
}
