package dev.warden.model.schema;

import static dev.warden.model.schema.Type.Prim.BOOL;
import static dev.warden.model.schema.Type.Prim.DURATION;
import static dev.warden.model.schema.Type.Prim.INT;
import static dev.warden.model.schema.Type.Prim.SIZE;
import static dev.warden.model.schema.Type.Prim.STRING;
import static dev.warden.model.schema.Type.Prim.TOPIC;
import static dev.warden.model.schema.Type.Prim.VERSION;
import static dev.warden.model.schema.Type.listOf;
import static dev.warden.model.schema.Type.ref;

/** The fact schema policies are checked against; documented field by field in {@code docs/facts.md}. */
public final class WardenSchema {
    private WardenSchema() {}

    /** The schema of this Warden version. */
    public static final Schema SCHEMA = Schema.builder()
            .root("broker", ref("Broker"), "one MQTT broker deployment (e.g. a mosquitto.conf and the files it includes)")

            .type("Broker", "an MQTT broker as configured")
            .field("id", STRING, "resource id, e.g. `mosquitto:etc/mosquitto/mosquitto.conf`")
            .field("kind", STRING, "broker product: `mosquitto`")
            .field("version", VERSION, "broker version; unknown unless given (`--mosquitto-version`) or probed")
            .field("config_file", STRING, "main configuration file, relative to the scan root")
            .field("per_listener_settings", BOOL, "whether authentication/ACL settings are per listener")
            .field("listeners", listOf(ref("Listener")), "network listeners, including the implicit default one")
            .field("acl_grants", listOf(ref("AclGrant")), "every line of every ACL file in use")
            .field("limits", ref("Limits"), "broker-wide resource limits")
            .field("sys_interval", DURATION, "period of `$SYS` updates; `0s` means `$SYS` is disabled")
            .field("logging", ref("Logging"), "log destinations and types")
            .field("plugins", listOf(ref("Plugin")), "loaded plugins (global and per listener)")

            .type("Listener", "one network listener")
            .field("id", STRING, "resource id, e.g. `listener 8883 0.0.0.0`")
            .field("port", INT, "TCP port")
            .optional("bind", STRING, "bind address; not set means every interface")
            .optional("bind_interface", STRING, "network interface the listener is bound to")
            .field("loopback_only", BOOL, "reachable from this host only")
            .field("protocol", STRING, "`mqtt` or `websockets`")
            .field("implicit", BOOL, "the default listener mosquitto creates when none is configured")
            .optional("max_connections", INT, "connection limit; not set means unlimited")
            .optional("mount_point", STRING, "topic prefix applied to this listener's clients")
            .field("tls", ref("Tls"), "TLS settings")
            .field("auth", ref("Auth"), "authentication and authorization that apply to this listener")

            .type("Tls", "TLS settings of a listener")
            .field("enabled", BOOL, "TLS (certificate or PSK) is configured, so plaintext MQTT is refused")
            .field("psk", BOOL, "TLS-PSK is configured (`psk_hint`)")
            .optional("cafile", STRING, "CA file path")
            .optional("capath", STRING, "CA directory path")
            .optional("certfile", STRING, "server certificate path")
            .optional("keyfile", STRING, "server private key path (the path only; keys are never read)")
            .optional("crlfile", STRING, "certificate revocation list path")
            .optional("version", STRING, "raw `tls_version` value")
            .optional("min_version", VERSION, "lowest TLS version accepted, e.g. `1.2`; not set when TLS is off")
            .optional("ciphers", STRING, "TLS 1.2 cipher list (OpenSSL syntax)")
            .optional("ciphers_tls13", STRING, "TLS 1.3 cipher suites")
            .field("require_certificate", BOOL, "clients must present a certificate signed by the CA")
            .field("use_identity_as_username", BOOL, "the certificate CN (or PSK identity) becomes the username")
            .field("use_subject_as_username", BOOL, "the certificate subject becomes the username")

            .type("Auth", "authentication and authorization effective on a listener")
            .field("anonymous", BOOL, "clients without a username are accepted")
            .optional("password_file", STRING, "password file path (hashes are never read)")
            .optional("psk_file", STRING, "PSK file path (keys are never read)")
            .optional("acl_file", STRING, "ACL file path")
            .field("acl_enabled", BOOL, "an ACL file or an authorization plugin restricts topics")
            .field("plugins", listOf(STRING), "plugin paths that apply to this listener")

            .type("Limits", "broker-wide limits")
            .optional("max_packet_size", SIZE, "largest accepted MQTT packet; not set means unlimited")
            .optional("message_size_limit", SIZE, "largest accepted payload; not set means unlimited")
            .optional("max_inflight_messages", INT, "QoS 1/2 messages in flight per client; not set means unlimited")
            .optional("max_queued_messages", INT, "messages queued per client; not set means unlimited")
            .optional("max_queued_bytes", SIZE, "bytes queued per client; not set means unlimited")
            .optional("memory_limit", SIZE, "broker memory cap; not set means unlimited")
            .field("max_keepalive", DURATION, "largest keepalive a client may ask for")

            .type("Logging", "logging configuration")
            .field("destinations", listOf(STRING), "`log_dest` values: stderr, stdout, file, syslog, topic, dlt, none")
            .field("types", listOf(STRING), "`log_type` values in effect")
            .field("connection_messages", BOOL, "client connect/disconnect lines are logged")
            .field("timestamp", BOOL, "log lines carry timestamps")
            .optional("file", STRING, "log file path when the destination is `file`")

            .type("Plugin", "a loaded plugin")
            .field("path", STRING, "plugin library path")
            .optional("listener_port", INT, "listener the plugin is attached to; not set for a global plugin")
            .field("option_keys", listOf(STRING), "names of `plugin_opt_*` options (values are never read)")

            .type("AclGrant", "one topic rule of an ACL file")
            .field("id", STRING, "resource id, e.g. `acl:etc/acl:12`")
            .field("file", STRING, "ACL file path")
            .field("kind", STRING, "`topic` or `pattern`")
            .field("scope", STRING, "`anonymous` (topic line before any user), `user`, or `pattern` (every client)")
            .optional("user", STRING, "the user a `topic` line belongs to")
            .field("access", STRING, "`read`, `write`, `readwrite` or `deny`")
            .field("topic", TOPIC, "topic filter; `%c`/`%u` appear as `${client.id}`/`${username}`")
            .build();
}
