package dev.warden.eval.authz;

import dev.warden.model.Origin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Enforcement counters, rendered in the Prometheus text exposition format: decisions by action, result, reason
 * and rule; rate-limit drops are decisions with reason {@code rate_limited}; reloads and reload failures; dropped
 * decision-log lines. Counters survive policy reloads (labels name the rule by its file:line).
 */
public final class Metrics {
    private final Map<String, Tally> decisions = new ConcurrentHashMap<>();
    final LongAdder reloads = new LongAdder();
    final LongAdder reloadFailures = new LongAdder();
    final LongAdder logDropped = new LongAdder();
    volatile boolean policyLoaded;

    /**
     * One {@code warden_decisions_total} series. Its count is {@link #shared} plus the hits still held by the
     * decisions of engines that are in force (see {@link Decision#count()}); a retired engine's decisions are folded
     * into {@link #shared}, so the series stays exact across reloads.
     */
    static final class Tally {
        final LongAdder shared = new LongAdder();
        /** Decisions holding local hits; guarded by the owning {@link Metrics}. */
        private final List<Decision> local = new ArrayList<>();
    }

    /** The decisions of one engine: counted locally until the engine is retired. */
    final class Generation {
        private volatile boolean retired;

        Tally register(Decision d, Decision.Kind kind, boolean allowed, Decision.Reason reason, String policy, Origin rule) {
            String labels = "action=\"" + kind.name().toLowerCase(Locale.ROOT) + "\",result=\"" + (allowed ? "allow" : "deny")
                    + "\",reason=\"" + reason.name().toLowerCase(Locale.ROOT) + "\",policy=\"" + esc(policy) + "\",rule=\""
                    + esc(rule == null || rule == Origin.NONE ? "" : rule.display()) + "\"";
            Tally t = decisions.computeIfAbsent(labels, k -> new Tally());
            synchronized (Metrics.this) {
                t.local.add(d);
            }
            return t;
        }

        boolean retired() { return retired; }

        /** The engine is no longer in force: its decisions' local hits move to the shared counters. */
        void retire() {
            retired = true;
            fold();
        }
    }

    /** A counting generation for a new engine. */
    Generation generation() { return new Generation(); }

    /** Folds the decisions of retired engines (those constructed far enough to be counted). */
    private synchronized void fold() {
        for (Tally t : decisions.values()) {
            t.local.removeIf(d -> {
                if (!d.generation.retired() || !d.counted()) return false;
                d.fold();
                return true;
            });
        }
    }

    private synchronized long sum(Tally t) {
        long n = t.shared.sum();
        for (Decision d : t.local) n += d.localHits();
        return n;
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** Total decisions counted with the given result and reason (any action, policy, rule). */
    public long count(boolean allowed, Decision.Reason reason) {
        String r = "result=\"" + (allowed ? "allow" : "deny") + "\",reason=\"" + reason.name().toLowerCase(Locale.ROOT) + "\"";
        return decisions.entrySet().stream().filter(e -> e.getKey().contains(r)).mapToLong(e -> sum(e.getValue())).sum();
    }

    public long reloads() { return reloads.sum(); }

    public long reloadFailures() { return reloadFailures.sum(); }

    /** The Prometheus text format (version 0.0.4). */
    public String prometheus() {
        StringBuilder b = new StringBuilder();
        b.append("# HELP warden_decisions_total Authorization decisions by action, result, reason and deciding rule.\n");
        b.append("# TYPE warden_decisions_total counter\n");
        List<String> keys = new ArrayList<>(decisions.keySet());
        keys.sort(null);
        for (String k : keys) {
            long v = sum(decisions.get(k));
            if (v > 0) b.append("warden_decisions_total{").append(k).append("} ").append(v).append('\n');
        }
        counter(b, "warden_policy_reloads_total", "Successful policy reloads.", reloads.sum());
        counter(b, "warden_policy_reload_failures_total", "Policy reloads rejected; the last good policy stays in force.", reloadFailures.sum());
        counter(b, "warden_decision_log_dropped_total", "Decision-log lines dropped because the log queue was full.", logDropped.sum());
        b.append("# HELP warden_policy_loaded Whether a valid policy is enforced (0: everything is denied).\n");
        b.append("# TYPE warden_policy_loaded gauge\n");
        b.append("warden_policy_loaded ").append(policyLoaded ? 1 : 0).append('\n');
        return b.toString();
    }

    private static void counter(StringBuilder b, String name, String help, long v) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" counter\n");
        b.append(name).append(' ').append(v).append('\n');
    }
}
