package io.roster.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the machine's CPU went while a job ran: the workers' and the gateway's JVMs (their CPU time from the operating
 * system), this JVM (the broker, the benchmark's SMTP server and its client: HTTP polls, topic offsets, heap samples),
 * and the rest of the busy time in {@code /proc/stat} (PostgreSQL, its background workers, anything else running).
 * On a machine whose cores are all busy, this says what a faster job has to take CPU from.
 *
 * <p>Two more figures say how much of it a steady system would not pay or did not use: the just-in-time compilers'
 * threads of the three JVMs (C1 and C2, from {@code /proc/<pid>/task}), which a JVM pays while its code gets hot and
 * no more once it is (a long-running deployment), and the time the virtual machine's host took from its cores
 * ({@code steal} in {@code /proc/stat}), which is not counted as busy.
 */
final class CpuSplit {

    /** CPU time used so far, in seconds, by part, and when it was read. */
    record Sample(double busy, double workers, double gateway, double bench, double jit, double stolen, long nanos) {
    }

    /** CPU seconds used between two samples, by part, and the wall time between them. */
    record Split(double seconds, double workers, double gateway, double bench, double rest, double jit,
                 double stolen) {

        double busy() {
            return workers + gateway + bench + rest;
        }

        /** How many cores were busy on average (2.00: both cores of a 2-core machine, all the time). */
        double cores() {
            return busy() / seconds;
        }
    }

    private CpuSplit() {
    }

    static Sample take(BenchStack stack) throws java.io.IOException {
        List<ChildJvm> workers = new ArrayList<>(List.of(stack.workers));
        workers.addAll(stack.moreWorkers);
        long[] ticks = statTicks();
        List<Long> pids = new ArrayList<>(List.of(ProcessHandle.current().pid(), stack.gateway.pid()));
        workers.forEach(w -> pids.add(w.pid()));
        return new Sample(ticks[0] / 100.0, workers.stream().mapToDouble(CpuSplit::seconds).sum(),
                seconds(stack.gateway), ProcessHandle.current().info().totalCpuDuration()
                .map(d -> d.toNanos() / 1e9).orElse(0.0), pids.stream().mapToDouble(CpuSplit::compilerSeconds).sum(),
                ticks[1] / 100.0, System.nanoTime());
    }

    static Split between(Sample before, Sample after) {
        double workers = after.workers - before.workers;
        double gateway = after.gateway - before.gateway;
        double bench = after.bench - before.bench;
        return new Split((after.nanos - before.nanos) / 1e9, workers, gateway, bench,
                Math.max(0, after.busy - before.busy - workers - gateway - bench),
                // a compiler thread that ends between the samples (the JVM adds and removes them) takes its time
                // with it: the figure is a lower bound
                Math.max(0, after.jit - before.jit), after.stolen - before.stolen);
    }

    /** A table of CPU µs per item (a user), one row per {@link #row}. */
    static Table table(String what) {
        return new Table(what, "workers", "gateway", "broker, SMTP, benchmark", "PostgreSQL and the rest", "total",
                "of which JIT compiling", "cores busy (of " + Runtime.getRuntime().availableProcessors() + ")",
                "cores stolen by the host");
    }

    static void row(Table table, String label, Split split, long items) {
        table.row(label, micros(split.workers, items), micros(split.gateway, items), micros(split.bench, items),
                micros(split.rest, items), micros(split.busy(), items), micros(split.jit, items),
                String.format("%.2f", split.cores()), String.format("%.2f", split.stolen / split.seconds));
    }

    static final String NOTE = "CPU µs a user: the CPU time each part used while the job ran, over its users. The "
            + "workers and the gateway are their JVMs' CPU time; the broker runs in the benchmark's JVM, with its SMTP "
            + "server and its client; PostgreSQL is the rest of the machine's busy time (/proc/stat). JIT compiling: "
            + "the C1 and C2 compiler threads of the three JVMs, included in their parts (a JVM whose code is hot no "
            + "longer pays it). Stolen: time the host took from this virtual machine's cores, not counted as busy.";

    private static String micros(double seconds, long items) {
        return String.format("%.1f", seconds * 1e6 / items);
    }

    private static double seconds(ChildJvm jvm) {
        return jvm.cpu().toNanos() / 1e9;
    }

    /**
     * The machine's busy CPU time and the time its host stole, from {@code /proc/stat}'s first line, in clock ticks
     * (100 a second on Linux): user, nice, system, irq and softirq are busy; idle and iowait are not, nor steal.
     */
    private static long[] statTicks() throws java.io.IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i : new int[] {1, 2, 3, 6, 7}) {
            busy += Long.parseLong(f[i]);
        }
        return new long[] {busy, f.length > 8 ? Long.parseLong(f[8]) : 0};
    }

    /**
     * CPU seconds (user and system) of the JIT compiler threads of process {@code pid} ("C1 CompilerThre..." and
     * "C2 CompilerThre..." in {@code /proc/<pid>/task/<tid>/stat}); 0 where there is no {@code /proc}.
     */
    private static double compilerSeconds(long pid) {
        long ticks = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = Files.readString(task.resolve("stat"));
                } catch (java.io.IOException e) {
                    continue; // the thread ended meanwhile
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    String[] fields = stat.substring(close + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
        return ticks / 100.0;
    }
}
