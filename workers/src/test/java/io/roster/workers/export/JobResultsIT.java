package io.roster.workers.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.persistence.Database;
import io.roster.persistence.JobResults;
import io.roster.persistence.Tx;
import io.roster.testsupport.Sql;
import io.roster.testsupport.TestEnv;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Stored results over a real PostgreSQL: a file of several parts comes back byte for byte, LZ4-packed (text, which
 * shrinks) or stored as it is (random bytes, which do not); nothing is stored when the writing transaction rolls back.
 */
class JobResultsIT {

    @Test
    void storesAndReadsBackFilesOfManyPartsPackedOrNot() throws Exception {
        TestEnv env = TestEnv.create("results");
        try (var pool = Database.pool(env.db(), "test")) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; text.length() < 3 * JobResults.PART_BYTES + 12345; i++) {
                text.append("User ").append(i).append(",user").append(i).append("@x.example,Staff,Zürich,active\r\n");
            }
            byte[] csv = text.toString().getBytes(StandardCharsets.UTF_8);
            byte[] random = new byte[2 * JobResults.PART_BYTES + 7];
            new Random(42).nextBytes(random);

            UUID packed = job(pool);
            store(pool, packed, csv, true);
            assertEquals(4, Sql.count(pool, "SELECT count(*) FROM job_results WHERE job_id = '" + packed + "'"));
            assertTrue(Sql.count(pool, "SELECT sum(octet_length(data)) FROM job_results WHERE job_id = '" + packed
                    + "'") < csv.length / 2, "text is stored compressed");
            assertArrayEquals(csv, read(pool, packed));

            UUID plain = job(pool);
            store(pool, plain, random, false);
            assertEquals(0, Sql.count(pool, "SELECT count(*) FROM job_results WHERE job_id = '" + plain
                    + "' AND raw_bytes IS NOT NULL"));
            assertArrayEquals(random, read(pool, plain));

            UUID packedRandom = job(pool);
            store(pool, packedRandom, random, true);
            assertArrayEquals(random, read(pool, packedRandom), "incompressible parts survive packing");

            UUID empty = job(pool);
            store(pool, empty, new byte[0], true);
            assertArrayEquals(new byte[0], read(pool, empty));

            UUID rolledBack = job(pool);
            try (var c = pool.getConnection()) {
                c.setAutoCommit(false);
                try (OutputStream out = JobResults.writer(c, rolledBack, true)) {
                    out.write(csv);
                }
                c.rollback();
            }
            assertNull(Tx.run(pool, c -> JobResults.part(c, rolledBack, 0)));
        }
    }

    private static UUID job(DataSource pool) {
        UUID org = UUID.randomUUID();
        UUID job = UUID.randomUUID();
        Sql.execute(pool, "INSERT INTO organizations (id, name, path, depth) VALUES ('" + org + "', 'Org', ARRAY['"
                + org + "'::uuid], 1)");
        Sql.execute(pool, "INSERT INTO jobs (id, org_id, type, state, chunk_count, created_by) VALUES ('" + job
                + "', '" + org + "', 'export', 'running', 1, '" + UUID.randomUUID() + "')");
        return job;
    }

    private static void store(DataSource pool, UUID job, byte[] bytes, boolean pack) throws Exception {
        Tx.run(pool, c -> {
            try (OutputStream out = JobResults.writer(c, job, pack)) {
                // in pieces that do not line up with the parts
                for (int at = 0; at < bytes.length; at += 100_003) {
                    out.write(bytes, at, Math.min(100_003, bytes.length - at));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }

    private static byte[] read(DataSource pool, UUID job) throws Exception {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int part = 0; ; part++) {
            int n = part;
            byte[] bytes = Tx.run(pool, c -> JobResults.part(c, job, n));
            if (bytes == null) {
                return all.toByteArray();
            }
            assertTrue(bytes.length <= JobResults.PART_BYTES);
            all.write(bytes);
        }
    }
}
