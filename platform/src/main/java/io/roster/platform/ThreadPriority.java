package io.roster.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the CPU priority of the calling thread, for work that should run behind the rest of the process (and the
 * rest of the machine) when cores are short, and at full speed when they are not. Java has no API for it (thread
 * priorities are ignored on Linux); Linux schedules each thread on its own nice value, which any process may raise
 * for its own threads: this renices the thread's id ({@code /proc/thread-self}). Elsewhere, or when that fails, the
 * thread keeps its priority and a warning says so.
 */
public final class ThreadPriority {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadPriority.class);
    private static final Path THREAD_SELF = Path.of("/proc/thread-self");

    private ThreadPriority() {
    }

    /**
     * Sets the calling thread's nice value (0: as the process, 19: lowest priority).
     *
     * @return whether the thread now runs at that nice value
     */
    public static boolean lowerCurrent(int nice) {
        if (nice < 0 || nice > 19) {
            throw new IllegalArgumentException("nice must be 0..19, was " + nice);
        }
        if (nice == 0) {
            return true;
        }
        String thread = Thread.currentThread().getName();
        try {
            if (!Files.exists(THREAD_SELF)) {
                LOG.warn("{} keeps its CPU priority: no /proc/thread-self on this system", thread);
                return false;
            }
            String tid = Files.readSymbolicLink(THREAD_SELF).getFileName().toString();
            Process renice = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", tid)
                    .redirectErrorStream(true).start();
            renice.getInputStream().readAllBytes();
            if (!renice.waitFor(10, TimeUnit.SECONDS) || renice.exitValue() != 0) {
                LOG.warn("{} keeps its CPU priority: renice of thread {} failed", thread, tid);
                return false;
            }
            LOG.info("{} runs at nice {} (thread {})", thread, nice, tid);
            return true;
        } catch (IOException e) {
            LOG.warn("{} keeps its CPU priority: {}", thread, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
