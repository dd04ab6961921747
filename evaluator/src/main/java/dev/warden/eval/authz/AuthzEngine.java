package dev.warden.eval.authz;

import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.dsl.ir.AuthzPolicy.Action;
import dev.warden.dsl.ir.AuthzPolicy.Rule;
import dev.warden.eval.Conditions;
import dev.warden.eval.authz.Decision.Kind;
import dev.warden.eval.authz.Decision.Reason;
import dev.warden.model.Origin;
import dev.warden.model.fact.Value;
import dev.warden.model.types.TopicFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One {@code authorize} block compiled for enforcement: immutable tries per action plus the decisions they lead
 * to. Decisions on the hot path (publish, subscribe, receive) allocate nothing once each rule's decision has
 * been produced, and take no lock. Obtain through {@link Enforcer}; an engine with no policy denies everything.
 */
public final class AuthzEngine {

    /** Per source address: open connections and shared buckets; lives across reloads. */
    static final class IpState {
        final AtomicInteger connections = new AtomicInteger();
        final Gcra publish = new Gcra();
        final Gcra bytes = new Gcra();
    }

    private final AuthzPolicy policy;
    private final String name;
    private final Map<String, Value> params;
    private final long[] unconditional;
    private final TopicTrie pubAllow, pubAll, subAllow, recvAllow, readDeny;
    /** Per rule: an allow rule (for the combined publish walk over the node trie). */
    private final boolean[] allowFlags;
    /** {@link #pubAll} laid out flat for the publish hot path. */
    private final FlatTrie pubFlat;
    /**
     * Whether {@link #pubFlat} is usable: built, and every rule's QoS range lies within 0..2 (so its QoS flags describe
     * the rules exactly); otherwise publish walks {@link #pubAll}.
     */
    private final boolean flatExact;
    /** {@code limit payload} in bytes, {@link Long#MAX_VALUE} when absent. */
    private final long payloadLimit;
    /** Distinct per-client rule masks, shared by the bindings that have them (bounded; see {@link #intern}). */
    private final java.util.concurrent.ConcurrentHashMap<MaskKey, long[]> masks = new java.util.concurrent.ConcurrentHashMap<>();
    static final int MAX_INTERNED_MASKS = 4096;
    private final Decision[][] byRule;
    private final Decision[] noMatch = new Decision[4], invalid = new Decision[4], refused = new Decision[4], noPolicy = new Decision[4];
    private final Decision connectAllowed, connectNoPolicy, connectionLimit, payloadTooLarge;
    private final Decision ratePubClient, rateBytesClient, ratePubIp, rateBytesIp;
    /** Whether any rate limit exists (the clock is read only then). */
    private final boolean hasRates;
    private final Decision[] connectRefused;
    private final Decision[][] refusedBy;
    private final TopicTrie.RuleFilter active, admits;
    private final String noPolicyReason;

    private static final int ALLOW = 0, DENY_PUB = 1, DENY_SUB = 2, DENY_RECV = 3, QOS_PUB = 4, QOS_SUB = 5, RETAIN = 6, ALLOW_RECV = 7;

    /** This engine's counting generation (null: decisions are not counted); retired when another engine replaces it. */
    private final Metrics.Generation generation;

    private Decision dec(boolean allowed, Kind kind, Reason reason, String policy, int rule, Origin origin, String source, boolean disconnect, String detail) {
        return new Decision(allowed, kind, reason, policy, rule, origin, source, disconnect, detail, generation);
    }

    private AuthzEngine(AuthzPolicy policy, Map<String, Value> params, String noPolicyReason, Metrics metrics) {
        this.generation = metrics == null ? null : metrics.generation();
        this.policy = policy;
        this.noPolicyReason = noPolicyReason;
        this.name = policy == null ? "" : policy.name();
        this.params = params == null ? Map.of() : Map.copyOf(params);
        for (Kind k : Kind.values()) {
            String what = k.name().toLowerCase(java.util.Locale.ROOT);
            noMatch[k.ordinal()] = dec(false, k, Reason.NO_MATCHING_RULE, name, -1, Origin.NONE, "", false,
                    "no allow rule matches (default deny)");
            invalid[k.ordinal()] = dec(false, k, Reason.INVALID_TOPIC, name, -1, Origin.NONE, "", false,
                    "not a valid MQTT " + (k == Kind.SUBSCRIBE ? "topic filter" : "topic name"));
            refused[k.ordinal()] = dec(false, k, Reason.CONNECT_REFUSED, name, -1, Origin.NONE, "", false,
                    "the client was refused at connect");
            noPolicy[k.ordinal()] = dec(false, k, Reason.NO_POLICY, name, -1, Origin.NONE, "", false,
                    "no valid policy is loaded (" + (noPolicyReason == null ? "" : noPolicyReason) + "); every " + what + " is denied");
        }
        connectNoPolicy = noPolicy[Kind.CONNECT.ordinal()];
        if (policy == null) {
            unconditional = new long[0];
            pubAllow = pubAll = subAllow = recvAllow = readDeny = null;
            allowFlags = new boolean[0];
            pubFlat = null;
            flatExact = false;
            payloadLimit = Long.MAX_VALUE;
            byRule = new Decision[0][];
            connectAllowed = connectionLimit = payloadTooLarge = connectNoPolicy;
            ratePubClient = rateBytesClient = ratePubIp = rateBytesIp = connectNoPolicy;
            hasRates = false;
            connectRefused = new Decision[0];
            refusedBy = new Decision[4][0];
            active = admits = (r, b, q, t) -> false;
            return;
        }
        List<Rule> rules = policy.rules();
        int n = rules.size();
        unconditional = new long[(n + 63) >>> 6];
        for (Rule r : rules) if (r.when().isEmpty()) unconditional[r.index() >>> 6] |= 1L << r.index();
        pubAllow = trie(rules, r -> r.allow() && r.action() == Action.PUBLISH);
        pubAll = trie(rules, r -> r.action() == Action.PUBLISH);
        allowFlags = new boolean[n];
        for (Rule r : rules) allowFlags[r.index()] = r.allow();
        int[] flags = new int[n];
        boolean exact = true;
        for (Rule r : rules) {
            flags[r.index()] = FlatTrie.flags(r);
            exact &= r.qosMin() >= 0 && r.qosMax() <= 2;
        }
        FlatTrie ft;
        try {
            ft = new FlatTrie(pubAll.root(), flags);
        } catch (IllegalArgumentException tooLong) {
            ft = null;
        }
        pubFlat = ft;
        flatExact = exact && ft != null;
        payloadLimit = policy.limits().payloadBytes().orElse(Long.MAX_VALUE);
        subAllow = trie(rules, r -> r.allow() && r.action() == Action.SUBSCRIBE);
        recvAllow = trie(rules, r -> r.allow() && r.action() != Action.PUBLISH);
        readDeny = trie(rules, r -> !r.allow() && r.action() != Action.PUBLISH);
        byRule = new Decision[8][n];
        connectAllowed = dec(true, Kind.CONNECT, Reason.CONNECT_ALLOWED, name, -1, policy.origin(), "", false,
                "the client passes the " + policy.connectRules().size() + " connect rule(s) of `" + name + "`");
        Origin conn = policy.limits().connectionsOrigin().orElse(policy.origin());
        connectionLimit = dec(false, Kind.CONNECT, Reason.CONNECTION_LIMIT, name, -1, conn, "", false,
                "too many connections from this address (limit " + policy.limits().connectionsPerIp().orElse(0) + ")");
        Origin pay = policy.limits().payloadOrigin().orElse(policy.origin());
        payloadTooLarge = dec(false, Kind.PUBLISH, Reason.PAYLOAD_TOO_LARGE, name, -1, pay, "", false,
                "payload larger than " + policy.limits().payloadBytes().orElse(0L) + " bytes");
        AuthzPolicy.Limits lim = policy.limits();
        ratePubClient = rateDecision(lim.publishPerClient(), "messages per client");
        rateBytesClient = rateDecision(lim.bytesPerClient(), "payload bytes per client");
        ratePubIp = rateDecision(lim.publishPerIp(), "messages per address");
        rateBytesIp = rateDecision(lim.bytesPerIp(), "payload bytes per address");
        hasRates = lim.publishPerClient().isPresent() || lim.bytesPerClient().isPresent() || lim.publishPerIp().isPresent()
                || lim.bytesPerIp().isPresent();
        connectRefused = new Decision[policy.connectRules().size()];
        refusedBy = new Decision[4][policy.connectRules().size()];
        for (AuthzPolicy.ConnectRule c : policy.connectRules()) {
            String why = c.message().isEmpty() ? "connect rule `" + (c.forbid() ? "forbid " : "require ") + c.source() + "` does not hold" : c.message();
            String src = (c.forbid() ? "connect forbid " : "connect require ") + c.source();
            connectRefused[c.index()] = dec(false, Kind.CONNECT, Reason.CONNECT_REFUSED, name, c.index(), c.origin(), src, false, why);
            for (Kind k : List.of(Kind.PUBLISH, Kind.SUBSCRIBE, Kind.RECEIVE)) {
                refusedBy[k.ordinal()][c.index()] = dec(false, k, Reason.CONNECT_REFUSED, name, c.index(), c.origin(), src, false,
                        "the client does not pass the connect rules: " + why);
            }
        }
        active = (r, b, q, t) -> b.active(r);
        admits = (r, b, q, t) -> b.active(r) && rules.get(r).admits(q, t);
    }

    private static TopicTrie trie(List<Rule> rules, java.util.function.Predicate<Rule> p) {
        List<Integer> idx = new ArrayList<>();
        List<TopicFilter> pats = new ArrayList<>();
        for (Rule r : rules) if (p.test(r)) {
            idx.add(r.index());
            pats.add(r.pattern());
        }
        return new TopicTrie(idx, pats);
    }

    /** An engine for one compiled block; {@code params} are the policy set's param values by key. */
    public static AuthzEngine of(AuthzPolicy policy, Map<String, Value> params) {
        return of(policy, params, null);
    }

    /** This engine is no longer in force: what its decisions counted moves to the counters shared across reloads. */
    void retire() {
        if (generation != null) generation.retire();
    }

    /** As {@link #of(AuthzPolicy, Map)}, counting every decision in {@code metrics}. */
    public static AuthzEngine of(AuthzPolicy policy, Map<String, Value> params, Metrics metrics) {
        return new AuthzEngine(java.util.Objects.requireNonNull(policy), params, null, metrics);
    }

    /** An engine that denies everything, saying why. */
    public static AuthzEngine denyAll(String reason, Metrics metrics) {
        return new AuthzEngine(null, Map.of(), reason, metrics);
    }

    /** The block enforced; null for a deny-all engine. */
    public AuthzPolicy policy() { return policy; }

    public boolean hasPolicy() { return policy != null; }

    // ------------------------------------------------------------------ connect

    /** Evaluates the connect rules and {@code when} conditions for a client (not on the hot path). */
    Session.Binding bind(ClientInfo c, IpState ip) {
        String[] values = {c.id(), c.username(), c.certCn()};
        if (policy == null) return new Session.Binding(this, new long[0], values, connectNoPolicy, ip);
        Map<String, Value> roots = Map.of("client", c.fact());
        Decision connect = connectAllowed;
        for (AuthzPolicy.ConnectRule r : policy.connectRules()) {
            Value v = Conditions.eval(r.condition(), policy.slots(), params, roots);
            boolean pass = r.forbid() ? Conditions.isFalse(v) : Conditions.isTrue(v);
            if (!pass) {
                connect = connectRefused[r.index()];
                break;
            }
        }
        long[] mask = unconditional.clone();
        for (Rule r : policy.rules()) {
            if (r.when().isEmpty()) continue;
            Value v = Conditions.eval(r.when().get(), policy.slots(), params, roots);
            // fail closed: an allow needs a true condition; a deny applies unless its condition is known false
            boolean on = r.allow() ? Conditions.isTrue(v) : !Conditions.isFalse(v);
            if (on) mask[r.index() >>> 6] |= 1L << r.index();
        }
        // a rule whose template names a value the client lacks (or one that cannot be a single topic level)
        // matches nothing for this client
        for (Rule r : policy.rules()) {
            for (String v : r.pattern().variables()) {
                String val = values[TopicTrie.slot(v)];
                if (val == null || val.indexOf('/') >= 0 || val.indexOf('+') >= 0 || val.indexOf('#') >= 0) {
                    mask[r.index() >>> 6] &= ~(1L << r.index());
                }
            }
        }
        return new Session.Binding(this, intern(mask), values, connect, ip);
    }

    /** Equal masks as content of a hash key. */
    private record MaskKey(long[] mask, int hash) {
        MaskKey(long[] mask) { this(mask, java.util.Arrays.hashCode(mask)); }

        @Override public boolean equals(Object o) { return o instanceof MaskKey k && k.hash == hash && java.util.Arrays.equals(k.mask, mask); }

        @Override public int hashCode() { return hash; }
    }

    /**
     * One shared array per distinct mask (the unconditional mask itself in the common case), so that decisions for
     * many clients read a few hot bitmaps instead of one cold copy each. Masks are never written after binding.
     * Past {@link #MAX_INTERNED_MASKS} distinct masks a new one is kept as it is.
     */
    private long[] intern(long[] mask) {
        if (java.util.Arrays.equals(mask, unconditional)) return unconditional;
        MaskKey k = new MaskKey(mask);
        long[] m = masks.get(k);
        if (m != null) return m;
        if (masks.size() >= MAX_INTERNED_MASKS) return mask;
        m = masks.putIfAbsent(k, mask);
        return m != null ? m : mask;
    }

    Decision connectionLimitDecision() { return connectionLimit; }

    /** What a client refused at connect gets for everything else: the connect rule that refused it, when known. */
    private Decision refused(Kind k, Decision connect) {
        if (connect.reason() == Reason.CONNECT_REFUSED && connect.rule() >= 0 && connect.rule() < refusedBy[k.ordinal()].length
                && connect == connectRefused[connect.rule()]) {
            return refusedBy[k.ordinal()][connect.rule()];
        }
        return refused[k.ordinal()];
    }

    // ------------------------------------------------------------------ hot path

    private Decision rule(int slot, int rule) {
        Decision d = byRule[slot][rule];
        if (d != null) return d;
        Rule r = policy.rules().get(rule);
        d = switch (slot) {
            case ALLOW -> Decision.ofRule(true, r.action() == Action.PUBLISH ? Kind.PUBLISH : Kind.SUBSCRIBE, Reason.ALLOWED_BY_RULE, name, r, generation, "matched allow rule");
            case ALLOW_RECV -> Decision.ofRule(true, Kind.RECEIVE, Reason.ALLOWED_BY_RULE, name, r, generation, "matched allow rule");
            case DENY_PUB -> Decision.ofRule(false, Kind.PUBLISH, Reason.DENIED_BY_RULE, name, r, generation, "matched deny rule");
            case DENY_SUB -> Decision.ofRule(false, Kind.SUBSCRIBE, Reason.DENIED_BY_RULE, name, r, generation, "the filter overlaps a deny rule");
            case DENY_RECV -> Decision.ofRule(false, Kind.RECEIVE, Reason.DENIED_BY_RULE, name, r, generation, "matched deny rule");
            case QOS_PUB, QOS_SUB -> Decision.ofRule(false, slot == QOS_PUB ? Kind.PUBLISH : Kind.SUBSCRIBE, Reason.QOS_NOT_ALLOWED, name, r, generation,
                    "the matching rule admits QoS " + r.qosMin() + (r.qosMin() == r.qosMax() ? "" : ".." + r.qosMax()) + " only");
            default -> Decision.ofRule(false, Kind.PUBLISH, Reason.RETAIN_NOT_ALLOWED, name, r, generation, "the matching rule does not admit retained messages");
        };
        byRule[slot][rule] = d; // racy but safe: Decision is immutable with final fields
        return d;
    }

    Decision publish(Session s, Session.Binding b, String topic, int qos, boolean retain, int payloadBytes, java.util.function.LongSupplier clock) {
        return publish(s, b, topic, qos, retain, payloadBytes, clock, true);
    }

    Decision publish(Session s, Session.Binding b, String topic, int qos, boolean retain, int payloadBytes, java.util.function.LongSupplier clock,
                     boolean charge) {
        if (policy == null) return noPolicy[Kind.PUBLISH.ordinal()];
        if (b.connect != connectAllowed) return refused(Kind.PUBLISH, b.connect);
        if (!Topics.validName(topic)) return invalid[Kind.PUBLISH.ordinal()];
        boolean flat = flatExact && qos >= 0 && qos <= 2;
        // one walk: lowest deny, lowest admitting allow
        long both = flat ? pubFlat.matchBoth(topic, b, FlatTrie.need(qos, retain)) : pubAll.matchBoth(topic, b, allowFlags, admits, qos, retain);
        int d = TopicTrie.high(both);
        if (d != TopicTrie.NONE) return rule(DENY_PUB, d);
        int a = TopicTrie.low(both);
        if (a == TopicTrie.NONE) {
            // the lowest active allow rule matching the topic whatever it admits (no deny matched, so only the low half counts)
            int m = flat ? TopicTrie.low(pubFlat.matchBoth(topic, b, FlatTrie.ALLOW)) : pubAllow.covering(topic, 0, b, active, qos, retain);
            if (m == TopicTrie.NONE) return noMatch[Kind.PUBLISH.ordinal()];
            Rule r = policy.rules().get(m);
            return rule(qos < r.qosMin() || qos > r.qosMax() ? QOS_PUB : RETAIN, m);
        }
        if (payloadBytes > payloadLimit) return payloadTooLarge;
        Decision rate = charge && hasRates ? rates(s, b, payloadBytes, clock.getAsLong()) : null;
        return rate != null ? rate : rule(ALLOW, a);
    }

    /** Takes one message of {@code bytes} from the rate limits; null when within them. */
    Decision charge(Session s, Session.Binding b, int bytes, java.util.function.LongSupplier clock) {
        return policy == null || !hasRates ? null : rates(s, b, bytes, clock.getAsLong());
    }

    private Decision rates(Session s, Session.Binding b, int bytes, long now) {
        AuthzPolicy.Limits l = policy.limits();
        if (l.publishPerClient().isPresent() && !s.publishBucket.take(l.publishPerClient().get(), 1, now)) return ratePubClient;
        if (l.bytesPerClient().isPresent() && bytes > 0 && !s.bytesBucket.take(l.bytesPerClient().get(), bytes, now)) return rateBytesClient;
        if (b.ip != null) {
            if (l.publishPerIp().isPresent() && !b.ip.publish.take(l.publishPerIp().get(), 1, now)) return ratePubIp;
            if (l.bytesPerIp().isPresent() && bytes > 0 && !b.ip.bytes.take(l.bytesPerIp().get(), bytes, now)) return rateBytesIp;
        }
        return null;
    }

    /** The decision for exceeding one limit, located at its `limit` clause. */
    private Decision rateDecision(java.util.Optional<AuthzPolicy.Rate> rate, String what) {
        if (rate.isEmpty()) return null;
        AuthzPolicy.Rate r = rate.get();
        boolean disconnect = r.onExceed() == AuthzPolicy.OnExceed.DISCONNECT;
        return dec(false, Kind.PUBLISH, Reason.RATE_LIMITED, name, -1, r.origin(), "", disconnect,
                "rate limit exceeded: " + r.amount() + " " + what + " per " + period(r.periodNanos()) + " (burst " + r.burst() + "); "
                        + (disconnect ? "client disconnected" : "message dropped"));
    }

    private static String period(long nanos) {
        return nanos == 1_000_000_000L ? "second" : nanos == 60_000_000_000L ? "minute" : "hour";
    }

    Decision subscribe(Session.Binding b, String filter, int qos) {
        if (policy == null) return noPolicy[Kind.SUBSCRIBE.ordinal()];
        if (b.connect != connectAllowed) return refused(Kind.SUBSCRIBE, b.connect);
        int from = Topics.filterStart(filter);
        if (from < 0) return invalid[Kind.SUBSCRIBE.ordinal()];
        int d = readDeny.overlapping(filter, from, b, active);
        if (d != TopicTrie.NONE) return rule(DENY_SUB, d);
        int a = subAllow.covering(filter, from, b, admits, qos, false);
        if (a != TopicTrie.NONE) return rule(ALLOW, a);
        int m = subAllow.covering(filter, from, b, active, qos, false);
        return m == TopicTrie.NONE ? noMatch[Kind.SUBSCRIBE.ordinal()] : rule(QOS_SUB, m);
    }

    Decision receive(Session.Binding b, String topic) {
        if (policy == null) return noPolicy[Kind.RECEIVE.ordinal()];
        if (b.connect != connectAllowed) return refused(Kind.RECEIVE, b.connect);
        if (!Topics.validName(topic)) return invalid[Kind.RECEIVE.ordinal()];
        int d = readDeny.covering(topic, 0, b, active, 0, false);
        if (d != TopicTrie.NONE) return rule(DENY_RECV, d);
        int a = recvAllow.covering(topic, 0, b, active, 0, false);
        return a == TopicTrie.NONE ? noMatch[Kind.RECEIVE.ordinal()] : rule(ALLOW_RECV, a);
    }

    /** Connection limit per address, or absent. */
    int connectionsPerIp() {
        return policy == null ? 0 : policy.limits().connectionsPerIp().orElse(0);
    }
}
