package io.roster.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bounded part of the fault suite, run as the README runs the whole: the packaged
 * {@code roster-bench.jar faults}, as a process of its own, on 20,000 rows with the five faults five seconds apart
 * (two gateways, three workers, two streams instances, each a JVM; the broker and PostgreSQL each a process). It
 * passes when the suite's own report says every fault recovered and every invariant held.
 */
class FaultSuiteIT {

    @Test
    void everyFaultRecoversAndEveryInvariantHolds() throws Exception {
        Path jar = Path.of("target", "roster-bench.jar").toAbsolutePath();
        Path log = Path.of("target", "fault-suite.log").toAbsolutePath();
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-jar", jar.toString(), "faults", "--rows", "20000", "--fault-interval-seconds", "5",
                "--seed", "1").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(process.waitFor(30, TimeUnit.MINUTES), "the suite ended");
        } finally {
            process.destroyForcibly();
        }
        String report = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), report);
        assertTrue(report.contains("Every fault recovered and every invariant holds."), report);
        for (String fault : List.of("PostgreSQL (postmaster and backends)", "broker (pid", "| gateway-", "| workers-",
                "| streams-")) {
            assertTrue(report.lines().anyMatch(l -> l.contains(fault) && l.endsWith("| holds  |")), fault + ":\n"
                    + report);
        }
        for (String invariant : List.of("no job is stuck", "each job's counts equal its rows",
                "the users table is what the applied rows say", "every committed change has exactly one event id",
                "the snapshot topic equals the table", "no mail is sent twice")) {
            assertTrue(report.lines().anyMatch(l -> l.startsWith("| " + invariant) && l.endsWith("| holds  |")),
                    invariant + ":\n" + report);
        }
    }
}
