package io.roster.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.roster.testsupport.TestEnv;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's tour (scripts/tour.sh: curl and jq) runs against the real system and shows what it promises. */
class ReadmeTourIT {

    @Test
    void theTourWorksAsWritten() throws IOException, InterruptedException {
        TestEnv test = TestEnv.create("tour");
        try (PackagedRoster system = PackagedRoster.start(InviteFlowIT.env(test))) {
            ProcessBuilder tour = new ProcessBuilder("bash", "../scripts/tour.sh").redirectErrorStream(true);
            tour.environment().putAll(Map.of("ROSTER_API", "http://127.0.0.1:" + system.apiUri().getPort(),
                    "ROSTER_ADMIN_EMAIL", InviteFlowIT.ADMIN, "ROSTER_ADMIN_PASSWORD", InviteFlowIT.PASSWORD));
            Process process = tour.start();
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the tour finishes");
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), output);
            assertTrue(output.contains("\"state\":\"partially_succeeded\",\"total\":3,\"processed\":3,"
                    + "\"succeeded\":2,\"failed\":1"), output);
            assertTrue(output.contains("\"row\":3,\"field\":\"email\",\"code\":\"invalid_email\""), output);
            assertTrue(output.contains("alan@example.com\tAlan Turing\tStaff\tpending"), output);
        }
    }
}
