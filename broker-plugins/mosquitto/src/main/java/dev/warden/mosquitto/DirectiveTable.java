package dev.warden.mosquitto;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Every directive mosquitto 2.0 and 2.1 accept in {@code mosquitto.conf}, with where it applies and what value it
 * takes (from {@code src/conf.c} and mosquitto.conf(5)). Directives Warden turns into facts are handled by
 * {@link ConfReader}; the others are only checked the way mosquitto checks them.
 */
final class DirectiveTable {
    private DirectiveTable() {}

    /** Where a directive applies. */
    enum Scope {
        /** broker-wide */
        GLOBAL,
        /** the current listener (the default listener before the first {@code listener} line of a file) */
        LISTENER,
        /** authentication/ACL options: global, or the current listener when per_listener_settings is true */
        SECURITY,
        /** the current bridge: needs a {@code connection} line first */
        BRIDGE,
        /** the current plugin: needs a {@code plugin}/{@code auth_plugin} line first in the same file */
        PLUGIN
    }

    /** The value a directive takes. */
    enum Arg {
        /** {@code true}/{@code false}/{@code 1}/{@code 0} */
        BOOL,
        /** a number read with C {@code atoi} */
        INT,
        /** the rest of the line, blanks trimmed; given twice in one scope is an error */
        STRING,
        /** the rest of the line, may repeat */
        STRING_MULTI,
        /** one word */
        WORD,
        /** the handler reads the value itself */
        CUSTOM
    }

    /** One known directive. */
    record Spec(String name, Scope scope, Arg arg, boolean since21, boolean deprecated) {}

    private static final Map<String, Spec> SPECS;

    static {
        Map<String, Spec> m = new HashMap<>();
        // general options
        put(m, "acl_file", Scope.SECURITY, Arg.CUSTOM);
        put(m, "allow_anonymous", Scope.SECURITY, Arg.CUSTOM);
        dep(m, "allow_duplicate_messages", Scope.GLOBAL, Arg.BOOL);
        put(m, "allow_zero_length_clientid", Scope.SECURITY, Arg.CUSTOM);
        put(m, "auth_plugin", Scope.SECURITY, Arg.CUSTOM);
        put(m, "plugin", Scope.SECURITY, Arg.CUSTOM);
        v21(m, "global_plugin", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "auth_plugin_deny_special_chars", Scope.PLUGIN, Arg.BOOL);
        put(m, "auto_id_prefix", Scope.SECURITY, Arg.CUSTOM);
        put(m, "autosave_interval", Scope.GLOBAL, Arg.INT);
        put(m, "autosave_on_changes", Scope.GLOBAL, Arg.BOOL);
        put(m, "check_retain_source", Scope.SECURITY, Arg.CUSTOM);
        dep(m, "clientid_prefixes", Scope.GLOBAL, Arg.STRING);
        put(m, "connection_messages", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "include_dir", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "log_dest", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "log_facility", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "log_timestamp", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "log_timestamp_format", Scope.GLOBAL, Arg.STRING);
        put(m, "log_type", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "max_inflight_bytes", Scope.GLOBAL, Arg.INT);
        put(m, "max_inflight_messages", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "max_keepalive", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "max_packet_size", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "max_queued_bytes", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "max_queued_messages", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "memory_limit", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "message_size_limit", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "password_file", Scope.SECURITY, Arg.CUSTOM);
        put(m, "per_listener_settings", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "persistence", Scope.GLOBAL, Arg.BOOL);
        put(m, "retained_persistence", Scope.GLOBAL, Arg.BOOL);
        put(m, "persistence_file", Scope.GLOBAL, Arg.STRING);
        put(m, "persistence_location", Scope.GLOBAL, Arg.STRING);
        put(m, "persistent_client_expiration", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "pid_file", Scope.GLOBAL, Arg.STRING);
        put(m, "psk_file", Scope.SECURITY, Arg.CUSTOM);
        put(m, "queue_qos0_messages", Scope.GLOBAL, Arg.BOOL);
        put(m, "retain_available", Scope.GLOBAL, Arg.BOOL);
        put(m, "retry_interval", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "set_tcp_nodelay", Scope.GLOBAL, Arg.BOOL);
        put(m, "sys_interval", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "upgrade_outgoing_qos", Scope.GLOBAL, Arg.BOOL);
        put(m, "user", Scope.GLOBAL, Arg.STRING_MULTI);
        put(m, "websockets_log_level", Scope.GLOBAL, Arg.INT);
        put(m, "websockets_headers_size", Scope.GLOBAL, Arg.INT);
        v21(m, "enable_control_api", Scope.GLOBAL, Arg.BOOL);
        v21(m, "global_max_clients", Scope.GLOBAL, Arg.INT);
        v21(m, "global_max_connections", Scope.GLOBAL, Arg.INT);
        v21(m, "quic_log_level", Scope.GLOBAL, Arg.INT);
        // listeners
        put(m, "listener", Scope.GLOBAL, Arg.CUSTOM);
        dep(m, "port", Scope.GLOBAL, Arg.CUSTOM);
        dep(m, "bind_address", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "bind_interface", Scope.LISTENER, Arg.CUSTOM);
        put(m, "http_dir", Scope.LISTENER, Arg.STRING);
        put(m, "max_connections", Scope.LISTENER, Arg.CUSTOM);
        put(m, "max_qos", Scope.LISTENER, Arg.CUSTOM);
        put(m, "maximum_qos", Scope.LISTENER, Arg.CUSTOM);
        put(m, "max_topic_alias", Scope.LISTENER, Arg.CUSTOM);
        v21(m, "max_topic_alias_broker", Scope.LISTENER, Arg.CUSTOM);
        put(m, "mount_point", Scope.LISTENER, Arg.CUSTOM);
        put(m, "protocol", Scope.LISTENER, Arg.CUSTOM);
        put(m, "socket_domain", Scope.LISTENER, Arg.CUSTOM);
        put(m, "use_username_as_clientid", Scope.LISTENER, Arg.CUSTOM);
        v21(m, "accept_protocol_versions", Scope.LISTENER, Arg.CUSTOM);
        v21(m, "websockets_origin", Scope.LISTENER, Arg.STRING_MULTI);
        // listener TLS
        put(m, "cafile", Scope.LISTENER, Arg.CUSTOM);
        put(m, "capath", Scope.LISTENER, Arg.CUSTOM);
        put(m, "certfile", Scope.LISTENER, Arg.CUSTOM);
        put(m, "keyfile", Scope.LISTENER, Arg.CUSTOM);
        put(m, "crlfile", Scope.LISTENER, Arg.CUSTOM);
        put(m, "ciphers", Scope.LISTENER, Arg.CUSTOM);
        put(m, "ciphers_tls1.3", Scope.LISTENER, Arg.CUSTOM);
        put(m, "dhparamfile", Scope.LISTENER, Arg.CUSTOM);
        put(m, "psk_hint", Scope.LISTENER, Arg.CUSTOM);
        put(m, "require_certificate", Scope.LISTENER, Arg.CUSTOM);
        put(m, "tls_engine", Scope.LISTENER, Arg.CUSTOM);
        put(m, "tls_engine_kpass_sha1", Scope.LISTENER, Arg.CUSTOM);
        put(m, "tls_keyform", Scope.LISTENER, Arg.CUSTOM);
        put(m, "tls_version", Scope.LISTENER, Arg.CUSTOM);
        put(m, "use_identity_as_username", Scope.LISTENER, Arg.CUSTOM);
        put(m, "use_subject_as_username", Scope.LISTENER, Arg.CUSTOM);
        v21(m, "disable_client_cert_date_checks", Scope.LISTENER, Arg.CUSTOM);
        // bridges
        put(m, "connection", Scope.GLOBAL, Arg.CUSTOM);
        put(m, "address", Scope.BRIDGE, Arg.CUSTOM);
        put(m, "addresses", Scope.BRIDGE, Arg.CUSTOM);
        put(m, "topic", Scope.BRIDGE, Arg.CUSTOM);
        put(m, "bridge_attempt_unsubscribe", Scope.BRIDGE, Arg.BOOL);
        put(m, "bridge_alpn", Scope.BRIDGE, Arg.STRING);
        put(m, "bridge_bind_address", Scope.BRIDGE, Arg.STRING);
        put(m, "bridge_cafile", Scope.BRIDGE, Arg.STRING);
        put(m, "bridge_capath", Scope.BRIDGE, Arg.STRING);
        put(m, "bridge_certfile", Scope.BRIDGE, Arg.STRING);
        put(m, "bridge_identity", Scope.BRIDGE, Arg.STRING);
        put(m, "bridge_insecure", Scope.BRIDGE, Arg.BOOL);
        put(m, "bridge_keyfile", Scope.BRIDGE, Arg.STRING);
        put(m, "bridge_max_packet_size", Scope.BRIDGE, Arg.INT);
        put(m, "bridge_outgoing_retain", Scope.BRIDGE, Arg.BOOL);
        put(m, "bridge_protocol_version", Scope.BRIDGE, Arg.CUSTOM);
        put(m, "bridge_psk", Scope.BRIDGE, Arg.STRING);
        put(m, "bridge_require_ocsp", Scope.BRIDGE, Arg.BOOL);
        put(m, "bridge_tls_version", Scope.BRIDGE, Arg.STRING);
        put(m, "cleansession", Scope.BRIDGE, Arg.BOOL);
        put(m, "local_cleansession", Scope.BRIDGE, Arg.BOOL);
        put(m, "clientid", Scope.BRIDGE, Arg.STRING);
        put(m, "remote_clientid", Scope.BRIDGE, Arg.STRING);
        put(m, "idle_timeout", Scope.BRIDGE, Arg.INT);
        put(m, "keepalive_interval", Scope.BRIDGE, Arg.INT);
        put(m, "local_clientid", Scope.BRIDGE, Arg.STRING);
        put(m, "local_password", Scope.BRIDGE, Arg.STRING);
        put(m, "local_username", Scope.BRIDGE, Arg.STRING);
        put(m, "notifications", Scope.BRIDGE, Arg.BOOL);
        put(m, "notifications_local_only", Scope.BRIDGE, Arg.BOOL);
        put(m, "notification_topic", Scope.BRIDGE, Arg.STRING);
        put(m, "password", Scope.BRIDGE, Arg.STRING);
        put(m, "remote_password", Scope.BRIDGE, Arg.STRING);
        put(m, "username", Scope.BRIDGE, Arg.STRING);
        put(m, "remote_username", Scope.BRIDGE, Arg.STRING);
        put(m, "restart_timeout", Scope.BRIDGE, Arg.WORD);
        put(m, "round_robin", Scope.BRIDGE, Arg.BOOL);
        put(m, "start_type", Scope.BRIDGE, Arg.CUSTOM);
        put(m, "threshold", Scope.BRIDGE, Arg.INT);
        put(m, "try_private", Scope.BRIDGE, Arg.BOOL);
        v21(m, "bridge_ciphers", Scope.BRIDGE, Arg.STRING);
        v21(m, "bridge_ciphers_tls1.3", Scope.BRIDGE, Arg.STRING);
        v21(m, "bridge_max_topic_alias", Scope.BRIDGE, Arg.INT);
        v21(m, "bridge_receive_maximum", Scope.BRIDGE, Arg.INT);
        v21(m, "bridge_reload_type", Scope.BRIDGE, Arg.CUSTOM);
        v21(m, "bridge_session_expiry_interval", Scope.BRIDGE, Arg.INT);
        v21(m, "bridge_tcp_keepalive", Scope.BRIDGE, Arg.CUSTOM);
        v21(m, "bridge_tcp_user_timeout", Scope.BRIDGE, Arg.INT);
        SPECS = Collections.unmodifiableMap(m);
    }

    private static void put(Map<String, Spec> m, String n, Scope s, Arg a) { m.put(n, new Spec(n, s, a, false, false)); }

    private static void dep(Map<String, Spec> m, String n, Scope s, Arg a) { m.put(n, new Spec(n, s, a, false, true)); }

    private static void v21(Map<String, Spec> m, String n, Scope s, Arg a) { m.put(n, new Spec(n, s, a, true, false)); }

    /** The spec of a directive, or null when mosquitto does not know it. {@code plugin_opt_*}/{@code auth_opt_*} are handled apart. */
    static Spec get(String name) { return SPECS.get(name); }

    static boolean isPluginOption(String name) {
        return name.startsWith("plugin_opt_") || name.startsWith("auth_opt_");
    }

    static Map<String, Spec> all() { return SPECS; }
}
