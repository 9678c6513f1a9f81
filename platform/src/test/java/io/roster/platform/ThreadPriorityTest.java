package io.roster.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadPriorityTest {

    @Test
    void lowersTheCallingThreadOnlyAndReportsIt() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/thread-self")), "Linux only");
        int before = niceOfCurrentThread();
        assumeTrue(before < 7, "this process runs at a lower priority than the test asks for already");
        AtomicInteger lowered = new AtomicInteger(-1);
        AtomicInteger result = new AtomicInteger();
        Thread thread = new Thread(() -> {
            result.set(ThreadPriority.lowerCurrent(7) ? 1 : 0);
            lowered.set(niceOfCurrentThread());
        });
        thread.start();
        thread.join();
        assertEquals(1, result.get());
        assertEquals(7, lowered.get(), "the thread's own nice value");
        assertEquals(before, niceOfCurrentThread(), "other threads keep theirs");
    }

    @Test
    void zeroLeavesThePriorityAloneAndOutOfRangeIsRefused() {
        assertTrue(ThreadPriority.lowerCurrent(0));
        assertThrows(IllegalArgumentException.class, () -> ThreadPriority.lowerCurrent(20));
        assertThrows(IllegalArgumentException.class, () -> ThreadPriority.lowerCurrent(-1));
    }

    /** Field 19 of /proc/thread-self/stat (after the command in parentheses) is the nice value. */
    private static int niceOfCurrentThread() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(fields[19 - 3]);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
