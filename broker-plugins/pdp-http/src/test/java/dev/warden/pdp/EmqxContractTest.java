package dev.warden.pdp;

import dev.warden.eval.authz.Decision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** EMQX 5 HTTP authentication and authorization request shapes, as EMQX renders its body templates. */
class EmqxContractTest {
    static Pdp pdp;

    @BeforeAll
    static void start() throws Exception { pdp = Pdp.devices(); }

    @AfterAll
    static void stop() { pdp.close(); }

    /** EMQX renders `body { clientid = "${clientid}", ... }` into JSON strings, absent values as "". */
    static String authz(String clientid, String username, String topic, String action, String qos, String retain) {
        return """
                {"clientid":"%s","username":"%s","peerhost":"10.0.0.7","topic":"%s","action":"%s","qos":"%s","retain":"%s","cert_common_name":""}
                """.formatted(clientid, username, topic, action, qos, retain);
    }

    @Test
    void authnDefersOnPassAndDeniesARefusedClient() throws Exception {
        HttpResponse<String> ok = pdp.postJson("/emqx/authn", """
                {"clientid":"d1","username":"dev","password":"s3cret-never-logged","peerhost":"10.0.0.7","cert_common_name":"","cert_subject":"","proto_ver":"5"}
                """);
        assertEquals(200, ok.statusCode());
        assertEquals("ignore", Pdp.json(ok).get("result").asText(), "Warden checks rules, not passwords: the next authenticator decides");
        assertTrue(Pdp.why(ok).startsWith("allow connect"), Pdp.why(ok));
        assertFalse(ok.body().contains("s3cret"), "the password is never echoed");

        HttpResponse<String> bad = pdp.postJson("/emqx/authn", """
                {"clientid":"a/#","username":"","password":"","peerhost":"10.0.0.8"}
                """);
        assertEquals(200, bad.statusCode());
        assertEquals("deny", Pdp.json(bad).get("result").asText());
        assertTrue(Pdp.why(bad).contains("devices.warden:3:3"), Pdp.why(bad));
    }

    @Test
    void authnAllowModeNeverGrantsSuperuser() throws Exception {
        try (Pdp p = new Pdp(Pdp.DEVICES, o -> o.onConnectPass(PdpServer.OnConnectPass.ALLOW))) {
            HttpResponse<String> r = p.postJson("/emqx/authn", "{\"clientid\":\"d1\",\"username\":\"dev\",\"peerhost\":\"10.0.0.7\"}");
            assertEquals("allow", Pdp.json(r).get("result").asText());
            assertFalse(Pdp.json(r).get("is_superuser").asBoolean(true));
        }
    }

    @Test
    void authnReadsTheCertificateCommonNameOrSubject() throws Exception {
        String policy = """
                authorize certs {
                  default deny
                  connect require client.cert.cn == client.id else "certificate CN must equal the client id"
                  allow publish "devices/${cert.cn}/#"
                }
                """;
        try (Pdp p = new Pdp(policy, o -> {})) {
            assertEquals("ignore", Pdp.json(p.postJson("/emqx/authn", "{\"clientid\":\"d1\",\"cert_common_name\":\"d1\",\"peerhost\":\"10.0.0.1\"}")).get("result").asText());
            assertEquals("ignore", Pdp.json(p.postJson("/emqx/authn", "{\"clientid\":\"d2\",\"cert_subject\":\"CN=d2,O=Devices\",\"peerhost\":\"10.0.0.2\"}")).get("result").asText());
            HttpResponse<String> none = p.postJson("/emqx/authn", "{\"clientid\":\"d3\",\"cert_common_name\":\"undefined\",\"peerhost\":\"10.0.0.3\"}");
            assertEquals("deny", Pdp.json(none).get("result").asText());
            assertTrue(Pdp.why(none).contains("certificate CN must equal the client id"), Pdp.why(none));
            // authorization without cert_common_name uses the session created at authentication
            HttpResponse<String> pub = p.postJson("/emqx/authz", authz("d1", "", "devices/d1/x", "publish", "0", "false").replace(",\"cert_common_name\":\"\"", ""));
            assertEquals("allow", Pdp.json(pub).get("result").asText(), Pdp.why(pub));
        }
    }

    @Test
    void authzPublishAndSubscribeWithQosAndRetainAsEmqxRendersThem() throws Exception {
        assertEquals("allow", Pdp.json(pdp.postJson("/emqx/authz", authz("d1", "", "devices/d1/telemetry/temp", "publish", "1", "false"))).get("result").asText());
        HttpResponse<String> other = pdp.postJson("/emqx/authz", authz("d1", "", "devices/d2/telemetry/temp", "publish", "0", "false"));
        assertEquals(200, other.statusCode());
        assertEquals("deny", Pdp.json(other).get("result").asText());
        assertTrue(Pdp.why(other).contains("default deny"), Pdp.why(other));
        HttpResponse<String> admin = pdp.postJson("/emqx/authz", authz("d1", "", "devices/d1/telemetry/admin", "publish", "0", "false"));
        assertEquals("deny", Pdp.json(admin).get("result").asText());
        assertTrue(Pdp.why(admin).contains("devices.warden:8:3"), Pdp.why(admin));
        assertEquals("deny", Pdp.json(pdp.postJson("/emqx/authz", authz("d1", "", "devices/d1/telemetry/t", "publish", "2", "false"))).get("result").asText());
        assertEquals("deny", Pdp.json(pdp.postJson("/emqx/authz", authz("d1", "", "devices/d1/telemetry/t", "publish", "0", "true"))).get("result").asText());
        assertEquals("allow", Pdp.json(pdp.postJson("/emqx/authz", authz("d1", "", "devices/d1/commands/+", "subscribe", "1", "false"))).get("result").asText());
        assertEquals("deny", Pdp.json(pdp.postJson("/emqx/authz", authz("d1", "", "devices/+/commands/+", "subscribe", "0", "false"))).get("result").asText());
        // `when client.username == "ops"`: the rule mask comes from the session's user name
        assertEquals("deny", Pdp.json(pdp.postJson("/emqx/authz", authz("d5", "", "broadcast/#", "subscribe", "0", "false"))).get("result").asText());
        assertEquals("allow", Pdp.json(pdp.postJson("/emqx/authz", authz("d6", "ops", "broadcast/#", "subscribe", "0", "false"))).get("result").asText());
    }

    @Test
    void authzJsonNumbersFormBodyAndGetQueryAreAccepted() throws Exception {
        assertEquals("allow", Pdp.json(pdp.postJson("/emqx/authz",
                "{\"clientid\":\"d1\",\"topic\":\"devices/d1/telemetry/a\",\"action\":\"publish\",\"qos\":1,\"retain\":false}")).get("result").asText());
        assertEquals("allow", Pdp.json(pdp.postForm("/emqx/authz",
                "clientid=d1&topic=devices%2Fd1%2Ftelemetry%2Fb&action=publish&qos=0&retain=false")).get("result").asText());
        HttpResponse<String> get = pdp.send(pdp.req("/emqx/authz?clientid=d1&topic=devices/d1/telemetry/c&action=publish&qos=0&retain=false").GET().build());
        assertEquals("allow", Pdp.json(get).get("result").asText(), get.body());
    }

    @Test
    void authzWithoutQosOrRetainAssumesTheWorstCase() throws Exception {
        // the template lacks ${qos} and ${retain}: checked as QoS 2 retained, which this policy does not allow
        HttpResponse<String> r = pdp.postJson("/emqx/authz", "{\"clientid\":\"d1\",\"topic\":\"devices/d1/telemetry/a\",\"action\":\"publish\"}");
        assertEquals("deny", Pdp.json(r).get("result").asText());
        assertTrue(Pdp.why(r).contains("QoS"), Pdp.why(r));
        try (Pdp p = new Pdp(Pdp.DEVICES, o -> o.assumeWhenUnknown(1, false))) {
            assertEquals("allow", Pdp.json(p.postJson("/emqx/authz", "{\"clientid\":\"d1\",\"topic\":\"devices/d1/telemetry/a\",\"action\":\"publish\"}")).get("result").asText());
        }
    }

    @Test
    void aMisconfiguredTemplateIsDeniedNotIgnored() throws Exception {
        HttpResponse<String> noTopic = pdp.postJson("/emqx/authz", "{\"clientid\":\"d1\",\"action\":\"publish\"}");
        assertEquals(200, noTopic.statusCode(), "a non-200 answer would be `ignore`, i.e. `no_match`");
        assertEquals("deny", Pdp.json(noTopic).get("result").asText());
        assertTrue(Pdp.why(noTopic).contains("`topic` is missing"), Pdp.why(noTopic));
        HttpResponse<String> action = pdp.postJson("/emqx/authz", "{\"clientid\":\"d1\",\"topic\":\"a\",\"action\":\"all\"}");
        assertEquals("deny", Pdp.json(action).get("result").asText());
        HttpResponse<String> qos = pdp.postJson("/emqx/authz", authz("d1", "", "devices/d1/telemetry/t", "publish", "7", "false"));
        assertEquals("deny", Pdp.json(qos).get("result").asText());
        assertTrue(Pdp.why(qos).contains("outside 0..2"), Pdp.why(qos));
    }

    @Test
    void decisionsAreCountedInTheEngineMetrics() throws Exception {
        long before = pdp.enforcer.metrics().count(false, Decision.Reason.DENIED_BY_RULE);
        pdp.postJson("/emqx/authz", authz("d1", "", "devices/d1/telemetry/admin", "publish", "0", "false"));
        assertEquals(before + 1, pdp.enforcer.metrics().count(false, Decision.Reason.DENIED_BY_RULE));
        HttpResponse<String> m = pdp.send(pdp.req("/metrics").GET().build());
        assertEquals(200, m.statusCode());
        assertTrue(m.body().contains("warden_pdp_requests_total{endpoint=\"/emqx/authz\",status=\"200\"}"), m.body());
        assertTrue(m.body().contains("warden_decisions_total"), m.body());
    }
}
