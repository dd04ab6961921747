package dev.warden.hivemq;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The extension's configuration file: every setting, defaults, and errors with their line and a hint. */
class WardenConfigTest {
    static final Path HOME = Path.of("/opt/hivemq/extensions/warden");

    static String error(String text) {
        return assertThrows(WardenConfig.ConfigException.class, () -> WardenConfig.parse("warden.properties", text, HOME)).getMessage();
    }

    @Test
    void everySettingIsRead() throws Exception {
        WardenConfig c = WardenConfig.parse("warden.properties", """
                # Warden
                policy = policies/
                authorize = devices
                param.max_qos = 1
                decision-log = logs/decisions.jsonl
                decision-log.max-bytes = 5MiB
                decision-log.keep = 3
                decision-log.allow-sample = 100
                decision-log.queue = 1024
                watch = 2s
                publish-denied = disconnect
                mqtt3-publish-denied = drop
                receive-check = off
                authentication = defer
                """, HOME);
        assertEquals(HOME.resolve("policies"), c.policy());
        assertEquals("devices", c.authorize());
        assertEquals("1", c.params().get("max_qos"));
        assertEquals(HOME.resolve("logs/decisions.jsonl"), c.decisionLog());
        assertEquals(5L << 20, c.decisionLogMaxBytes());
        assertEquals(3, c.decisionLogKeep());
        assertEquals(100, c.decisionLogAllowSample());
        assertEquals(1024, c.decisionLogQueue());
        assertEquals(Duration.ofSeconds(2), c.watch());
        assertEquals(WardenConfig.PublishDenied.DISCONNECT, c.publishDenied());
        assertEquals(WardenConfig.Mqtt3Denied.DROP, c.mqtt3Denied());
        assertEquals(WardenConfig.ReceiveCheck.OFF, c.receiveCheck());
        assertEquals(WardenConfig.Authentication.DEFER, c.authentication());
    }

    @Test
    void defaultsAreTheSafeOnes() throws Exception {
        WardenConfig c = WardenConfig.parse("w", "policy = /etc/warden/p.warden", HOME);
        assertEquals(Path.of("/etc/warden/p.warden"), c.policy());
        assertNull(c.authorize());
        assertNull(c.decisionLog());
        assertNull(c.watch());
        assertEquals(WardenConfig.PublishDenied.DROP, c.publishDenied());
        assertEquals(WardenConfig.Mqtt3Denied.DISCONNECT, c.mqtt3Denied());
        assertEquals(WardenConfig.ReceiveCheck.RELOAD, c.receiveCheck(), "checks deliveries only where a subscription may predate the policy");
        assertEquals(WardenConfig.Authentication.DECIDE, c.authentication());
    }

    @Test
    void errorsNameTheLineAndGiveAHint() {
        String typo = error("policy = p\nwacth = 2s\n");
        assertTrue(typo.startsWith("warden.properties:2: unknown key `wacth` (did you mean `watch`?)"), typo);
        assertTrue(typo.contains("hint: known keys:"), typo);
        assertTrue(error("authorize = x\n").contains("`policy` is required"));
        assertTrue(error("policy = p\nwatch = soon\n").startsWith("warden.properties:2: `watch` must be a duration"));
        assertTrue(error("policy = p\nwatch = 10ms\n").contains("at least 50ms"));
        assertTrue(error("policy = p\npublish-denied = kick\n").contains("must be one of drop, disconnect, found `kick`"));
        assertTrue(error("policy = p\nreceive-check = maybe\n").contains("must be on, reload or off"));
        assertTrue(error("policy = p\ndecision-log.keep = 0\n").contains("from 1 to 100"));
        assertTrue(error("policy = p\ndecision-log.max-bytes = 5MB\n").contains("hint: units B, KiB, MiB, GiB"));
        assertTrue(error("policy = p\npolicy = q\n").contains(":2: `policy` is already set at line 1"));
        assertTrue(error("policy p\n").startsWith("warden.properties:1: expected `key = value`"));
        assertTrue(error("policy = p\nauthorize = two words\n").contains("not an authorize block name"));
    }

    @Test
    void anUnreadableFileSaysWhereItLooked() {
        String m = assertThrows(WardenConfig.ConfigException.class, () -> WardenConfig.read(Path.of("/nonexistent/warden.properties"), HOME)).getMessage();
        assertTrue(m.startsWith("/nonexistent/warden.properties: cannot read") && m.contains("conf/warden.properties"), m);
    }

    @Test
    void permissionsEnforcementImpliesDisconnectAndRejectsWhatItCannotHonour() throws Exception {
        WardenConfig c = WardenConfig.parse("warden.properties", "policy = p/\nenforcement = permissions\n", HOME);
        assertEquals(WardenConfig.Enforcement.PERMISSIONS, c.enforcement());
        assertEquals(WardenConfig.PublishDenied.DISCONNECT, c.publishDenied(), "HiveMQ disconnects on a permission denial");
        assertEquals(WardenConfig.Enforcement.HOOKS, WardenConfig.parse("warden.properties", "policy = p/\n", HOME).enforcement());
        String drop = error("policy = p/\nenforcement = permissions\npublish-denied = drop\n");
        assertTrue(drop.startsWith("warden.properties:3: `publish-denied = drop` cannot be combined with `enforcement = permissions`"), drop);
        assertTrue(drop.contains("hint:"), drop);
        String m3 = error("policy = p/\nmqtt3-publish-denied = drop\nenforcement = permissions\n");
        assertTrue(m3.startsWith("warden.properties:2: `mqtt3-publish-denied = drop`"), m3);
        String defer = error("policy = p/\nenforcement = permissions\nauthentication = defer\n");
        assertTrue(defer.startsWith("warden.properties:3: `authentication = defer`"), defer);
        String bad = error("policy = p/\nenforcement = native\n");
        assertTrue(bad.startsWith("warden.properties:2: `enforcement` must be one of hooks, permissions, found `native`"), bad);
    }
}
