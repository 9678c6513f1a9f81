package io.roster.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.roster.contracts.job.JobType;
import io.roster.gateway.orgs.Permission;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Seeing a job takes the permission of submitting its type; with Staff's defaults, delete and transfer jobs stay hidden. */
class JobQueriesTest {

    @Test
    void eachJobTypeNeedsThePermissionToSubmitIt() {
        assertEquals(Permission.invite, JobQueries.permissionFor(JobType.invite));
        assertEquals(Permission.delete, JobQueries.permissionFor(JobType.delete));
        assertEquals(Permission.tag, JobQueries.permissionFor(JobType.tag));
        assertEquals(Permission.transfer, JobQueries.permissionFor(JobType.transfer));
        assertEquals(Permission.export, JobQueries.permissionFor(JobType.export));
        Set<JobType> staffSees = EnumSet.noneOf(JobType.class);
        for (JobType type : JobType.values()) {
            if (Permission.defaults(io.roster.contracts.user.Role.Staff).contains(JobQueries.permissionFor(type))) {
                staffSees.add(type);
            }
        }
        assertEquals(EnumSet.of(JobType.invite, JobType.tag, JobType.export), staffSees);
    }
}
