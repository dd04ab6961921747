package dev.warden.mosquitto.target;

/** Stable diagnostic codes of the mosquitto compile target (documented in docs/mosquitto-target.md). */
public final class Codes {
    private Codes() {}

    /** An option is invalid; nothing is generated. */
    public static final String BAD_OPTION = "target.mosquitto.bad_option";
    /** A publish/bytes rate limit: mosquitto has no rate limits. */
    public static final String RATE_LIMIT = "target.mosquitto.rate_limit_unenforceable";
    /** {@code limit connections per ip}: mosquitto limits connections per listener only. */
    public static final String CONNECTION_LIMIT = "target.mosquitto.connection_limit_unenforceable";
    /** A per-rule QoS range that the listener's {@code max_qos} does not express. */
    public static final String QOS = "target.mosquitto.qos_unenforceable";
    /** {@code retain false} on some publish rules only ({@code retain_available} is global). */
    public static final String RETAIN = "target.mosquitto.retain_unenforceable";
    /** A {@code when} condition other than username equality; the allow rule is left out (fail closed). */
    public static final String CONDITION = "target.mosquitto.condition_unenforceable";
    /** {@code allow receive}: mosquitto grants {@code read}, which also lets the client subscribe to the topics. */
    public static final String RECEIVE = "target.mosquitto.receive_is_subscribe";
    /** mosquitto's acl_file never refuses a SUBSCRIBE; it filters messages at delivery. */
    public static final String SUBSCRIBE = "target.mosquitto.subscribe_not_refused";
    /** A topic pattern mosquitto cannot express (e.g. {@code ${cert.cn}} without use_identity_as_username); the allow rule is left out. */
    public static final String TOPIC = "target.mosquitto.topic_unrepresentable";
    /** A deny emitted for more topics or more clients than written (fail closed). */
    public static final String DENY_WIDENED = "target.mosquitto.deny_widened";
    /** A mosquitto {@code deny} blocks both publishing and receiving. */
    public static final String DENY_BOTH = "target.mosquitto.deny_blocks_both_directions";
    /** A connect rule mosquitto cannot check; clients it would refuse are admitted. */
    public static final String CONNECT = "target.mosquitto.connect_rule_unenforceable";
    /** A connect rule mosquitto enforces by a setting that behaves differently (e.g. rewriting the client id). */
    public static final String CONNECT_REWRITTEN = "target.mosquitto.connect_rule_rewritten";
    /** {@code limit payload}: the exact payload bound and the derived packet-size bound. */
    public static final String PAYLOAD = "target.mosquitto.payload_limit";
    /** {@code max_qos} / {@code retain_available false}: violating clients are disconnected, not just refused. */
    public static final String DISCONNECTS = "target.mosquitto.violation_disconnects";
    /** {@code allow_anonymous false} refuses clients without a user name, which the policy admits (fail closed). */
    public static final String ANONYMOUS_REFUSED = "target.mosquitto.anonymous_refused";
    /** mosquitto 2.0 substitutes {@code %c}/{@code %u} as text: a client id or username containing {@code /} spans levels. */
    public static final String VARIABLE_SPANS_LEVELS = "target.mosquitto.variable_spans_levels";
}
