package io.roster.bench;

import java.util.Arrays;

/**
 * The benchmarks' one entry point: {@code java -jar bench/target/roster-bench.jar <name> [options]}. Each benchmark
 * measures its raw baseline in the same run on the same machine, and prints a table with the ratio.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "roster-bench-logback.xml");
        }
        String name = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (name) {
            case "status" -> StatusBench.run(Options.parse(rest));
            case "list" -> ListBench.run(Options.parse(rest));
            case "import" -> ImportBench.run(Options.parse(rest));
            case "bulk" -> BulkBench.run(Options.parse(rest));
            case "page" -> PageBench.run(Options.parse(rest));
            case "latency" -> LatencyBench.run(Options.parse(rest));
            case "scale" -> ScaleBench.run(Options.parse(rest));
            case "load" -> LoadBench.run(Options.parse(rest));
            case "faults" -> {
                if (!FaultSuite.run(Options.parse(rest))) {
                    System.exit(1);
                }
            }
            default -> {
                System.out.println("usage: java -jar bench/target/roster-bench.jar status [--events N] [--users N] "
                        + "[--tracked N] [--due-percent P]");
                System.out.println("       java -jar bench/target/roster-bench.jar list [--users N] [--reps N]");
                System.out.println("       java -jar bench/target/roster-bench.jar page [--users N] [--reps N]   "
                        + "(needs Chromium)");
                System.out.println("       java -jar bench/target/roster-bench.jar import [--sizes 100000,1000000] "
                        + "[--warmup N] [--copy-runs N] [--mail-wait-seconds N] [--statements false] [--heap 1g] "
                        + "[--env NAME=value,...]");
                System.out.println("       java -jar bench/target/roster-bench.jar bulk [--users 1000000] [--jobs export,tag,delete] "
                        + "[--export-runs 3] [--warmup 20000] [--statements false] "
                        + "[--heap 1g] "
                        + "[--env NAME=value,...]");
                System.out.println("       java -jar bench/target/roster-bench.jar latency [--rows 1000000] [--warmup N] "
                        + "[--heap 1g] [--env NAME=value,...]");
                System.out.println("       java -jar bench/target/roster-bench.jar scale [--workers 1,2,3] [--rows 100000] "
                        + "[--warmup N] [--heap 1g] [--env NAME=value,...]");
                System.out.println("       java -jar bench/target/roster-bench.jar load [--admins 8] [--seconds 30] "
                        + "[--rows 200000] [--heap 1g] [--env NAME=value,...]");
                System.out.println("       java -jar bench/target/roster-bench.jar faults [--rows 1000000] [--seed N] "
                        + "[--gateways 2] [--workers 3] [--streams 2] [--faults gateway,workers,streams,broker,postgres] "
                        + "[--fault-interval-seconds 20] [--env NAME=value,...]");
                System.exit(name.equals("help") ? 0 : 2);
            }
        }
        System.exit(0);
    }

    /** {@code --name value} pairs with defaults. */
    record Options(java.util.Map<String, String> values) {
        static Options parse(String[] args) {
            java.util.Map<String, String> map = new java.util.HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("expected --option value, got " + args[i]);
                }
                map.put(args[i].substring(2), args[i + 1]);
            }
            return new Options(map);
        }

        String string(String name, String defaultValue) {
            return values.getOrDefault(name, defaultValue);
        }

        int integer(String name, int defaultValue) {
            return values.containsKey(name) ? Integer.parseInt(values.get(name).replace("_", "")) : defaultValue;
        }
    }
}
