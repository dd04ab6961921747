package dev.warden.pdp;

import dev.warden.eval.authz.Enforcer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PDP's session table seen through the contracts: connection limits, replacement, bounds, expiry, reload. */
class SessionsTest {
    static final String LIMITED = """
            authorize limited {
              default deny
              allow publish "devices/${client.id}/#"
              limit connections per ip 2
            }
            """;

    static String authn(String id, String ip) {
        return "{\"clientid\":\"" + id + "\",\"username\":\"u\",\"peerhost\":\"" + ip + "\"}";
    }

    static String register(String id, String ip) {
        return "{\"peer_addr\":\"" + ip + "\",\"peer_port\":1,\"username\":\"u\",\"password\":\"p\",\"mountpoint\":\"\",\"client_id\":\"" + id + "\",\"clean_session\":true}";
    }

    @Test
    void connectionLimitPerAddressAtAuthenticationAndRelease() throws Exception {
        try (Pdp p = new Pdp(LIMITED, o -> {})) {
            assertEquals("ignore", Pdp.json(p.postJson("/emqx/authn", authn("c1", "10.9.0.1"))).get("result").asText());
            assertEquals("ignore", Pdp.json(p.postJson("/emqx/authn", authn("c2", "10.9.0.1"))).get("result").asText());
            HttpResponse<String> third = p.postJson("/emqx/authn", authn("c3", "10.9.0.1"));
            assertEquals("deny", Pdp.json(third).get("result").asText());
            assertTrue(Pdp.why(third).contains("too many connections"), Pdp.why(third));
            // the refused client keeps no session: its authorization calls are evaluated again and refused again
            String pub = "{\"clientid\":\"c3\",\"username\":\"u\",\"peerhost\":\"10.9.0.1\",\"topic\":\"devices/c3/t\",\"action\":\"publish\",\"qos\":0,\"retain\":false}";
            assertEquals("deny", Pdp.json(p.postJson("/emqx/authz", pub)).get("result").asText());
            // a reconnect of c1 replaces its session (the old slot is released, the new one taken)
            assertEquals("ignore", Pdp.json(p.postJson("/emqx/authn", authn("c1", "10.9.0.1"))).get("result").asText());
            assertEquals("ignore", Pdp.json(p.postJson("/emqx/authn", authn("c4", "10.9.0.2"))).get("result").asText(), "another address");
        }
    }

    @Test
    void vernemqClientGoneFreesTheSlot() throws Exception {
        try (Pdp p = new Pdp(LIMITED, o -> {})) {
            assertEquals("next", Pdp.json(VernemqContractTest.hook(p, "auth_on_register", register("v1", "10.8.0.1"))).get("result").asText());
            assertEquals("next", Pdp.json(VernemqContractTest.hook(p, "auth_on_register", register("v2", "10.8.0.1"))).get("result").asText());
            assertEquals("not_allowed", Pdp.json(VernemqContractTest.hook(p, "auth_on_register", register("v3", "10.8.0.1"))).get("result").get("error").asText());
            VernemqContractTest.hook(p, "on_client_offline", "{\"client_id\":\"v1\",\"mountpoint\":\"\"}");
            assertEquals("next", Pdp.json(VernemqContractTest.hook(p, "auth_on_register", register("v3", "10.8.0.1"))).get("result").asText());
        }
    }

    @Test
    void theTableIsBoundedAndIdleSessionsExpire() throws Exception {
        try (Pdp p = new Pdp(Pdp.DEVICES, o -> o.maxSessions(16).sessionIdle(Duration.ofMillis(800)))) {
            for (int i = 0; i < 60; i++) {
                String body = "{\"clientid\":\"b" + i + "\",\"peerhost\":\"10.7.0." + i + "\",\"topic\":\"devices/b" + i + "/telemetry/t\",\"action\":\"publish\",\"qos\":0,\"retain\":false}";
                assertEquals("allow", Pdp.json(p.postJson("/emqx/authz", body)).get("result").asText());
            }
            assertTrue(p.server.sessionCount() <= 16, "bounded: " + p.server.sessionCount());
            long end = System.nanoTime() + 10_000_000_000L;
            while (p.server.sessionCount() > 0 && System.nanoTime() < end) Thread.sleep(100);
            assertEquals(0, p.server.sessionCount(), "idle sessions are released by the sweeper");
        }
    }

    @Test
    void anIdleClientKeepsTheIdentityItAuthenticatedWith() throws Exception {
        String policy = """
                authorize certs {
                  default deny
                  connect require client.cert.cn == client.id else "certificate CN must equal the client id"
                  allow publish "devices/${cert.cn}/#"
                }
                """;
        try (Pdp p = new Pdp(policy, o -> o.sessionIdle(Duration.ofMillis(500)))) {
            String reg = "{\"peer_addr\":\"10.5.0.1\",\"peer_port\":1,\"username\":null,\"password\":null,\"mountpoint\":\"\",\"client_id\":\"d1\","
                    + "\"clean_session\":true,\"client_cert\":\"" + Pki.DEVICE_D1_DER_B64 + "\"}";
            assertEquals("next", Pdp.json(VernemqContractTest.hook(p, "auth_on_register", reg)).get("result").asText());
            long end = System.nanoTime() + 10_000_000_000L;
            while (p.server.sessionCount() > 0 && System.nanoTime() < end) Thread.sleep(100);
            assertEquals(0, p.server.sessionCount(), "the idle session was released");
            // auth_on_publish carries no certificate: the kept identity reconnects the client with it
            HttpResponse<String> pub = VernemqContractTest.hook(p, "auth_on_publish", VernemqContractTest.publish("d1", "devices/d1/t", 0, false, "")
                    .replace("\"dev\"", "null"));
            assertEquals("ok", Pdp.json(pub).get("result").asText(), Pdp.why(pub));
            assertEquals(1, p.server.sessionCount());
        }
    }

    @Test
    void anotherAddressReplacesTheSession() throws Exception {
        String policy = """
                authorize lan {
                  default deny
                  connect require client.ip == "10.6.0.1" else "only from 10.6.0.1"
                  allow publish "t/#"
                }
                """;
        try (Pdp p = new Pdp(policy, o -> {})) {
            String from1 = "{\"clientid\":\"m\",\"peerhost\":\"10.6.0.1\",\"topic\":\"t/x\",\"action\":\"publish\",\"qos\":0,\"retain\":false}";
            assertEquals("allow", Pdp.json(p.postJson("/emqx/authz", from1)).get("result").asText());
            HttpResponse<String> from2 = p.postJson("/emqx/authz", from1.replace("10.6.0.1", "10.6.0.2"));
            assertEquals("deny", Pdp.json(from2).get("result").asText());
            assertTrue(Pdp.why(from2).contains("only from 10.6.0.1"), Pdp.why(from2));
        }
    }

    @Test
    void aPolicyUpdateIsPickedUpAndABrokenOneKeepsTheLastGood(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("p.warden");
        Files.writeString(f, "authorize x { allow publish \"a/#\" }");
        Enforcer e = Enforcer.builder().policy(dir).watch(Duration.ofMillis(50)).build();
        try (Pdp p = new Pdp(e, o -> {}, true)) {
            String a = "{\"clientid\":\"r\",\"topic\":\"a/1\",\"action\":\"publish\",\"qos\":0,\"retain\":false}";
            String b = a.replace("a/1", "b/1");
            assertEquals("allow", Pdp.json(p.postJson("/emqx/authz", a)).get("result").asText());
            Files.writeString(f, "authorize x { allow publish \"b/#\" }");
            waitFor(() -> e.metrics().reloads() >= 2);
            assertEquals("deny", Pdp.json(p.postJson("/emqx/authz", a)).get("result").asText(), "the held session follows the new policy");
            assertEquals("allow", Pdp.json(p.postJson("/emqx/authz", b)).get("result").asText());
            Files.writeString(f, "authorize x { allow publsh \"a/#\" }");
            waitFor(() -> e.metrics().reloadFailures() >= 1);
            assertEquals("allow", Pdp.json(p.postJson("/emqx/authz", b)).get("result").asText(), "last good policy kept");
            assertEquals(200, p.send(p.req("/healthz").GET().build()).statusCode());
        }
    }

    static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("not reached in 10 s");
            Thread.sleep(20);
        }
    }
}
