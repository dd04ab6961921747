package dev.warden.eval.authz;

import dev.warden.dsl.PolicyCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnforcerTest {

    static final String DEVICES = """
            authorize devices "Devices reach only their own namespace" {
              default deny
              connect require client.cert.cn == client.id else "certificate CN must equal the client id"
              connect forbid client.id matches "[+#/]"
              allow publish   "devices/${client.id}/telemetry/#" qos 0..1 retain false
              allow subscribe "devices/${client.id}/commands/+" qos 0..1
              allow receive   "broadcast/#" when client.username == "ops"
              deny  publish   "devices/${client.id}/telemetry/admin"
              limit payload 1KiB
              limit publish per client 5/s burst 3
              limit connections per ip 2
            }
            """;

    static Enforcer of(String text, AtomicLong clock) {
        return Enforcer.builder().sources(List.of(new PolicyCompiler.Source("devices.warden", text))).clock(clock::get).build();
    }

    static ClientInfo device(String id) {
        return ClientInfo.of(id, null, "10.0.0.1").withCert(id, List.of());
    }

    @Test
    void connectRulesBindTheCertificateToTheClientId() {
        try (Enforcer e = of(DEVICES, new AtomicLong())) {
            assertTrue(e.connect(device("d1")).connectDecision().allowed());
            Decision wrongCn = e.connect(ClientInfo.of("d2", null, "10.0.0.2").withCert("d1", List.of())).connectDecision();
            assertFalse(wrongCn.allowed());
            assertEquals(Decision.Reason.CONNECT_REFUSED, wrongCn.reason());
            assertTrue(wrongCn.explain().contains("certificate CN must equal the client id"), wrongCn.explain());
            assertEquals("devices.warden:3:3", wrongCn.origin().display());
            // no certificate: client.cert.cn is not set, the require is not true, so the client is refused (fail closed)
            assertFalse(e.connect(ClientInfo.of("d3", null, "10.0.0.3")).connectDecision().allowed());
            assertFalse(e.connect(ClientInfo.of("a/b", null, "10.0.0.4").withCert("a/b", List.of())).connectDecision().allowed());
        }
    }

    @Test
    void topicRulesExplainThemselves() {
        try (Enforcer e = of(DEVICES, new AtomicLong())) {
            Session s = e.connect(device("d1"));
            Decision ok = e.publish(s, "devices/d1/telemetry/temp", 1, false, 10);
            assertTrue(ok.allowed(), ok.explain());
            assertEquals("devices.warden:5:3", ok.origin().display());
            Decision other = e.publish(s, "devices/d2/telemetry/temp", 0, false, 10);
            assertEquals(Decision.Reason.NO_MATCHING_RULE, other.reason());
            Decision admin = e.publish(s, "devices/d1/telemetry/admin", 0, false, 10);
            assertEquals(Decision.Reason.DENIED_BY_RULE, admin.reason());
            assertEquals("devices.warden:8:3", admin.origin().display());
            assertEquals(Decision.Reason.QOS_NOT_ALLOWED, e.publish(s, "devices/d1/telemetry/t", 2, false, 10).reason());
            assertEquals(Decision.Reason.RETAIN_NOT_ALLOWED, e.publish(s, "devices/d1/telemetry/t", 0, true, 10).reason());
            assertEquals(Decision.Reason.PAYLOAD_TOO_LARGE, e.publish(s, "devices/d1/telemetry/t", 0, false, 1025).reason());
            assertEquals(Decision.Reason.INVALID_TOPIC, e.publish(s, "devices/d1/telemetry/#", 0, false, 1).reason());
            assertTrue(e.subscribe(s, "devices/d1/commands/+", 1).allowed());
            assertTrue(e.subscribe(s, "$share/g/devices/d1/commands/reboot", 0).allowed());
            assertFalse(e.subscribe(s, "devices/+/commands/+", 0).allowed());
            assertFalse(e.subscribe(s, "devices/d1/commands/#", 0).allowed(), "# reaches deeper than the grant's +");
            assertEquals(Decision.Reason.QOS_NOT_ALLOWED, e.subscribe(s, "devices/d1/commands/x", 2).reason());
            assertTrue(e.receive(s, "devices/d1/commands/x").allowed());
            assertFalse(e.receive(s, "broadcast/all").allowed(), "the receive rule applies to user ops only");
            Session ops = e.connect(ClientInfo.of("d9", "ops", "10.0.0.9").withCert("d9", List.of()));
            assertTrue(e.receive(ops, "broadcast/all").allowed());
        }
    }

    @Test
    void rateAndConnectionLimits() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        try (Enforcer e = of(DEVICES, now)) {
            Session s = e.connect(device("d1"));
            for (int i = 0; i < 3; i++) assertTrue(e.publish(s, "devices/d1/telemetry/t", 0, false, 1).allowed(), "burst " + i);
            Decision over = e.publish(s, "devices/d1/telemetry/t", 0, false, 1);
            assertEquals(Decision.Reason.RATE_LIMITED, over.reason());
            assertFalse(over.disconnect());
            assertEquals("devices.warden:10:3", over.origin().display(), "located at the `limit publish per client` line");
            assertTrue(over.explain().contains("rate limit exceeded: 5 messages per client per second (burst 3)"), over.explain());
            now.addAndGet(200_000_000L); // 5/s: one more message after 200 ms
            assertTrue(e.publish(s, "devices/d1/telemetry/t", 0, false, 1).allowed());
            assertFalse(e.publish(s, "devices/d1/telemetry/t", 0, false, 1).allowed());
            assertEquals(1, e.metrics().count(false, Decision.Reason.RATE_LIMITED) - 1);

            Session second = e.connect(device("d2"));
            assertTrue(second.connectDecision().allowed());
            Session third = e.connect(device("d3"));
            assertEquals(Decision.Reason.CONNECTION_LIMIT, third.connectDecision().reason());
            e.disconnect(second);
            e.disconnect(second);
            assertTrue(e.connect(device("d3")).connectDecision().allowed(), "a slot was freed once");
        }
    }

    @Test
    void brokenPolicyAtStartDeniesEverything(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("p.warden");
        Files.writeString(p, "authorize x { allow publsh \"a\" }");
        try (Enforcer e = Enforcer.builder().policy(p).build()) {
            assertFalse(e.lastReload().ok());
            assertTrue(e.lastReload().message().contains("unknown action `publsh`"), e.lastReload().message());
            Session s = e.connect(ClientInfo.of("c", null, "127.0.0.1"));
            assertEquals(Decision.Reason.NO_POLICY, s.connectDecision().reason());
            assertEquals(Decision.Reason.NO_POLICY, e.publish(s, "a", 0, false, 1).reason());
            assertTrue(e.metrics().prometheus().contains("warden_policy_loaded 0"));
        }
    }

    @Test
    void brokenUpdateKeepsTheLastGoodPolicyAndAFixedOneIsPickedUp(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("p.warden");
        Files.writeString(p, "authorize x { allow publish \"a/#\" }");
        try (Enforcer e = Enforcer.builder().policy(dir).watch(Duration.ofMillis(20)).build()) {
            Session s = e.connect(ClientInfo.of("c", null, "127.0.0.1"));
            assertTrue(e.publish(s, "a/b", 0, false, 1).allowed());
            Files.writeString(p, "authorize x { allow publish \"a/#/b\" }");
            // the watcher may also catch the file half-written; either way the update is rejected
            // the outcome and the counter are published one after the other: wait for both
            waitFor(() -> e.lastReload().message().contains("`#` must be the last level") && e.metrics().reloadFailures() >= 1);
            assertTrue(e.publish(s, "a/b", 0, false, 1).allowed(), "last good policy still enforced");
            Files.writeString(p, "authorize x { allow publish \"b/#\" }");
            waitFor(() -> e.metrics().reloads() >= 2);
            assertFalse(e.publish(s, "a/b", 0, false, 1).allowed(), "the session was rebound to the new policy");
            assertTrue(e.publish(s, "b/c", 0, false, 1).allowed());
            String prom = e.metrics().prometheus();
            assertTrue(prom.matches("(?s).*\nwarden_policy_reload_failures_total [1-9][0-9]*\n.*"), prom);
            assertTrue(prom.contains("warden_decisions_total{action=\"publish\",result=\"allow\",reason=\"allowed_by_rule\",policy=\"x\",rule=\""), prom);
        }
    }

    static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not reached in 10 s");
            Thread.sleep(10);
        }
    }

    @Test
    void decisionLogWritesDenialsAndSampledAllowsWithoutSecrets(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("decisions.jsonl");
        try (DecisionLog dl = new DecisionLog(log, 2048, 2, 2, 1000);
             Enforcer e = Enforcer.builder().sources(List.of(new PolicyCompiler.Source("p.warden", "authorize x { allow publish \"a/#\" }"))).log(dl).build()) {
            Session s = e.connect(new ClientInfo("c1", "alice", null, List.of(), null, "10.1.2.3", "password", "5", 1883));
            for (int i = 0; i < 40; i++) e.publish(s, i % 2 == 0 ? "a/x" : "b/x", 0, false, 5);
            dl.flush();
            dl.close();
            List<String> lines = Files.readAllLines(log);
            Path rotated = dir.resolve("decisions.jsonl.1");
            assertTrue(Files.exists(rotated), "rotated at 2 KiB");
            assertTrue(Files.size(log) <= 2048);
            List<String> all = new java.util.ArrayList<>(Files.readAllLines(rotated));
            all.addAll(lines);
            if (Files.exists(dir.resolve("decisions.jsonl.2"))) all.addAll(Files.readAllLines(dir.resolve("decisions.jsonl.2")));
            long denies = all.stream().filter(l -> l.contains("\"decision\":\"deny\"")).count();
            assertTrue(denies >= 1);
            assertTrue(all.stream().allMatch(l -> l.startsWith("{\"time\":\"") && l.contains("\"client\":\"c1\"") && l.contains("\"ip\":\"10.1.2.3\"")));
            assertTrue(all.stream().noneMatch(l -> l.contains("payload")));
        }
    }

    @Test
    void checkDoesNotChargeAndChargeDoes() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        try (Enforcer e = of(DEVICES, now)) {
            Session s = e.connect(device("d1"));
            for (int i = 0; i < 10; i++) assertTrue(e.check(s, "devices/d1/telemetry/t", 0, false, 1).allowed());
            assertEquals(Decision.Reason.NO_MATCHING_RULE, e.check(s, "devices/d2/telemetry/t", 0, false, 1).reason());
            for (int i = 0; i < 3; i++) assertTrue(e.charge(s, 1).isEmpty(), "burst " + i);
            assertEquals(Decision.Reason.RATE_LIMITED, e.charge(s, 1).orElseThrow().reason());
            assertTrue(s.ruleActive(0));
            assertFalse(s.ruleActive(2), "the receive rule is for user ops only");
            assertTrue(e.checkConnect(device("d7")).allowed());
            assertFalse(e.checkConnect(ClientInfo.of("d8", null, "10.0.0.1")).allowed());
        }
    }

    @Test
    void refusalsSurviveReloadsAndNameTheirRule(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("p.warden");
        Files.writeString(p, DEVICES);
        try (Enforcer e = Enforcer.builder().policy(p).build()) {
            e.connect(device("d1"));
            e.connect(device("d2"));
            Session third = e.connect(device("d3"));
            assertEquals(Decision.Reason.CONNECTION_LIMIT, third.connectDecision().reason());
            Files.writeString(p, DEVICES.replace("limit payload 1KiB", "limit payload 2KiB"));
            assertTrue(e.reload().ok());
            Decision d = e.publish(third, "devices/d3/telemetry/t", 0, false, 1);
            assertEquals(Decision.Reason.CONNECT_REFUSED, d.reason(), "a reload does not undo a connection-limit refusal");
            Session wrong = e.connect(ClientInfo.of("d4", null, "10.9.9.9").withCert("d5", List.of()));
            Decision w = e.publish(wrong, "devices/d4/telemetry/t", 0, false, 1);
            assertEquals(Decision.Reason.CONNECT_REFUSED, w.reason());
            assertTrue(w.explain().contains("certificate CN must equal the client id"), w.explain());
            assertEquals(p.toString() + ":3:3", w.origin().display());
        }
    }

    @Test
    void policyChangeListenersRunBeforeTheSwap(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("p.warden");
        Files.writeString(p, "authorize x { allow publish \"a/#\" }");
        try (Enforcer e = Enforcer.builder().policy(p).build()) {
            java.util.List<Boolean> sawOld = new java.util.ArrayList<>();
            AuthzEngine before = e.engine();
            e.onPolicyChange(next -> sawOld.add(e.engine() == before && next != before));
            Files.writeString(p, "authorize x { allow publish \"b/#\" }");
            assertTrue(e.reload().ok());
            Files.writeString(p, "authorize x { allow publish \"b/#/c\" }");
            assertFalse(e.reload().ok());
            assertEquals(List.of(true, false), sawOld, "called before the new engine is in force and once after; not for a rejected update");
        }
    }
}
