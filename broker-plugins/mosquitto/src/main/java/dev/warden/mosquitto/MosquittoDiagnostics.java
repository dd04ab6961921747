package dev.warden.mosquitto;

/** The stable codes of every diagnostic the mosquitto reader raises. */
public final class MosquittoDiagnostics {
    private MosquittoDiagnostics() {}

    /** A directive mosquitto does not know (mosquitto refuses to start). */
    public static final String UNKNOWN_DIRECTIVE = "mosquitto.unknown_directive";
    /** A directive the configured broker version does not know yet (e.g. a 2.1 directive for 2.0). */
    public static final String UNSUPPORTED_DIRECTIVE = "mosquitto.unsupported_directive";
    /** A directive without its value. */
    public static final String MISSING_ARGUMENT = "mosquitto.missing_argument";
    /** A value mosquitto rejects, or reads differently from what was written. */
    public static final String BAD_VALUE = "mosquitto.bad_value";
    /** A single-valued setting given twice in the same scope (mosquitto refuses to start). */
    public static final String DUPLICATE_VALUE = "mosquitto.duplicate_value";
    /** A directive in a place where mosquitto does not accept it (bridge option without `connection`, ...). */
    public static final String MISPLACED_DIRECTIVE = "mosquitto.misplaced_directive";
    /** A setting that is accepted but has no effect. */
    public static final String IGNORED_SETTING = "mosquitto.ignored_setting";
    /** Settings before the first `listener` line that make mosquitto open a default listener on every interface. */
    public static final String IMPLICIT_DEFAULT_LISTENER = "mosquitto.implicit_default_listener";
    /** Only one of `certfile`/`keyfile`: the listener stays plaintext. */
    public static final String INCOMPLETE_TLS = "mosquitto.incomplete_tls";
    /** A value that is valid but probably not what was meant (e.g. a trailing `# comment` inside a path). */
    public static final String SUSPICIOUS_VALUE = "mosquitto.suspicious_value";
    /** Two listeners on the same port and address (mosquitto fails to bind the second). */
    public static final String DUPLICATE_LISTENER = "mosquitto.duplicate_listener";
    /** A deprecated directive that mosquitto still honours. */
    public static final String DEPRECATED = "mosquitto.deprecated";
    /** An `include_dir` that does not exist or cannot be listed. */
    public static final String MISSING_INCLUDE = "mosquitto.missing_include";
    /** A configuration or ACL file that does not exist. */
    public static final String MISSING_FILE = "mosquitto.missing_file";
    /** A configuration or ACL file that exists but cannot be read. */
    public static final String UNREADABLE_FILE = "mosquitto.unreadable_file";
    /** A line that is not valid UTF-8. */
    public static final String BAD_ENCODING = "mosquitto.bad_encoding";
    /** A `--mosquitto-version` value that is not a version. */
    public static final String BAD_VERSION = "mosquitto.bad_version";
    /** Running `mosquitto -h` did not tell the version. */
    public static final String VERSION_PROBE_FAILED = "mosquitto.version_probe_failed";
    /** An ACL file line mosquitto rejects. */
    public static final String ACL_BAD_LINE = "mosquitto.acl.bad_line";
    /** An ACL topic mosquitto rejects. */
    public static final String ACL_BAD_TOPIC = "mosquitto.acl.bad_topic";
    /** An ACL topic mosquitto accepts but Warden cannot represent as a topic filter (its fact is unknown). */
    public static final String ACL_UNREPRESENTABLE_TOPIC = "mosquitto.acl.unrepresentable_topic";
}
