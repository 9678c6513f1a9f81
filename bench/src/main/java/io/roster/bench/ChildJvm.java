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
 * Two peaks are kept: of the heap in use (garbage included: how much G1 lets it grow) and of the heap left after
 * each garbage collection (what the app holds on to, which is what must stay flat as a job grows).
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private MemoryMXBean memory;
    private List<com.sun.management.GarbageCollectorMXBean> collectors = List.of();
    private java.util.Set<String> heapPools = java.util.Set.of();
    private final Map<String, Long> lastGcIds = new java.util.concurrent.ConcurrentHashMap<>();
    private JMXConnector connector;
    private final AtomicLong peak = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();

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
        var connection = connector.getMBeanServerConnection();
        memory = ManagementFactory.newPlatformMXBeanProxy(connection, ManagementFactory.MEMORY_MXBEAN_NAME,
                MemoryMXBean.class);
        collectors = ManagementFactory.getPlatformMXBeans(connection, com.sun.management.GarbageCollectorMXBean.class);
        heapPools = ManagementFactory.getPlatformMXBeans(connection, java.lang.management.MemoryPoolMXBean.class)
                .stream().filter(p -> p.getType() == java.lang.management.MemoryType.HEAP)
                .map(java.lang.management.MemoryPoolMXBean::getName).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * Samples the heap in use, and the heap left after each collection that ran since the last sample; the largest
     * of each since {@link #resetPeak} are {@link #peak} and {@link #peakAfterGc}.
     */
    void sample() {
        if (process.isAlive() && memory != null) {
            try {
                peak.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
                for (com.sun.management.GarbageCollectorMXBean collector : collectors) {
                    com.sun.management.GcInfo gc = collector.getLastGcInfo();
                    if (gc != null && !Long.valueOf(gc.getId()).equals(lastGcIds.put(collector.getName(), gc.getId()))) {
                        long after = gc.getMemoryUsageAfterGc().entrySet().stream()
                                .filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
                        peakAfterGc.accumulateAndGet(after, Math::max);
                    }
                }
            } catch (RuntimeException e) {
                // the JVM is going away
            }
        }
    }

    /** Collects garbage in the child and starts new peaks from what is left. */
    void resetPeak() {
        memory.gc();
        peak.set(0);
        peakAfterGc.set(0);
        sample();
    }

    long peak() {
        return peak.get();
    }

    /** The most heap left after a collection since {@link #resetPeak}. */
    long peakAfterGc() {
        return peakAfterGc.get();
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
