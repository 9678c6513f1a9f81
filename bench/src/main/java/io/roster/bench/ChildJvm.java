package io.roster.bench;

import com.sun.tools.attach.VirtualMachine;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * One of our apps in its own JVM, as it runs in production: started from this benchmark's class path with the
 * given environment, its output in a log file, its heap watched over JMX (the attach API), stopped with SIGTERM.
 * Beside the peak of the heap in use (garbage included: how much G1 lets it grow), {@link #measureLive} takes the
 * heap that a full collection leaves: what the app holds on to at that moment.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private MemoryMXBean memory;
    private JMXConnector connector;
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong live = new AtomicLong(-1);

    private ChildJvm(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    static ChildJvm start(String name, Class<?> main, List<String> jvmOptions, Map<String, String> env, Path dir)
            throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        Path log = dir.resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return new ChildJvm(name, builder.start(), log);
    }

    /** Connects to the JVM's platform MBeans; call once it is up. */
    void watch() throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(process.pid()));
        try {
            connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
        memory = ManagementFactory.newPlatformMXBeanProxy(connector.getMBeanServerConnection(),
                ManagementFactory.MEMORY_MXBEAN_NAME, MemoryMXBean.class);
    }

    /** Samples the heap in use; the largest sample since {@link #resetPeak} is {@link #peak}. */
    void sample() {
        if (process.isAlive() && memory != null) {
            try {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            } catch (RuntimeException e) {
                // the JVM is going away
            }
        }
    }

    /** Collects garbage in the child and starts a new peak from what is left; forgets the live heap measured. */
    void resetPeak() {
        memory.gc();
        peak.set(0);
        live.set(-1);
        sample();
    }

    long peak() {
        return peak.get();
    }

    /** Runs a full collection in the child and keeps the heap it leaves as {@link #live}. */
    void measureLive() {
        sample();
        memory.gc();
        live.set(memory.getHeapMemoryUsage().getUsed());
    }

    /** The heap left by the last {@link #measureLive} since {@link #resetPeak}, or -1 for none. */
    long live() {
        return live.get();
    }

    /** CPU time the process has used so far (user and system), from the operating system. */
    java.time.Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(java.time.Duration.ZERO);
    }

    /** The process id (for {@code /proc/<pid>/task}: {@link CpuSplit}'s per-thread reading). */
    long pid() {
        return process.pid();
    }

    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
        }
    }

    @Override
    public void close() throws Exception {
        if (connector != null) {
            try {
                connector.close();
            } catch (Exception ignored) {
                // the child is stopping anyway
            }
        }
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
