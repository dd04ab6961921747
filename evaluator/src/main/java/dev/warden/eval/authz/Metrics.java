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
    private final Map<String, LongAdder> decisions = new ConcurrentHashMap<>();
    final LongAdder reloads = new LongAdder();
    final LongAdder reloadFailures = new LongAdder();
    final LongAdder logDropped = new LongAdder();
    volatile boolean policyLoaded;

    LongAdder counter(Decision.Kind kind, boolean allowed, Decision.Reason reason, String policy, Origin rule) {
        String labels = "action=\"" + kind.name().toLowerCase(Locale.ROOT) + "\",result=\"" + (allowed ? "allow" : "deny")
                + "\",reason=\"" + reason.name().toLowerCase(Locale.ROOT) + "\",policy=\"" + esc(policy) + "\",rule=\""
                + esc(rule == null || rule == Origin.NONE ? "" : rule.display()) + "\"";
        return decisions.computeIfAbsent(labels, k -> new LongAdder());
    }

    private static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** Total decisions counted with the given result and reason (any action, policy, rule). */
    public long count(boolean allowed, Decision.Reason reason) {
        String r = "result=\"" + (allowed ? "allow" : "deny") + "\",reason=\"" + reason.name().toLowerCase(Locale.ROOT) + "\"";
        return decisions.entrySet().stream().filter(e -> e.getKey().contains(r)).mapToLong(e -> e.getValue().sum()).sum();
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
            long v = decisions.get(k).sum();
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
