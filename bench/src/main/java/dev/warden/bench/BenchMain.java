package dev.warden.bench;

import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Runs the benchmarks and prints each Warden stage next to its peer, with the ratio. */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws RunnerException {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        ChainedOptionsBuilder b = new OptionsBuilder().include(ScanBenchmarks.class.getSimpleName()).shouldFailOnError(true)
                .addProfiler(GCProfiler.class);
        if (quick) b = b.warmupIterations(1).measurementIterations(2).warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1));
        Collection<RunResult> results = new Runner(b.build()).run();
        Map<String, double[]> score = new LinkedHashMap<>();
        for (RunResult r : results) {
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            score.put(name, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                    alloc == null ? Double.NaN : alloc.getScore() / (1024 * 1024)});
        }
        System.out.println();
        System.out.println("== Warden benchmark summary (10k listeners + 10k ACL lines; lower is better) ==");
        System.out.printf(Locale.ROOT, "%-26s %12s %12s %14s%n", "benchmark", "ms/op", "± (99.9%)", "MiB alloc/op");
        for (Map.Entry<String, double[]> e : score.entrySet()) {
            System.out.printf(Locale.ROOT, "%-26s %12.3f %12.3f %14.1f%n", e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[2]);
        }
        ratio(score, "compileBuiltinPack", "compilePeerParseOnly");
        ratio(score, "collectMosquitto", "collectPeerTokenizeOnly");
    }

    private static void ratio(Map<String, double[]> s, String a, String peer) {
        if (s.containsKey(a) && s.containsKey(peer)) {
            System.out.printf(Locale.ROOT, "ratio %s / %s = %.2fx time, %.2fx allocation%n", a, peer,
                    s.get(a)[0] / s.get(peer)[0], s.get(a)[2] / s.get(peer)[2]);
        }
    }
}
