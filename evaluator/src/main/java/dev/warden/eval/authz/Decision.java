package dev.warden.eval.authz;

import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.model.Origin;

/**
 * The answer to one authorization question, with the rule that decided it. Instances are created when an engine
 * is built and reused for every decision, so deciding allocates nothing.
 */
public final class Decision {

    /** Why a decision came out as it did. */
    public enum Reason {
        /** An allow rule matched. */
        ALLOWED_BY_RULE,
        /** A deny rule matched. */
        DENIED_BY_RULE,
        /** No allow rule matched (default deny). */
        NO_MATCHING_RULE,
        /** An allow rule matched the topic but not the QoS. */
        QOS_NOT_ALLOWED,
        /** An allow rule matched the topic but not the retain flag. */
        RETAIN_NOT_ALLOWED,
        /** The payload is larger than {@code limit payload}. */
        PAYLOAD_TOO_LARGE,
        /** A message or byte rate limit is exhausted. */
        RATE_LIMITED,
        /** Too many connections from the client's address. */
        CONNECTION_LIMIT,
        /** A connect rule refused the client. */
        CONNECT_REFUSED,
        /** The connect rules passed. */
        CONNECT_ALLOWED,
        /** The topic or filter is not valid MQTT. */
        INVALID_TOPIC,
        /** No valid policy is loaded: everything is denied. */
        NO_POLICY
    }

    /** What the question was about. */
    public enum Kind { CONNECT, PUBLISH, SUBSCRIBE, RECEIVE }

    private final boolean allowed;
    private final Kind kind;
    private final Reason reason;
    private final String policy;
    private final int rule;
    private final Origin origin;
    private final String source;
    private final boolean disconnect;
    private final String text;
    /**
     * The metric this decision counts into, shared by every engine generation (null: not counted). Counts land in
     * {@link #hits} first, on the cache line the caller reads anyway; once two threads race for it, or once the
     * decision's engine has been retired (see {@link Metrics.Generation}), they go to the shared counter instead.
     */
    private final Metrics.Tally tally;
    final Metrics.Generation generation;
    /** Hits counted here and not yet folded into {@link #tally}; {@link #FOLDED} once folded. */
    @SuppressWarnings("unused") private long hits;
    private boolean contended;
    static final long FOLDED = Long.MIN_VALUE;
    private static final java.lang.invoke.VarHandle HITS;
    static {
        try {
            HITS = java.lang.invoke.MethodHandles.lookup().findVarHandle(Decision.class, "hits", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    Decision(boolean allowed, Kind kind, Reason reason, String policy, int rule, Origin origin, String source, boolean disconnect, String detail) {
        this(allowed, kind, reason, policy, rule, origin, source, disconnect, detail, null);
    }

    Decision(boolean allowed, Kind kind, Reason reason, String policy, int rule, Origin origin, String source, boolean disconnect, String detail,
             Metrics.Generation generation) {
        this.allowed = allowed;
        this.kind = kind;
        this.reason = reason;
        this.policy = policy;
        this.rule = rule;
        this.origin = origin == null ? Origin.NONE : origin;
        this.source = source == null ? "" : source;
        this.disconnect = disconnect;
        String where = origin == null || origin == Origin.NONE ? "" : " at " + this.origin.display();
        this.generation = generation;
        this.tally = generation == null ? null : generation.register(this, kind, allowed, reason, policy, this.origin);
        this.text = (allowed ? "allow " : "deny ") + kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + detail + where
                + (this.source.isEmpty() ? "" : " (`" + this.source + "`)");
    }

    static Decision ofRule(boolean allowed, Kind kind, Reason reason, String policy, AuthzPolicy.Rule r, Metrics.Generation g, String detail) {
        return new Decision(allowed, kind, reason, policy, r.index(), r.origin(), r.source(), false, detail, g);
    }

    /** Counts one use of this decision: lock-free, allocation-free, exact across engine reloads. */
    void count() {
        if (tally == null) return;
        if (!contended) {
            long c = (long) HITS.getOpaque(this);
            if (c >= 0 && HITS.weakCompareAndSetPlain(this, c, c + 1)) return;
            // another thread won the race: from now on this (shared) decision counts in the striped shared counter,
            // which keeps this cache line read-only for everyone who reads the decision
            if (c >= 0) contended = true;
        }
        tally.shared.increment();
    }

    /** Whether construction got as far as the shared counter (a decision is registered before that). */
    boolean counted() { return tally != null; }

    /** Hits counted locally and not yet folded (0 once folded). */
    long localHits() {
        long c = (long) HITS.getOpaque(this);
        return Math.max(c, 0);
    }

    /** Moves the local hits into the shared counter, exactly once; later hits go there directly. */
    void fold() {
        long c = (long) HITS.getAndSet(this, FOLDED);
        if (c > 0) tally.shared.add(c);
    }

    public boolean allowed() { return allowed; }

    public Kind kind() { return kind; }

    public Reason reason() { return reason; }

    /** The {@code authorize} block that decided; empty when none is loaded. */
    public String policy() { return policy; }

    /** Index of the deciding rule within its block (connect rules and topic rules are counted separately), or -1. */
    public int rule() { return rule; }

    /** Where the deciding rule or limit is written ({@link Origin#NONE} for the default deny). */
    public Origin origin() { return origin; }

    /** The deciding rule's text. */
    public String source() { return source; }

    /** Whether the broker should disconnect the client (a rate limit with {@code then disconnect}). */
    public boolean disconnect() { return disconnect; }

    /** One line a human can read, e.g. {@code deny publish: matched deny rule at p.warden:9:3 (`deny publish "x"`)}. */
    public String explain() { return text; }

    @Override public String toString() { return text; }
}
