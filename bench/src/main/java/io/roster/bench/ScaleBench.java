package io.roster.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Import throughput as worker processes are added: for each count in {@code --workers} (default 1,2,3), a fresh
 * stack ({@link BenchStack}: a broker, PostgreSQL, the gateway and that many worker JVMs in one consumer group), a
 * warm-up import, then a measured import of {@code --rows} users (upload to last change event on Kafka, as the import
 * benchmark). The baseline is the one-process row of the same run. Beside the rate: how busy the machine's cores
 * were during the measured import and where the CPU went ({@link CpuSplit}), which says what limits it.
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
                "broker, SMTP, benchmark", "PostgreSQL and the rest");
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
                CpuSplit.Sample before = CpuSplit.take(stack);
                double elapsed = ImportBench.upload(stack, csv, rows, false);
                CpuSplit.Split cpu = CpuSplit.between(before, CpuSplit.take(stack));
                double rate = rows / elapsed;
                if (single == null) {
                    single = rate;
                }
                table.row(Integer.toString(count), Table.rate(rate), Table.ratio(rate / single),
                        String.format("%.2f", cpu.busy() / elapsed), String.format("%.1f", cpu.workers()),
                        String.format("%.1f", cpu.gateway()), String.format("%.1f", cpu.bench()),
                        String.format("%.1f", cpu.rest()));
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
}
