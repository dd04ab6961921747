package dev.warden.mosquitto;

import dev.warden.model.Origin;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.warden.mosquitto.Facts.at;
import static dev.warden.mosquitto.Facts.show;
import static dev.warden.mosquitto.Facts.where;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Table-driven checks of the facts (values and origins) read from realistic configurations. */
class MosquittoCollectorTest {

    static final String MAIN = "etc/mosquitto/mosquitto.conf";
    static final String DEFAULT = "default";

    /** One configuration tree and what must be read from it. */
    record Case(String name, Map<String, String> files, List<String[]> expect, List<String> diags) {
        @Override public String toString() { return name; }
    }

    /** Builds a {@link Case}. */
    static final class B {
        final String name;
        final Map<String, String> files = new LinkedHashMap<>();
        final List<String[]> expect = new ArrayList<>();
        final List<String> diags = new ArrayList<>();

        B(String name) { this.name = name; }

        B conf(String text) { return file(MAIN, text); }

        B file(String path, String text) { files.put(path, text); return this; }

        /** {@code path} must show {@code value} and come from {@code origin} ({@code file:line} or {@code default}). */
        B is(String path, String value, String origin) { expect.add(new String[] {path, value, origin}); return this; }

        B diag(String codeAt) { diags.add(codeAt); return this; }

        Case done() { return new Case(name, files, expect, diags); }
    }

    static B c(String name) { return new B(name); }

    static final String DEBIAN = """
            # Place your local configuration in /etc/mosquitto/conf.d/
            #
            # A full description of the configuration file is at
            # /usr/share/doc/mosquitto/examples/mosquitto.conf.example

            pid_file /run/mosquitto/mosquitto.pid

            persistence true
            persistence_location /var/lib/mosquitto/

            log_dest file /var/log/mosquitto/mosquitto.log

            include_dir /etc/mosquitto/conf.d
            """;

    static Stream<Case> cases() {
        return Stream.of(
                c("debian default: local-only mode").conf(DEBIAN)
                        .file("etc/mosquitto/conf.d/README", "Any files placed in this directory that have a .conf ending will be loaded\n")
                        .is("id", "mosquitto:" + MAIN, MAIN)
                        .is("config_file", MAIN, MAIN)
                        .is("listeners", "[listener 1883 (default, loopback)]", MAIN)
                        .is("listeners[0].port", "1883", DEFAULT)
                        .is("listeners[0].loopback_only", "true", DEFAULT)
                        .is("listeners[0].implicit", "true", DEFAULT)
                        .is("listeners[0].auth.anonymous", "true", DEFAULT)
                        .is("listeners[0].tls.enabled", "false", DEFAULT)
                        .is("per_listener_settings", "false", DEFAULT)
                        .is("logging.destinations", "[file]", MAIN + ":11")
                        .is("logging.file", "/var/log/mosquitto/mosquitto.log", MAIN + ":11")
                        .is("logging.types", "[error, warning, notice, information]", DEFAULT)
                        .is("logging.connection_messages", "true", DEFAULT)
                        .is("logging.timestamp", "true", DEFAULT)
                        .is("sys_interval", "10s", DEFAULT)
                        .is("limits.max_keepalive", "65535s", DEFAULT)
                        .is("limits.max_inflight_messages", "20", DEFAULT)
                        .is("limits.max_queued_messages", "1000", DEFAULT)
                        .is("limits.max_packet_size", "null", DEFAULT)
                        .is("acl_grants", "[]", MAIN)
                        .is("version", "unknown", MAIN)
                        .done(),
                c("debian + conf.d listener with allow_anonymous true").conf(DEBIAN)
                        .file("etc/mosquitto/conf.d/local.conf", "listener 1883\nallow_anonymous true\n")
                        .is("listeners", "[listener 1883]", MAIN)
                        .is("listeners[0].port", "1883", "etc/mosquitto/conf.d/local.conf:1")
                        .is("listeners[0].bind", "null", "etc/mosquitto/conf.d/local.conf:1")
                        .is("listeners[0].loopback_only", "false", "etc/mosquitto/conf.d/local.conf:1")
                        .is("listeners[0].implicit", "false", "etc/mosquitto/conf.d/local.conf:1")
                        .is("listeners[0].auth.anonymous", "true", "etc/mosquitto/conf.d/local.conf:2")
                        .done(),
                c("listener 1883 alone: anonymous refused by default").conf("listener 1883\n")
                        .is("listeners[0].id", "listener 1883", MAIN + ":1")
                        .is("listeners[0].auth.anonymous", "false", DEFAULT)
                        .is("listeners[0].protocol", "mqtt", DEFAULT)
                        .is("listeners[0].max_connections", "null", DEFAULT)
                        .is("listeners[0].auth.acl_enabled", "false", MAIN + ":1")
                        .done(),
                c("TLS listener without require_certificate").conf("""
                                listener 8883 0.0.0.0
                                cafile /etc/mosquitto/ca_certificates/ca.crt
                                certfile /etc/mosquitto/certs/server.crt
                                keyfile /etc/mosquitto/certs/server.key
                                password_file /etc/mosquitto/passwd
                                """)
                        .is("listeners[0].id", "listener 8883 0.0.0.0", MAIN + ":1")
                        .is("listeners[0].bind", "0.0.0.0", MAIN + ":1")
                        .is("listeners[0].loopback_only", "false", MAIN + ":1")
                        .is("listeners[0].tls.enabled", "true", MAIN + ":4")
                        .is("listeners[0].tls.psk", "false", MAIN + ":1")
                        .is("listeners[0].tls.cafile", "/etc/mosquitto/ca_certificates/ca.crt", MAIN + ":2")
                        .is("listeners[0].tls.certfile", "/etc/mosquitto/certs/server.crt", MAIN + ":3")
                        .is("listeners[0].tls.keyfile", "/etc/mosquitto/certs/server.key", MAIN + ":4")
                        .is("listeners[0].tls.min_version", "1.2", DEFAULT)
                        .is("listeners[0].tls.version", "null", MAIN + ":1")
                        .is("listeners[0].tls.require_certificate", "false", DEFAULT)
                        .is("listeners[0].tls.use_identity_as_username", "false", DEFAULT)
                        .is("listeners[0].auth.password_file", "/etc/mosquitto/passwd", MAIN + ":5")
                        .is("listeners[0].auth.anonymous", "false", DEFAULT)
                        .done(),
                c("mutual TLS with tls_version and identity as username").conf("""
                                listener 8883
                                certfile /c.pem
                                keyfile /k.pem
                                cafile /ca.pem
                                require_certificate true
                                use_identity_as_username true
                                tls_version tlsv1.3
                                ciphers_tls1.3 TLS_AES_256_GCM_SHA384
                                crlfile /crl.pem
                                """)
                        .is("listeners[0].tls.require_certificate", "true", MAIN + ":5")
                        .is("listeners[0].tls.use_identity_as_username", "true", MAIN + ":6")
                        .is("listeners[0].tls.version", "tlsv1.3", MAIN + ":7")
                        .is("listeners[0].tls.min_version", "1.3", MAIN + ":7")
                        .is("listeners[0].tls.ciphers_tls13", "TLS_AES_256_GCM_SHA384", MAIN + ":8")
                        .is("listeners[0].tls.crlfile", "/crl.pem", MAIN + ":9")
                        .done(),
                c("tls_version tlsv1.1 and an invalid tls_version").conf("""
                                listener 8883
                                certfile /c.pem
                                keyfile /k.pem
                                tls_version tlsv1.1
                                listener 8884
                                certfile /c.pem
                                keyfile /k.pem
                                tls_version tlsv1
                                """)
                        .is("listeners[0].tls.min_version", "1.1", MAIN + ":4")
                        .is("listeners[1].tls.min_version", "unknown", MAIN + ":8")
                        .diag("mosquitto.bad_value@" + MAIN + ":8")
                        .done(),
                c("certfile without keyfile stays plaintext").conf("listener 8883\ncertfile /c.pem\ntls_version tlsv1.2\n")
                        .is("listeners[0].tls.enabled", "false", MAIN + ":2")
                        .is("listeners[0].tls.min_version", "null", MAIN + ":1")
                        .diag("mosquitto.incomplete_tls@" + MAIN + ":2")
                        .done(),
                c("TLS-PSK listener").conf("""
                                listener 8884
                                psk_hint hint-one
                                psk_file /etc/mosquitto/psk
                                use_identity_as_username true
                                """)
                        .is("listeners[0].tls.enabled", "true", MAIN + ":2")
                        .is("listeners[0].tls.psk", "true", MAIN + ":2")
                        .is("listeners[0].auth.psk_file", "/etc/mosquitto/psk", MAIN + ":3")
                        .done(),
                c("websockets without TLS next to plain MQTT").conf("""
                                listener 1883
                                listener 9001
                                protocol websockets
                                allow_anonymous true
                                """)
                        .is("listeners", "[listener 1883, listener 9001]", MAIN)
                        .is("listeners[1].protocol", "websockets", MAIN + ":3")
                        .is("listeners[1].tls.enabled", "false", DEFAULT)
                        .is("listeners[0].auth.anonymous", "true", MAIN + ":4")
                        .is("listeners[1].auth.anonymous", "true", MAIN + ":4")
                        .done(),
                c("websockets with TLS: min version unknown").conf("listener 9443\nprotocol websockets\ncertfile /c\nkeyfile /k\n")
                        .is("listeners[0].tls.enabled", "true", MAIN + ":4")
                        .is("listeners[0].tls.min_version", "unknown", MAIN + ":1")
                        .done(),
                c("per_listener_settings: auth belongs to each listener").conf("""
                                per_listener_settings true
                                allow_anonymous true
                                listener 1883 127.0.0.1
                                allow_anonymous true
                                listener 8883
                                password_file /etc/mosquitto/passwd
                                acl_file /etc/mosquitto/acl
                                """)
                        .file("etc/mosquitto/acl", "user alice\ntopic home/alice/#\n")
                        .is("per_listener_settings", "true", MAIN + ":1")
                        .is("listeners[0].auth.anonymous", "true", MAIN + ":4")
                        .is("listeners[0].loopback_only", "true", MAIN + ":3")
                        .is("listeners[0].auth.password_file", "null", MAIN + ":3")
                        .is("listeners[0].auth.acl_enabled", "false", MAIN + ":3")
                        .is("listeners[1].auth.anonymous", "false", DEFAULT)
                        .is("listeners[1].auth.password_file", "/etc/mosquitto/passwd", MAIN + ":6")
                        .is("listeners[1].auth.acl_file", "/etc/mosquitto/acl", MAIN + ":7")
                        .is("listeners[1].auth.acl_enabled", "true", MAIN + ":7")
                        .is("acl_grants[0].topic", "home/alice/# {username=alice}", "etc/mosquitto/acl:2")
                        .diag("mosquitto.ignored_setting@" + MAIN + ":2")
                        .done(),
                c("per_listener_settings false: auth is global").conf("""
                                listener 1883 127.0.0.1
                                listener 8883
                                password_file /etc/mosquitto/passwd
                                allow_anonymous false
                                """)
                        .is("listeners[0].auth.password_file", "/etc/mosquitto/passwd", MAIN + ":3")
                        .is("listeners[1].auth.password_file", "/etc/mosquitto/passwd", MAIN + ":3")
                        .is("listeners[0].auth.anonymous", "false", MAIN + ":4")
                        .done(),
                c("per_listener_settings after an auth option").conf("allow_anonymous true\nper_listener_settings true\nlistener 1883\n")
                        .is("per_listener_settings", "true", MAIN + ":2")
                        .is("listeners[0].auth.anonymous", "false", DEFAULT)
                        .diag("mosquitto.misplaced_directive@" + MAIN + ":2")
                        .done(),
                c("include_dir order and per-file default listener").conf("listener 1883\ninclude_dir conf.d\nmax_connections 5\n")
                        .file("etc/mosquitto/conf.d/b.conf", "listener 1005\n")
                        .file("etc/mosquitto/conf.d/A.conf", "listener 1002\n")
                        .file("etc/mosquitto/conf.d/01.conf", "listener 1001\n")
                        .file("etc/mosquitto/conf.d/a.conf", "listener 1003\n")
                        .file("etc/mosquitto/conf.d/B.conf", "listener 1004\n")
                        .file("etc/mosquitto/conf.d/00.conf", "listener 1000\n")
                        .file("etc/mosquitto/conf.d/notes.txt", "listener 9999\n")
                        .file("etc/mosquitto/conf.d/.conf", "listener 9998\n")
                        .is("listeners", "[listener 1883, listener 1000, listener 1001, listener 1002, listener 1003, listener 1004, listener 1005]", MAIN)
                        .is("listeners[1].port", "1000", "etc/mosquitto/conf.d/00.conf:1")
                        .is("listeners[3].port", "1002", "etc/mosquitto/conf.d/A.conf:1")
                        .is("listeners[4].port", "1003", "etc/mosquitto/conf.d/a.conf:1")
                        .is("listeners[0].max_connections", "5", MAIN + ":3")
                        .is("listeners[6].max_connections", "null", DEFAULT)
                        .done(),
                c("include_dir file starts on the default listener").conf("listener 1883\ninclude_dir conf.d\n")
                        .file("etc/mosquitto/conf.d/tls.conf", "certfile /c.pem\nkeyfile /k.pem\n")
                        .is("listeners", "[listener 1883 (default), listener 1883]", MAIN)
                        .is("listeners[0].implicit", "true", "etc/mosquitto/conf.d/tls.conf:1")
                        .is("listeners[0].tls.enabled", "true", "etc/mosquitto/conf.d/tls.conf:2")
                        .is("listeners[1].tls.enabled", "false", DEFAULT)
                        .diag("mosquitto.implicit_default_listener@etc/mosquitto/conf.d/tls.conf:1")
                        .diag("mosquitto.duplicate_listener@" + MAIN + ":1")
                        .done(),
                c("acl file with comments, users and patterns").conf("acl_file /etc/mosquitto/acl\nlistener 1883\npassword_file /etc/mosquitto/passwd\n")
                        .file("etc/mosquitto/acl", """
                                # anonymous clients
                                topic read $SYS/#
                                topic #

                                user alice
                                topic readwrite home/alice/#
                                topic deny home/alice/secret
                                pattern write devices/%c/#
                                pattern read users/%u/inbox
                                """)
                        .is("listeners[0].auth.acl_file", "/etc/mosquitto/acl", MAIN + ":1")
                        .is("listeners[0].auth.acl_enabled", "true", MAIN + ":1")
                        .is("acl_grants", "[acl:etc/mosquitto/acl:2, acl:etc/mosquitto/acl:3, acl:etc/mosquitto/acl:6, acl:etc/mosquitto/acl:7, acl:etc/mosquitto/acl:8, acl:etc/mosquitto/acl:9]", MAIN + ":1")
                        .is("acl_grants[0].scope", "anonymous", "etc/mosquitto/acl:2")
                        .is("acl_grants[0].access", "read", "etc/mosquitto/acl:2")
                        .is("acl_grants[0].topic", "$SYS/#", "etc/mosquitto/acl:2")
                        .is("acl_grants[0].user", "null", "etc/mosquitto/acl:2")
                        .is("acl_grants[0].file", "/etc/mosquitto/acl", "etc/mosquitto/acl:2")
                        .is("acl_grants[1].topic", "#", "etc/mosquitto/acl:3")
                        .is("acl_grants[1].access", "readwrite", "etc/mosquitto/acl:3")
                        .is("acl_grants[2].scope", "user", "etc/mosquitto/acl:6")
                        .is("acl_grants[2].user", "alice", "etc/mosquitto/acl:6")
                        .is("acl_grants[2].topic", "home/alice/# {username=alice}", "etc/mosquitto/acl:6")
                        .is("acl_grants[3].access", "deny", "etc/mosquitto/acl:7")
                        .is("acl_grants[4].kind", "pattern", "etc/mosquitto/acl:8")
                        .is("acl_grants[4].scope", "pattern", "etc/mosquitto/acl:8")
                        .is("acl_grants[4].user", "null", "etc/mosquitto/acl:8")
                        .is("acl_grants[4].access", "write", "etc/mosquitto/acl:8")
                        .is("acl_grants[4].topic", "devices/${client.id}/#", "etc/mosquitto/acl:8")
                        .is("acl_grants[5].topic", "users/${username}/inbox", "etc/mosquitto/acl:9")
                        .done(),
                c("missing acl file: grants unknown").conf("listener 1883\nacl_file /etc/mosquitto/nope\n")
                        .is("acl_grants", "unknown", MAIN + ":2")
                        .is("listeners[0].auth.acl_file", "/etc/mosquitto/nope", MAIN + ":2")
                        .diag("mosquitto.missing_file@" + MAIN + ":2")
                        .done(),
                c("bad acl lines are reported and the rest is read").conf("listener 1883\nacl_file acl\n")
                        .file("etc/mosquitto/acl", "topic sensors/+/temp\n\ttopic x\ntopic write a/b#\nusr bob\ntopic rw x\npattern %u/#\n")
                        .is("acl_grants", "[acl:etc/mosquitto/acl:1, acl:etc/mosquitto/acl:3, acl:etc/mosquitto/acl:6]", MAIN + ":2")
                        .is("acl_grants[1].topic", "unknown", "etc/mosquitto/acl:3")
                        .is("acl_grants[2].topic", "${username}/#", "etc/mosquitto/acl:6")
                        .diag("mosquitto.acl.bad_line@etc/mosquitto/acl:2")
                        .diag("mosquitto.acl.bad_topic@etc/mosquitto/acl:3")
                        .diag("mosquitto.acl.bad_line@etc/mosquitto/acl:4")
                        .diag("mosquitto.acl.bad_line@etc/mosquitto/acl:5")
                        .done(),
                c("settings before the first listener open a default listener").conf("max_connections 100\nlistener 8883 127.0.0.1\n")
                        .is("listeners", "[listener 1883 (default), listener 8883 127.0.0.1]", MAIN)
                        .is("listeners[0].implicit", "true", MAIN + ":1")
                        .is("listeners[0].port", "1883", DEFAULT)
                        .is("listeners[0].bind", "null", MAIN + ":1")
                        .is("listeners[0].loopback_only", "false", MAIN + ":1")
                        .is("listeners[0].max_connections", "100", MAIN + ":1")
                        .is("listeners[0].auth.anonymous", "false", DEFAULT)
                        .is("listeners[1].loopback_only", "true", MAIN + ":2")
                        .diag("mosquitto.implicit_default_listener@" + MAIN + ":1")
                        .done(),
                c("default listener without any listener line accepts anonymous clients").conf("max_connections 10\nallow_anonymous false\n")
                        .is("listeners", "[listener 1883 (default)]", MAIN)
                        .is("listeners[0].loopback_only", "false", MAIN + ":1")
                        .is("listeners[0].auth.anonymous", "true", DEFAULT)
                        .diag("mosquitto.implicit_default_listener@" + MAIN + ":1")
                        .diag("mosquitto.ignored_setting@" + MAIN + ":2")
                        .done(),
                c("max_connections 0 alone opens the default listener").conf("max_connections 0\n")
                        .is("listeners", "[listener 1883 (default)]", MAIN)
                        .is("listeners[0].max_connections", "null", MAIN + ":1")
                        .is("listeners[0].loopback_only", "false", MAIN + ":1")
                        .is("listeners[0].auth.anonymous", "true", DEFAULT)
                        .diag("mosquitto.implicit_default_listener@" + MAIN + ":1")
                        .done(),
                c("max_connections -5 alone stays local-only").conf("max_connections -5\n")
                        .is("listeners", "[listener 1883 (default, loopback)]", MAIN)
                        .diag("mosquitto.ignored_setting@" + MAIN + ":1")
                        .done(),
                c("local-only mode overrides allow_anonymous false").conf("allow_anonymous false\npassword_file /etc/mosquitto/passwd\n")
                        .is("listeners[0].auth.anonymous", "true", DEFAULT)
                        .is("listeners[0].auth.password_file", "/etc/mosquitto/passwd", MAIN + ":2")
                        .is("listeners[0].loopback_only", "true", DEFAULT)
                        .diag("mosquitto.ignored_setting@" + MAIN + ":1")
                        .done(),
                c("deprecated port and bind_address").conf("port 1884\nbind_address localhost\n")
                        .is("listeners", "[listener 1884 localhost (default)]", MAIN)
                        .is("listeners[0].port", "1884", MAIN + ":1")
                        .is("listeners[0].bind", "localhost", MAIN + ":2")
                        .is("listeners[0].loopback_only", "true", MAIN + ":2")
                        .is("listeners[0].implicit", "false", MAIN + ":1")
                        .is("listeners[0].auth.anonymous", "false", DEFAULT)
                        .diag("mosquitto.deprecated@" + MAIN + ":1")
                        .diag("mosquitto.deprecated@" + MAIN + ":2")
                        .done(),
                c("unix socket and IPv6 loopback listeners").conf("listener 0 /run/mosquitto/mqtt.sock\nlistener 1883 ::1\nlistener 1884 [::1]\nlistener 1885 127.0.1.1\nlistener 1886 lo\nbind_interface lo\n")
                        .is("listeners[0].port", "0", MAIN + ":1")
                        .is("listeners[0].bind", "/run/mosquitto/mqtt.sock", MAIN + ":1")
                        .is("listeners[0].loopback_only", "true", MAIN + ":1")
                        .is("listeners[1].loopback_only", "true", MAIN + ":2")
                        .is("listeners[2].loopback_only", "true", MAIN + ":3")
                        .is("listeners[3].loopback_only", "true", MAIN + ":4")
                        .is("listeners[4].loopback_only", "true", MAIN + ":6")
                        .is("listeners[4].bind_interface", "lo", MAIN + ":6")
                        .done(),
                c("limits and logging").conf("""
                                listener 1883
                                max_packet_size 1048576
                                message_size_limit 0
                                max_inflight_messages 0
                                max_queued_messages 500
                                max_queued_bytes 10485760
                                memory_limit 0
                                max_keepalive 120
                                sys_interval 0
                                log_dest stdout
                                log_dest syslog
                                log_type error
                                log_type warning
                                connection_messages false
                                log_timestamp false
                                """)
                        .is("limits.max_packet_size", "1MiB", MAIN + ":2")
                        .is("limits.message_size_limit", "null", MAIN + ":3")
                        .is("limits.max_inflight_messages", "null", MAIN + ":4")
                        .is("limits.max_queued_messages", "500", MAIN + ":5")
                        .is("limits.max_queued_bytes", "10MiB", MAIN + ":6")
                        .is("limits.memory_limit", "null", MAIN + ":7")
                        .is("limits.max_keepalive", "2m", MAIN + ":8")
                        .is("sys_interval", "0s", MAIN + ":9")
                        .is("logging.destinations", "[stdout, syslog]", MAIN + ":10")
                        .is("logging.destinations[1]", "syslog", MAIN + ":11")
                        .is("logging.types", "[error, warning]", MAIN + ":12")
                        .is("logging.connection_messages", "false", MAIN + ":14")
                        .is("logging.timestamp", "false", MAIN + ":15")
                        .is("logging.file", "null", MAIN)
                        .done(),
                c("log_dest none and log_type all").conf("log_dest stderr\nlog_dest none\nlog_type all\nlog_type none\nlog_type subscribe\n")
                        .is("logging.destinations", "[none]", MAIN + ":1")
                        .is("logging.types", "[subscribe]", MAIN + ":3")
                        .done(),
                c("max_connections -1 and 0 mean unlimited").conf("listener 1883\nmax_connections -1\nlistener 1884\nmax_connections 0\n")
                        .is("listeners[0].max_connections", "null", MAIN + ":2")
                        .is("listeners[1].max_connections", "null", MAIN + ":4")
                        .done(),
                c("plugins and their option names").conf("""
                                listener 1883
                                plugin /usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so
                                plugin_opt_config_file /var/lib/mosquitto/dynamic-security.json
                                auth_opt_backends files
                                """)
                        .is("plugins[0].path", "/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so", MAIN + ":2")
                        .is("plugins[0].listener_port", "null", MAIN + ":2")
                        .is("plugins[0].option_keys", "[config_file, backends]", MAIN + ":2")
                        .is("listeners[0].auth.plugins", "[/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so]", MAIN + ":1")
                        .is("listeners[0].auth.acl_enabled", "true", MAIN + ":2")
                        .done(),
                c("per-listener plugin").conf("per_listener_settings true\nlistener 1883\nlistener 8883\nauth_plugin /usr/lib/auth.so\nauth_opt_db_host localhost\n")
                        .is("plugins[0].listener_port", "8883", MAIN + ":3")
                        .is("listeners[0].auth.plugins", "[]", MAIN + ":2")
                        .is("listeners[1].auth.plugins", "[/usr/lib/auth.so]", MAIN + ":3")
                        .done(),
                c("bridge topic lines are not ACL rules").conf("""
                                listener 1883 127.0.0.1
                                connection cloud
                                address broker.example.com:8883
                                topic sensors/# out 1
                                topic # in 0 local/ remote/
                                bridge_cafile /etc/ssl/certs/ca.crt
                                remote_username bridge
                                remote_password secret
                                """)
                        .is("acl_grants", "[]", MAIN)
                        .is("listeners", "[listener 1883 127.0.0.1]", MAIN)
                        .done(),
                c("bridge options outside a connection").conf("topic sensors/#\naddress 10.0.0.1\n")
                        .diag("mosquitto.misplaced_directive@" + MAIN + ":1")
                        .diag("mosquitto.misplaced_directive@" + MAIN + ":2")
                        .done(),
                c("upstream example shape: everything commented out").conf("""
                                # Config file for mosquitto
                                #
                                # See mosquitto.conf(5) for more information.
                                #
                                # =================================================================
                                # General configuration
                                # =================================================================

                                #per_listener_settings false
                                #allow_zero_length_clientid true
                                #max_keepalive 65535
                                #sys_interval 10

                                # =================================================================
                                # Listeners
                                # =================================================================
                                #listener
                                #max_connections -1
                                #protocol mqtt

                                # -----------------------------------------------------------------
                                # Certificate based SSL/TLS support
                                # -----------------------------------------------------------------
                                #certfile
                                #keyfile
                                #require_certificate false

                                # =================================================================
                                # Security
                                # =================================================================
                                #allow_anonymous false
                                #password_file
                                #acl_file
                                """)
                        .is("listeners", "[listener 1883 (default, loopback)]", MAIN)
                        .is("listeners[0].auth.anonymous", "true", DEFAULT)
                        .done(),
                c("common typing mistakes").conf("""
                                listener 1883
                                allow_anonymous\ttrue
                                  # indented comment
                                \tpassword_file /p
                                alow_anonymous true
                                password_file
                                require_certificate yes
                                acl_file /etc/mosquitto/acl # our ACL
                                max_packet_size 10KB
                                foo_bar 1
                                sys_interval 30
                                """.replace("\\t", "\t"))
                        .is("listeners[0].auth.anonymous", "false", DEFAULT)
                        .is("listeners[0].auth.acl_file", "/etc/mosquitto/acl # our ACL", MAIN + ":8")
                        .is("limits.max_packet_size", "null", DEFAULT)
                        .is("sys_interval", "30s", MAIN + ":11")
                        .is("acl_grants", "unknown", MAIN + ":8")
                        .diag("mosquitto.unknown_directive@" + MAIN + ":2")
                        .diag("mosquitto.unknown_directive@" + MAIN + ":3")
                        .diag("mosquitto.unknown_directive@" + MAIN + ":4")
                        .diag("mosquitto.unknown_directive@" + MAIN + ":5")
                        .diag("mosquitto.missing_argument@" + MAIN + ":6")
                        .diag("mosquitto.bad_value@" + MAIN + ":7")
                        .diag("mosquitto.suspicious_value@" + MAIN + ":8")
                        .diag("mosquitto.missing_file@" + MAIN + ":8")
                        .diag("mosquitto.bad_value@" + MAIN + ":9")
                        .diag("mosquitto.bad_value@" + MAIN + ":9")
                        .diag("mosquitto.unknown_directive@" + MAIN + ":10")
                        .done(),
                c("duplicate single values").conf("listener 1883\npassword_file /a\npassword_file /b\nlog_dest file /l1\nlog_dest file /l2\n")
                        .is("listeners[0].auth.password_file", "/a", MAIN + ":2")
                        .is("logging.file", "/l1", MAIN + ":4")
                        .diag("mosquitto.duplicate_value@" + MAIN + ":3")
                        .diag("mosquitto.duplicate_value@" + MAIN + ":5")
                        .done(),
                c("CRLF line ends and blank lines").conf("# windows file\r\n\r\n   \r\nlistener 8883\r\nallow_anonymous true\r\n")
                        .is("listeners[0].port", "8883", MAIN + ":4")
                        .is("listeners[0].auth.anonymous", "true", MAIN + ":5")
                        .done(),
                c("mount point and per-listener options").conf("listener 1883\nmount_point tenant-a/\nbind_interface eth0\nsocket_domain ipv4\n")
                        .is("listeners[0].mount_point", "tenant-a/", MAIN + ":2")
                        .is("listeners[0].bind_interface", "eth0", MAIN + ":3")
                        .is("listeners[0].loopback_only", "false", MAIN + ":3")
                        .done(),
                c("invalid values keep the defaults").conf("listener 70000\nlistener 1883\nmax_keepalive 5\nsys_interval -1\nmax_packet_size 10\nmount_point a/+\nprotocol mqttsn\n")
                        .is("listeners[0].port", "unknown", MAIN + ":1")
                        .is("limits.max_keepalive", "65535s", DEFAULT)
                        .is("sys_interval", "10s", DEFAULT)
                        .is("listeners[1].mount_point", "null", MAIN + ":2")
                        .diag("mosquitto.bad_value@" + MAIN + ":1")
                        .diag("mosquitto.bad_value@" + MAIN + ":3")
                        .diag("mosquitto.bad_value@" + MAIN + ":4")
                        .diag("mosquitto.bad_value@" + MAIN + ":5")
                        .diag("mosquitto.bad_value@" + MAIN + ":6")
                        .diag("mosquitto.bad_value@" + MAIN + ":7")
                        .done(),
                c("missing include_dir").conf("include_dir /etc/mosquitto/missing.d\nlistener 1883\n")
                        .is("listeners[0].port", "1883", MAIN + ":2")
                        .diag("mosquitto.missing_include@" + MAIN + ":1")
                        .done(),
                c("plugin option without plugin and retry_interval").conf("plugin_opt_config_file x\nretry_interval 20\nlistener 1883\n")
                        .diag("mosquitto.misplaced_directive@" + MAIN + ":1")
                        .diag("mosquitto.ignored_setting@" + MAIN + ":2")
                        .done()
        );
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void readsFactsAndOrigins(Case k, @TempDir Path root) {
        Facts.write(root, k.files());
        FactSet fs = Facts.collect(root, MAIN);
        Value.Obj broker = Facts.broker(fs);
        List<String> problems = new ArrayList<>();
        for (String[] e : k.expect()) {
            Value v;
            try {
                v = at(broker, e[0]);
            } catch (AssertionError err) {
                problems.add(e[0] + ": " + err.getMessage());
                continue;
            }
            String got = show(v) + " @ " + where(v);
            String want = e[1] + " @ " + e[2];
            if (!got.equals(want)) problems.add(e[0] + ": expected " + want + " but got " + got);
        }
        List<String> gotDiags = new ArrayList<>(Facts.codes(fs));
        List<String> wantDiags = new ArrayList<>(k.diags());
        gotDiags.sort(null);
        wantDiags.sort(null);
        if (!gotDiags.equals(wantDiags)) problems.add("diagnostics: expected " + wantDiags + " but got " + gotDiags + "\n" + fs.diagnostics());
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void everyObjectFieldIsSetExplicitly(@TempDir Path root) {
        Facts.write(root, Map.of(MAIN, "listener 8883\ncertfile /c\nkeyfile /k\nplugin /p.so\nacl_file acl\n", "etc/mosquitto/acl", "topic a/#\n"));
        FactSet fs = Facts.collect(root, MAIN);
        for (Map.Entry<String, String> leaf : Facts.flatten(Facts.broker(fs)).entrySet()) {
            assertTrue(!leaf.getValue().contains("was not collected"), leaf.getKey() + " = " + leaf.getValue());
        }
    }

    @Test
    void defaultsCarryTheManPageAsNote(@TempDir Path root) {
        Facts.write(root, Map.of(MAIN, "listener 1883\n"));
        Value v = at(Facts.broker(Facts.collect(root, MAIN)), "listeners[0].auth.anonymous");
        assertEquals(Origin.Kind.DEFAULT, v.origin().kind());
        assertEquals(MAIN, v.origin().source());
        assertTrue(v.origin().note().startsWith("mosquitto.conf(5): allow_anonymous"), v.origin().note());
    }

    @Test
    void missingMainConfigurationGivesUnknownFacts(@TempDir Path root) {
        FactSet fs = Facts.collect(root, "nope/mosquitto.conf");
        Value.Obj b = Facts.broker(fs);
        assertEquals("mosquitto:nope/mosquitto.conf", show(b.get("id")));
        assertInstanceOf(Value.Unknown.class, b.get("listeners"));
        assertInstanceOf(Value.Unknown.class, b.get("acl_grants"));
        assertEquals(List.of("mosquitto.missing_file@nope/mosquitto.conf"), Facts.codes(fs));
    }

    @Test
    void absolutePathsAreFoundInACopiedSystemTree(@TempDir Path root) {
        String main = "examples/debian/etc/mosquitto/mosquitto.conf";
        Facts.write(root, Map.of(main, DEBIAN + "acl_file /etc/mosquitto/acl\n",
                "examples/debian/etc/mosquitto/conf.d/local.conf", "listener 1883\n",
                "examples/debian/etc/mosquitto/acl", "topic a/#\n"));
        FactSet fs = Facts.collect(root, main);
        Value.Obj b = Facts.broker(fs);
        assertEquals(List.of(), Facts.codes(fs));
        assertEquals("examples/debian/etc/mosquitto/conf.d/local.conf:1", where(at(b, "listeners[0].port")));
        assertEquals("acl:examples/debian/etc/mosquitto/acl:1", show(at(b, "acl_grants[0].id")));
    }

    @Test
    void mainConfigurationOutsideTheRootIsShownAbsolute(@TempDir Path root, @TempDir Path elsewhere) {
        Facts.write(elsewhere, Map.of("m.conf", "listener 1883\nacl_file acl\n", "acl", "topic x\n"));
        FactSet fs = MosquittoCollector.collect(elsewhere.resolve("m.conf"), MosquittoCollector.Options.ofRoot(root));
        String main = elsewhere.resolve("m.conf").toAbsolutePath().toString().replace('\\', '/');
        Value.Obj b = Facts.broker(fs);
        assertEquals("mosquitto:" + main, show(b.get("id")));
        assertEquals(main + ":1", where(at(b, "listeners[0].port")));
        assertEquals(elsewhere.resolve("acl").toAbsolutePath().toString().replace('\\', '/') + ":1", where(at(b, "acl_grants[0].topic")));
    }

    @Test
    void versionFromOptions(@TempDir Path root) {
        Facts.write(root, Map.of(MAIN, "listener 1883\nglobal_plugin /p.so\n"));
        FactSet fs = MosquittoCollector.collect(root.resolve(MAIN), new MosquittoCollector.Options(root, "2.0.18", null));
        Value v = Facts.broker(fs).get("version");
        assertEquals("2.0.18", show(v));
        assertEquals(Origin.api("command line", "--mosquitto-version"), v.origin());
        assertEquals(List.of("mosquitto.unsupported_directive@" + MAIN + ":2"), Facts.codes(fs));

        FactSet v21 = MosquittoCollector.collect(root.resolve(MAIN), new MosquittoCollector.Options(root, "2.1.0", null));
        assertEquals(List.of(), Facts.codes(v21));
        assertEquals("[/p.so]", show(at(Facts.broker(v21), "listeners[0].auth.plugins")));
    }

    @Test
    void badVersionOption(@TempDir Path root) {
        Facts.write(root, Map.of(MAIN, "listener 1883\n"));
        FactSet fs = MosquittoCollector.collect(root.resolve(MAIN), new MosquittoCollector.Options(root, "latest", null));
        assertInstanceOf(Value.Unknown.class, Facts.broker(fs).get("version"));
        assertEquals(List.of("mosquitto.bad_version@command line"), Facts.codes(fs));
    }

    @Test
    void unknownVersionExplainsHowToKnowIt(@TempDir Path root) {
        Facts.write(root, Map.of(MAIN, "listener 1883\n"));
        Value v = Facts.broker(Facts.collect(root, MAIN)).get("version");
        assertEquals(new Value.Unknown("broker version not known: pass --mosquitto-version or --probe-version", Origin.file(MAIN, 0)), v);
    }

    @Test
    void probeOfAMissingBinaryIsADiagnostic(@TempDir Path root) {
        Facts.write(root, Map.of(MAIN, "listener 1883\n"));
        FactSet fs = MosquittoCollector.collect(root.resolve(MAIN), new MosquittoCollector.Options(root, null, root.resolve("no-such-binary")));
        assertInstanceOf(Value.Unknown.class, Facts.broker(fs).get("version"));
        assertEquals("mosquitto.version_probe_failed", fs.diagnostics().get(0).code());
    }

    @Test
    void collectTextUsesTheGivenText(@TempDir Path root) {
        FactSet fs = MosquittoCollector.collectText("listener 1884\nallow_anonymous true\n", root.resolve("mosquitto.conf"), MosquittoCollector.Options.ofRoot(root));
        assertEquals("true @ mosquitto.conf:2", show(at(Facts.broker(fs), "listeners[0].auth.anonymous")) + " @ " + where(at(Facts.broker(fs), "listeners[0].auth.anonymous")));
    }

    @Test
    void diagnosticsFollowTheMessageStyle(@TempDir Path root) {
        Facts.write(root, Map.of(MAIN, "listener 1883\nallow_anonymous\ttrue\n  # x\nfoo 1\npassword_file\nmax_packet_size 1KB\nacl_file /nope\n"));
        FactSet fs = Facts.collect(root, MAIN);
        assertTrue(fs.diagnostics().size() >= 6);
        fs.diagnostics().forEach(d -> {
            assertTrue(!d.message().endsWith("."), d.message());
            assertTrue(Character.isLowerCase(d.message().charAt(0)) || d.message().charAt(0) == '`', d.message());
            assertTrue(!d.help().isEmpty(), d.code());
            assertTrue(d.at().hasLine(), d.toString());
        });
    }
}
