package dev.warden.bench;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.eval.authz.ClientInfo;
import dev.warden.eval.authz.Decision;
import dev.warden.eval.authz.Enforcer;
import dev.warden.eval.authz.Session;
import io.moquette.broker.security.ACLFileParser;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import org.casbin.jcasbin.model.Model;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

import java.io.StringReader;
import java.text.ParseException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One publish decision per operation, for rule sets of 10 to 100k templated rules, in three engines given the same
 * rules and the same request mix ({@link AuthzWorkload}): Warden's {@link Enforcer}, jCasbin with a keyMatch2 +
 * keyGet2 model, and Moquette's ACL-file authorizator. Requests are pre-built; the measured method only picks the
 * next one.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-XX:+AlwaysPreTouch"})
public class AuthzBenchmarks {

    /** Rule-set sizes, shared by every engine state. */
    @State(Scope.Benchmark)
    public static class Size {
        @Param({"10", "1000", "10000", "100000"})
        public int rules;
        AuthzWorkload w;

        @Setup(Level.Trial)
        public void setup() { w = new AuthzWorkload(rules); }
    }

    /** Warden: the policy text compiled by PolicyCompiler and enforced by Enforcer; every client connected once. */
    @State(Scope.Benchmark)
    public static class Warden {
        Enforcer enforcer;
        Session[] sessions;
        /** Session of each request, resolved once. */
        Session[] bySession;
        String[] topics;

        /** Compiles the whole policy text through {@link Enforcer} (100k rules: a few seconds) and connects every client once. */
        @Setup(Level.Trial)
        public void setup(Size size) {
            AuthzWorkload w = size.w;
            enforcer = Enforcer.builder().sources(List.of(new PolicyCompiler.Source("bench.warden", w.wardenPolicy()))).build();
            if (!enforcer.lastReload().ok()) throw new IllegalStateException("policy did not load: " + enforcer.lastReload().message());
            sessions = new Session[AuthzWorkload.CLIENTS];
            for (int c = 0; c < sessions.length; c++) {
                sessions[c] = enforcer.connect(ClientInfo.of(w.clientIds[c], w.usernames[c], "10.0." + (c >> 8) + "." + (c & 255)));
                if (!sessions[c].connectDecision().allowed()) throw new IllegalStateException(sessions[c].connectDecision().explain());
            }
            bySession = new Session[AuthzWorkload.REQUESTS];
            for (int i = 0; i < bySession.length; i++) bySession[i] = sessions[w.requestClient[i]];
            topics = w.requestTopic;
        }

        @TearDown(Level.Trial)
        public void tearDown() { enforcer.close(); }

        /** Request {@code i}'s decision. */
        public Decision decide(int i) { return enforcer.publish(bySession[i], topics[i], 0, false, 64); }
    }

    /** jCasbin: the same rules as policy lines of {@link AuthzWorkload#CASBIN_MODEL}. */
    @State(Scope.Benchmark)
    public static class Casbin {
        org.casbin.jcasbin.main.Enforcer enforcer;
        String[] subjects;
        String[] topics;

        @Setup(Level.Trial)
        public void setup(Size size) {
            AuthzWorkload w = size.w;
            enforcer = new org.casbin.jcasbin.main.Enforcer(Model.newModelFromString(AuthzWorkload.CASBIN_MODEL));
            enforcer.enableLog(false);
            enforcer.addPolicies(w.casbinPolicies());
            subjects = new String[AuthzWorkload.REQUESTS];
            for (int i = 0; i < subjects.length; i++) subjects[i] = w.clientIds[w.requestClient[i]];
            topics = w.requestTopic;
        }

        /** Request {@code i}'s decision. */
        public boolean decide(int i) { return enforcer.enforce(subjects[i], topics[i], "publish"); }
    }

    /** Moquette 0.17: its ACL file parser and authorizator ({@code pattern write ... %c ...} lines). */
    @State(Scope.Benchmark)
    public static class Moquette {
        IAuthorizatorPolicy acl;
        String[] clients;
        String[] users;
        String[] topics;

        @Setup(Level.Trial)
        public void setup(Size size) throws ParseException {
            AuthzWorkload w = size.w;
            acl = ACLFileParser.parse(new StringReader(w.moquetteAcl()));
            clients = new String[AuthzWorkload.REQUESTS];
            users = new String[AuthzWorkload.REQUESTS];
            for (int i = 0; i < clients.length; i++) {
                clients[i] = w.clientIds[w.requestClient[i]];
                users[i] = w.usernames[w.requestClient[i]];
            }
            topics = w.requestTopic;
        }

        /** Request {@code i}'s decision; the topic string is parsed into Moquette's Topic as the broker does per PUBLISH. */
        public boolean decide(int i) { return acl.canWrite(new Topic(topics[i]), users[i], clients[i]); }
    }

    /** Per-thread position in the request mix. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        int step() { return next = (next + 1) & (AuthzWorkload.REQUESTS - 1); }
    }

    @Benchmark
    public Decision wardenPublish(Warden s, Cursor c) { return s.decide(c.step()); }

    /**
     * The measurement floor: the same cursor step and the same per-invocation timing as the other benchmarks, with no
     * decision. In sample mode its median is the timer's cost on this machine (two {@code nanoTime} reads, slow
     * under kvm-clock), to subtract when reading the other medians.
     */
    @Benchmark
    public int floor(Cursor c) { return c.step(); }

    @Benchmark
    public boolean casbinPublish(Casbin s, Cursor c) { return s.decide(c.step()); }

    @Benchmark
    public boolean moquettePublish(Moquette s, Cursor c) { return s.decide(c.step()); }

    /** Warden's decisions from two threads at once (lock-free hot path; the machine has two cores). */
    @Benchmark
    @Threads(2)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public Decision wardenPublish2Threads(Warden s, Cursor c) { return s.decide(c.step()); }

    // ------------------------------------------------------------------ summary

    /** Prints median/percentiles, throughput, allocation and the Warden/peer ratios for every rule-set size measured. */
    public static void summary(Collection<RunResult> results) {
        TreeMap<Integer, TreeMap<String, double[]>> bySize = new TreeMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            if (!bench.contains("AuthzBenchmarks")) continue;
            String name = bench.replaceAll(".*\\.", "");
            String rulesParam = r.getParams().getParam("rules");
            int rules = rulesParam == null ? 0 : Integer.parseInt(rulesParam); // 0: the floor, which has no rule set
            double[] row = bySize.computeIfAbsent(rules, k -> new TreeMap<>()).computeIfAbsent(name,
                    k -> new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN});
            Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
            Mode mode = r.getParams().getMode();
            if (mode == Mode.AverageTime) {
                row[0] = r.getPrimaryResult().getScore();
                row[1] = r.getPrimaryResult().getScoreError();
                if (alloc != null) row[5] = alloc.getScore();
            } else if (mode == Mode.SampleTime) {
                Statistics st = r.getPrimaryResult().getStatistics();
                row[2] = st.getPercentile(50);
                row[3] = st.getPercentile(99);
                if (alloc != null && Double.isNaN(row[5])) row[5] = alloc.getScore();
            } else if (mode == Mode.Throughput) {
                row[4] = r.getPrimaryResult().getScore();
                if (alloc != null) row[5] = alloc.getScore();
            }
        }
        if (bySize.isEmpty()) return;
        System.out.println();
        System.out.println("== Runtime authorization: one publish decision (" + AuthzWorkload.CLIENTS + " clients, "
                + AuthzWorkload.REQUESTS + " requests, 90% allowed; lower is better) ==");
        double[] floor = bySize.getOrDefault(0, new TreeMap<>()).get("floor");
        double timer = floor == null ? Double.NaN : floor[2];
        System.out.printf(Locale.ROOT, "%8s %-24s %14s %10s %12s %14s %12s %14s %10s%n",
                "rules", "benchmark", "avg ns/op", "±", "p50 ns", "p50-floor ns", "p99 ns", "ops/s", "B/op");
        for (var size : bySize.entrySet()) {
            for (var e : size.getValue().entrySet()) {
                double[] v = e.getValue();
                double opsPerSec = !Double.isNaN(v[4]) ? v[4] : 1e9 / v[0];
                System.out.printf(Locale.ROOT, "%8d %-24s %14.1f %10.1f %12.1f %14.1f %12.1f %14.0f %10.1f%n",
                        size.getKey(), e.getKey(), v[0], v[1], v[2], v[2] - timer, v[3], opsPerSec, v[5]);
            }
            double[] w = size.getValue().get("wardenPublish");
            for (String peer : List.of("casbinPublish", "moquettePublish")) {
                double[] p = size.getValue().get(peer);
                if (w == null || p == null) continue;
                System.out.printf(Locale.ROOT, "%8d ratio %s / wardenPublish = %.0fx (avg), %.0fx (p50)%n",
                        size.getKey(), peer, p[0] / w[0], p[2] / w[2]);
            }
        }
    }
}
