package io.roster.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The cluster command's wait before it restarts an instance: a second, doubled per quick exit in a row, at most 30. */
class LocalClusterBackoffTest {

    @Test
    void aCrashLoopWaitsLongerEachTimeUpToThirtySeconds() {
        assertEquals(List.of(1L, 1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L), IntStream.rangeClosed(0, 8)
                .mapToObj(LocalCluster::backoff).map(Duration::toSeconds).toList());
        assertEquals(Duration.ofSeconds(30), LocalCluster.backoff(Integer.MAX_VALUE));
    }
}
