package dev.warden.dsl.ir;

import dev.warden.model.Origin;
import dev.warden.model.types.TopicFilter;

import java.util.List;
import java.util.Optional;

/** One compiled {@code authorize} block: connect checks, topic rules and limits; immutable. */
public record AuthzPolicy(String name, String title, Origin origin, int slots, List<ConnectRule> connectRules,
                          List<Rule> rules, Limits limits) {
    public AuthzPolicy {
        connectRules = List.copyOf(connectRules);
        rules = List.copyOf(rules);
    }

    /** What a topic rule governs. */
    public enum Action {
        PUBLISH, SUBSCRIBE, RECEIVE;

        public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
    }

    /** {@code connect require|forbid condition}: every require must be true and every forbid false. */
    public record ConnectRule(int index, boolean forbid, Node condition, String message, String source, Origin origin) {}

    /**
     * {@code allow|deny action "pattern"}; {@code qosMin..qosMax} and {@code retain} (absent: any) restrict an
     * allow; {@code when} is a client-only condition evaluated at connect.
     */
    public record Rule(int index, boolean allow, Action action, TopicFilter pattern, int qosMin, int qosMax,
                       Optional<Boolean> retain, Optional<Node> when, String source, Origin origin) {

        /** Whether this allow rule admits a publish/subscribe with the given QoS and retain flag. */
        public boolean admits(int qos, boolean retained) {
            return qos >= qosMin && qos <= qosMax && (retain.isEmpty() || !retained || retain.get());
        }
    }

    /** What happens when a rate limit is exceeded. */
    public enum OnExceed { THROTTLE, DISCONNECT }

    /** A token-bucket rate: {@code amount} units per {@code periodNanos}, up to {@code burst} units at once. */
    public record Rate(long amount, long periodNanos, long burst, OnExceed onExceed, Origin origin) {
        /** Units per second. */
        public double perSecond() { return amount * 1e9 / periodNanos; }
    }

    /** The limits of a block; each absent when not written. */
    public record Limits(Optional<Long> payloadBytes, Optional<Origin> payloadOrigin, Optional<Rate> publishPerClient,
                         Optional<Rate> bytesPerClient, Optional<Rate> publishPerIp, Optional<Rate> bytesPerIp,
                         Optional<Integer> connectionsPerIp, Optional<Origin> connectionsOrigin) {
        public static final Limits NONE = new Limits(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
