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
 */
final class CpuSplit {

    /** CPU time used so far, in seconds, by part, and when it was read. */
    record Sample(double busy, double workers, double gateway, double bench, long nanos) {
    }

    /** CPU seconds used between two samples, by part, and the wall time between them. */
    record Split(double seconds, double workers, double gateway, double bench, double rest) {

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
        return new Sample(busyTicks() / 100.0, workers.stream().mapToDouble(CpuSplit::seconds).sum(),
                seconds(stack.gateway), ProcessHandle.current().info().totalCpuDuration()
                .map(d -> d.toNanos() / 1e9).orElse(0.0), System.nanoTime());
    }

    static Split between(Sample before, Sample after) {
        double workers = after.workers - before.workers;
        double gateway = after.gateway - before.gateway;
        double bench = after.bench - before.bench;
        return new Split((after.nanos - before.nanos) / 1e9, workers, gateway, bench,
                Math.max(0, after.busy - before.busy - workers - gateway - bench));
    }

    /** A table of CPU µs per item (a user), one row per {@link #row}. */
    static Table table(String what) {
        return new Table(what, "workers", "gateway", "broker, SMTP, benchmark", "PostgreSQL and the rest", "total",
                "cores busy (of " + Runtime.getRuntime().availableProcessors() + ")");
    }

    static void row(Table table, String label, Split split, long items) {
        table.row(label, micros(split.workers, items), micros(split.gateway, items), micros(split.bench, items),
                micros(split.rest, items), micros(split.busy(), items), String.format("%.2f", split.cores()));
    }

    static final String NOTE = "CPU µs a user: the CPU time each part used while the job ran, over its users. The "
            + "workers and the gateway are their JVMs' CPU time; the broker runs in the benchmark's JVM, with its SMTP "
            + "server and its client; PostgreSQL is the rest of the machine's busy time (/proc/stat).";

    private static String micros(double seconds, long items) {
        return String.format("%.1f", seconds * 1e6 / items);
    }

    private static double seconds(ChildJvm jvm) {
        return jvm.cpu().toNanos() / 1e9;
    }

    /** The machine's busy CPU time from {@code /proc/stat}'s first line, in clock ticks (100 a second on Linux). */
    private static long busyTicks() throws java.io.IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length && i <= 8; i++) {
            total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
        return total - idle;
    }
}
