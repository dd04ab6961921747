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

/**
 * Runs the benchmarks and prints each Warden stage next to its peer, with the ratio. The live AWS collection
 * harness is not JMH: {@code bench/run.sh} runs {@link LiveCollectionHarness} after this, with a pinned heap.
 */
public final class BenchMain {
    private BenchMain() {}

    public static void main(String[] args) throws RunnerException {
        boolean quick = args.length > 0 && args[0].equals("--quick");
        String only = args.length > 1 ? args[1] : (args.length == 1 && !quick ? args[0] : null);
        ChainedOptionsBuilder b = new OptionsBuilder().include(only != null ? only : "ScanBenchmarks|AwsBenchmarks|AuthzBenchmarks").shouldFailOnError(true)
                .addProfiler(GCProfiler.class);
        if (quick) b = b.warmupIterations(1).measurementIterations(2).warmupTime(TimeValue.seconds(1)).measurementTime(TimeValue.seconds(1));
        Collection<RunResult> results = new Runner(b.build()).run();
        Map<String, double[]> score = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        for (RunResult r : results) {
            if (r.getParams().getBenchmark().contains("AuthzBenchmarks")) continue; // own summary, per rule-set size
            String name = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            if (r.getParams().getParamsKeys().contains("documents")) name += "[" + r.getParams().getParam("documents") + "]";
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            score.put(name, new double[] {r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError(),
                    alloc == null ? Double.NaN : alloc.getScore() / (1024 * 1024)});
            units.put(name, r.getPrimaryResult().getScoreUnit());
        }
        System.out.println();
        System.out.println("== Warden benchmark summary (mosquitto: 10k listeners + 10k ACL lines; AWS: 100k IoT policies + 50k security groups; lower is better) ==");
        System.out.printf(Locale.ROOT, "%-32s %12s %12s %8s %14s%n", "benchmark", "score", "± (99.9%)", "unit", "MiB alloc/op");
        for (Map.Entry<String, double[]> e : score.entrySet()) {
            System.out.printf(Locale.ROOT, "%-32s %12.3f %12.3f %8s %14.3f%n", e.getKey(), e.getValue()[0], e.getValue()[1], units.get(e.getKey()), e.getValue()[2]);
        }
        ratio(score, "compileBuiltinPack", "compilePeerParseOnly");
        ratio(score, "collectMosquitto", "collectPeerTokenizeOnly");
        ratio(score, "awsSnapshotToFacts[templated]", "awsPeerJsonParse[templated]");
        ratio(score, "awsSnapshotToFacts[unique]", "awsPeerJsonParse[unique]");
        AuthzBenchmarks.summary(results);
    }

    private static void ratio(Map<String, double[]> s, String a, String peer) {
        if (s.containsKey(a) && s.containsKey(peer)) {
            System.out.printf(Locale.ROOT, "ratio %s / %s = %.2fx time, %.2fx allocation%n", a, peer,
                    s.get(a)[0] / s.get(peer)[0], s.get(a)[2] / s.get(peer)[2]);
        }
    }
}
