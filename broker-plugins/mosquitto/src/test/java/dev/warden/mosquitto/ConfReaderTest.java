package dev.warden.mosquitto;

import dev.warden.model.Origin;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pieces under the configuration reader: tokenising, include order and the directive table. */
class ConfReaderTest {

    @Test
    void includeOrderIsTheManPageExample() {
        List<String> files = new ArrayList<>(List.of("b.conf", "A.conf", "01.conf", "a.conf", "B.conf", "00.conf"));
        files.sort(ConfReader::includeOrder);
        assertEquals(List.of("00.conf", "01.conf", "A.conf", "a.conf", "B.conf", "b.conf"), files);
    }

    @Test
    void tokenisingFollowsStrtok() {
        Directive d = Directive.parse("  password_file   /etc/mosquitto/pw  ", Origin.file("m", 1));
        assertNotNull(d);
        assertEquals("password_file", d.name());
        assertEquals("/etc/mosquitto/pw", d.restTrimmed());
        Directive t = Directive.parse("allow_anonymous\ttrue", Origin.file("m", 1));
        assertEquals("allow_anonymous\ttrue", t.name());
        assertNull(Directive.parse("# comment", Origin.file("m", 1)));
        assertNull(Directive.parse("     ", Origin.file("m", 1)));
        assertEquals("#", Directive.parse("  # not a comment", Origin.file("m", 1)).name());
        Directive l = Directive.parse("listener 1883  127.0.0.1 extra", Origin.file("m", 1));
        assertEquals("1883", l.next());
        assertEquals("127.0.0.1", l.next());
        assertTrue(l.hasIgnoredTail());
    }

    @Test
    void atoiLikeC() {
        assertEquals(10, Directive.atoi("10KB"));
        assertEquals(0, Directive.atoi("abc"));
        assertEquals(-5, Directive.atoi("-5x"));
        assertEquals(Integer.MAX_VALUE, Directive.atoi("99999999999"));
    }

    @Test
    void theDirectiveTableKnowsEveryManPageOption() {
        // option names of mosquitto.conf(5) for mosquitto 2.0.11 (Debian bookworm)
        Set<String> manPage = Set.of("acl_file", "allow_anonymous", "allow_duplicate_messages", "allow_zero_length_clientid",
                "auth_plugin", "auth_plugin_deny_special_chars", "auto_id_prefix", "autosave_interval", "autosave_on_changes",
                "check_retain_source", "clientid_prefixes", "connection_messages", "include_dir", "log_dest", "log_facility",
                "log_timestamp", "log_timestamp_format", "log_type", "max_inflight_bytes", "max_inflight_messages", "max_keepalive",
                "max_packet_size", "max_queued_bytes", "max_queued_messages", "memory_limit", "message_size_limit", "password_file",
                "per_listener_settings", "persistence", "persistence_file", "persistence_location", "persistent_client_expiration",
                "pid_file", "psk_file", "queue_qos0_messages", "retain_available", "set_tcp_nodelay", "sys_interval",
                "upgrade_outgoing_qos", "user", "bind_address", "bind_interface", "http_dir", "listener", "max_connections", "max_qos",
                "max_topic_alias", "mount_point", "port", "protocol", "socket_domain", "use_username_as_clientid", "websockets_log_level",
                "websockets_headers_size", "cafile", "capath", "certfile", "ciphers", "ciphers_tls1.3", "crlfile", "dhparamfile",
                "keyfile", "require_certificate", "tls_engine", "tls_engine_kpass_sha1", "tls_keyform", "tls_version",
                "use_identity_as_username", "use_subject_as_username", "psk_hint", "address", "addresses", "bridge_attempt_unsubscribe",
                "bridge_bind_address", "bridge_max_packet_size", "bridge_outgoing_retain", "bridge_protocol_version", "cleansession",
                "local_cleansession", "connection", "keepalive_interval", "idle_timeout", "local_clientid", "local_password",
                "local_username", "notifications", "notifications_local_only", "notification_topic", "remote_clientid",
                "remote_password", "remote_username", "restart_timeout", "round_robin", "start_type", "threshold", "topic",
                "try_private", "bridge_alpn", "bridge_cafile", "bridge_capath", "bridge_certfile", "bridge_identity", "bridge_insecure",
                "bridge_keyfile", "bridge_psk", "bridge_require_ocsp", "bridge_tls_version", "clientid", "password", "username");
        for (String n : manPage) {
            DirectiveTable.Spec s = DirectiveTable.get(n);
            assertNotNull(s, n);
            assertTrue(!s.since21(), n + " is a 2.0 option");
        }
        assertTrue(DirectiveTable.isPluginOption("plugin_opt_config_file"));
        assertTrue(DirectiveTable.isPluginOption("auth_opt_backends"));
        assertTrue(DirectiveTable.get("global_plugin").since21());
    }

    @Test
    void loopbackAddresses() {
        for (String s : List.of("127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost", "LOCALHOST")) assertTrue(FactAssembler.isLoopbackAddress(s), s);
        for (String s : List.of("0.0.0.0", "::", "10.0.0.1", "example.com", "128.0.0.1", "")) assertTrue(!FactAssembler.isLoopbackAddress(s), s);
    }
}
