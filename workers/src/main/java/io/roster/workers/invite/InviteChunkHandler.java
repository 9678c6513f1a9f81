package io.roster.workers.invite;

import io.roster.contracts.job.InviteChunk;
import io.roster.operations.ChunkResult;
import io.roster.operations.InviteUsers;
import io.roster.persistence.Organizations;
import io.roster.workers.consume.FatalRecordException;
import io.roster.workers.jobs.ChunkTransaction;
import io.roster.workers.jobs.JobHandler;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;

/**
 * Applies an invite chunk ({@link InviteUsers}) in the chunk's one transaction ({@link ChunkTransaction}).
 */
public final class InviteChunkHandler implements JobHandler<InviteChunk> {

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration invitationTtl;
    private final String publicUrl;

    public InviteChunkHandler(DataSource dataSource, Clock clock, Duration invitationTtl, String publicUrl) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.invitationTtl = invitationTtl;
        this.publicUrl = publicUrl;
    }

    @Override
    public io.roster.workers.jobs.ChunkTransaction.Result apply(InviteChunk chunk) {
        return ChunkTransaction.run(dataSource, chunk, connection -> applyIn(connection, chunk));
    }

    private ChunkTransaction.Outcome applyIn(Connection connection, InviteChunk chunk) throws SQLException {
        Organizations.Org org = Organizations.find(connection, chunk.orgId())
                .orElseThrow(() -> new FatalRecordException("organization " + chunk.orgId() + " does not exist", null));
        ChunkResult result = InviteUsers.apply(connection, org, chunk, clock.instant().truncatedTo(ChronoUnit.MICROS),
                invitationTtl, publicUrl);
        return new ChunkTransaction.Outcome(result.succeeded(), result.errors());
    }
}
