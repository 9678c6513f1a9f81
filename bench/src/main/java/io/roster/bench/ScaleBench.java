package io.roster.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Import throughput as worker processes are added: for each count in {@code --workers} (default 1,2,3), a fresh
 * stack ({@link BenchStack}: a broker, PostgreSQL, the gateway and that many worker JVMs in one consumer group), a
 * warm-up import, then a measured import of {@code --rows} users (upload to last change event on Kafka, as the import
 * benchmark). The baseline is the one-process row of the same run. Beside the rate: how busy the machine's cores
 * were during the measured import ({@code /proc/stat}) and where the CPU went (each JVM's CPU time from the operating
 * system; the rest is PostgreSQL, the broker and the benchmark's own SMTP server), which says what limits it.
 */
final class ScaleBench {

    private ScaleBench() {
    }

    static void run(Bench.Options options) throws Exception {
        List<Integer> counts = java.util.Arrays.stream(options.string("workers", "1,2,3").split(","))
                .map(s -> Integer.parseInt(s.strip())).toList();
        int rows = options.integer("rows", 100_000);
        int warmup = options.integer("warmup", 20_000);
        Table table = new Table("worker processes", "import (upload to last event)", "vs 1 process",
                "cores busy (of " + Runtime.getRuntime().availableProcessors() + ")", "CPU s: workers", "gateway",
                "PostgreSQL, broker, SMTP");
        Double single = null;
        for (int count : counts) {
            Path dir = Files.createTempDirectory("roster-bench-scale-");
            java.util.Map<String, String> values = new java.util.HashMap<>(options.values());
            values.put("workers", Integer.toString(count));
            try (BenchStack stack = BenchStack.start(dir, new Bench.Options(values))) {
                Path warm = dir.resolve("warmup.csv");
                ImportBench.write(warm, warmup, "w");
                ImportBench.upload(stack, warm, warmup, false);
                Path csv = dir.resolve("users.csv");
                ImportBench.write(csv, rows, "m");
                List<ChildJvm> workers = new ArrayList<>(List.of(stack.workers));
                workers.addAll(stack.moreWorkers);
                long[] before = CpuTicks.read();
                double workersBefore = seconds(workers);
                double gatewayBefore = stack.gateway.cpu().toNanos() / 1e9;
                double elapsed = ImportBench.upload(stack, csv, rows, false);
                long[] after = CpuTicks.read();
                double workersCpu = seconds(workers) - workersBefore;
                double gatewayCpu = stack.gateway.cpu().toNanos() / 1e9 - gatewayBefore;
                double busyCpu = CpuTicks.busySeconds(before, after);
                double rate = rows / elapsed;
                if (single == null) {
                    single = rate;
                }
                table.row(Integer.toString(count), Table.rate(rate), Table.ratio(rate / single),
                        String.format("%.2f", busyCpu / elapsed), String.format("%.1f", workersCpu),
                        String.format("%.1f", gatewayCpu), String.format("%.1f",
                                Math.max(0, busyCpu - workersCpu - gatewayCpu)));
                System.err.printf("  %d worker process(es): %,d rows in %.1f s%n", count, rows, elapsed);
            }
        }
        System.out.printf("%nImport of %,d users through the HTTP API with 1 to %d worker processes (each a JVM, one "
                + "consumer group), the rest of the stack as in the import benchmark, on this machine%n%n", rows,
                counts.get(counts.size() - 1));
        table.print();
        System.out.printf("%nCPU seconds are those used during the measured import; \"cores busy\" is all of them over "
                + "its wall time (2.00 = both cores saturated).%n");
    }

    private static double seconds(List<ChildJvm> jvms) {
        return jvms.stream().mapToDouble(j -> j.cpu().toNanos() / 1e9).sum();
    }

    /** The machine's CPU time from {@code /proc/stat}'s first line, in clock ticks (100 a second on Linux). */
    static final class CpuTicks {
        private CpuTicks() {
        }

        /** {busy, total} */
        static long[] read() throws java.io.IOException {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + Long.parseLong(f[5]); // idle + iowait
            return new long[] {total - idle, total};
        }

        static double busySeconds(long[] before, long[] after) {
            return (after[0] - before[0]) / 100.0;
        }
    }
}
