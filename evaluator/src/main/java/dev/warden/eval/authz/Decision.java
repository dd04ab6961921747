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
    final java.util.concurrent.atomic.LongAdder counter;

    Decision(boolean allowed, Kind kind, Reason reason, String policy, int rule, Origin origin, String source, boolean disconnect, String detail) {
        this(allowed, kind, reason, policy, rule, origin, source, disconnect, detail, null);
    }

    Decision(boolean allowed, Kind kind, Reason reason, String policy, int rule, Origin origin, String source, boolean disconnect, String detail,
             Metrics metrics) {
        this.allowed = allowed;
        this.kind = kind;
        this.reason = reason;
        this.policy = policy;
        this.rule = rule;
        this.origin = origin == null ? Origin.NONE : origin;
        this.source = source == null ? "" : source;
        this.disconnect = disconnect;
        String where = origin == null || origin == Origin.NONE ? "" : " at " + this.origin.display();
        this.counter = metrics == null ? null : metrics.counter(kind, allowed, reason, policy, this.origin);
        this.text = (allowed ? "allow " : "deny ") + kind.name().toLowerCase(java.util.Locale.ROOT) + ": " + detail + where
                + (this.source.isEmpty() ? "" : " (`" + this.source + "`)");
    }

    static Decision ofRule(boolean allowed, Kind kind, Reason reason, String policy, AuthzPolicy.Rule r, Metrics m, String detail) {
        return new Decision(allowed, kind, reason, policy, r.index(), r.origin(), r.source(), false, detail, m);
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
