package dev.warden.pdp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** VerneMQ webhooks: request bodies as vmq_webhooks encodes them, the hook named by the vernemq-hook header. */
class VernemqContractTest {
    static Pdp pdp;

    @BeforeAll
    static void start() throws Exception { pdp = Pdp.devices(); }

    @AfterAll
    static void stop() { pdp.close(); }

    static HttpResponse<String> hook(Pdp p, String hook, String json) throws Exception {
        return p.postJson("/vernemq", json, "vernemq-hook", hook);
    }

    static String b64(int n) { return Base64.getEncoder().encodeToString(new byte[n]); }

    static String publish(String client, String topic, int qos, boolean retain, String payload) {
        return "{\"username\":\"dev\",\"client_id\":\"" + client + "\",\"mountpoint\":\"\",\"qos\":" + qos + ",\"topic\":\"" + topic
                + "\",\"payload\":\"" + payload + "\",\"retain\":" + retain + "}";
    }

    @Test
    void registerDefersOrRefuses() throws Exception {
        HttpResponse<String> ok = hook(pdp, "auth_on_register", """
                {"peer_addr":"10.0.0.7","peer_port":50123,"username":"dev","password":"s3cret","mountpoint":"","client_id":"d1","clean_session":false}
                """);
        assertEquals(200, ok.statusCode());
        assertEquals("next", Pdp.json(ok).get("result").asText());
        assertFalse(ok.body().contains("s3cret"));
        HttpResponse<String> no = hook(pdp, "auth_on_register", """
                {"peer_addr":"10.0.0.7","peer_port":50124,"username":"dev","password":"x","mountpoint":"","client_id":"a+b","clean_session":true}
                """);
        assertEquals("not_allowed", Pdp.json(no).get("result").get("error").asText());
        HttpResponse<String> m5 = hook(pdp, "auth_on_register_m5", """
                {"peer_addr":"10.0.0.7","peer_port":50125,"mountpoint":"","client_id":"d2","username":"dev","password":"x","clean_start":true,
                 "properties":{},"listener_addr":"0.0.0.0","listener_port":1883,"listener_type":"mqtt"}
                """);
        assertEquals("next", Pdp.json(m5).get("result").asText(), m5.body());
    }

    @Test
    void registerReadsTheForwardedClientCertificate() throws Exception {
        String policy = """
                authorize certs {
                  default deny
                  connect require client.cert.cn == client.id else "certificate CN must equal the client id"
                  connect require "d1.devices.example" in client.cert.sans
                  allow publish "devices/${cert.cn}/#"
                }
                """;
        try (Pdp p = new Pdp(policy, o -> o.onConnectPass(PdpServer.OnConnectPass.ALLOW))) {
            String body = "{\"peer_addr\":\"10.0.0.7\",\"peer_port\":1,\"username\":null,\"password\":null,\"mountpoint\":\"\",\"client_id\":\"%s\","
                    + "\"clean_session\":true,\"client_cert\":\"" + Pki.DEVICE_D1_DER_B64 + "\"}";
            HttpResponse<String> ok = hook(p, "auth_on_register", body.formatted("d1"));
            assertEquals("ok", Pdp.json(ok).get("result").asText(), Pdp.why(ok));
            HttpResponse<String> other = hook(p, "auth_on_register", body.formatted("d2"));
            assertEquals("not_allowed", Pdp.json(other).get("result").get("error").asText());
            assertTrue(Pdp.why(other).contains("certificate CN must equal the client id"), Pdp.why(other));
            // the publish hook carries no certificate: the register session supplies ${cert.cn}
            HttpResponse<String> pub = hook(p, "auth_on_publish", publish("d1", "devices/d1/x", 0, false, b64(3)).replace("\"dev\"", "null"));
            assertEquals("ok", Pdp.json(pub).get("result").asText(), Pdp.why(pub));
            assertEquals(400, hook(p, "auth_on_register", body.formatted("d1").replace(Pki.DEVICE_D1_DER_B64, "AAAA")).statusCode());
        }
    }

    @Test
    void publishAndPublishM5WithPayloadSize() throws Exception {
        assertEquals("ok", Pdp.json(hook(pdp, "auth_on_publish", publish("d1", "devices/d1/telemetry/t", 1, false, b64(100)))).get("result").asText());
        HttpResponse<String> big = hook(pdp, "auth_on_publish", publish("d1", "devices/d1/telemetry/t", 1, false, b64(1025)));
        assertEquals("not_allowed", Pdp.json(big).get("result").get("error").asText());
        assertTrue(Pdp.why(big).contains("payload larger than 1024 bytes"), Pdp.why(big));
        assertEquals("not_allowed", Pdp.json(hook(pdp, "auth_on_publish", publish("d1", "devices/d1/telemetry/t", 0, true, b64(1)))).get("result").get("error").asText());
        String m5 = publish("d1", "devices/d1/telemetry/m5", 0, false, b64(10)).replace("}", ",\"properties\":{}}");
        assertEquals("ok", Pdp.json(hook(pdp, "auth_on_publish_m5", m5)).get("result").asText());
        assertEquals("not_allowed", Pdp.json(hook(pdp, "auth_on_publish_m5", m5.replace("devices/d1/telemetry/m5", "devices/d1/telemetry/admin")))
                .get("result").get("error").asText());
        HttpResponse<String> notB64 = hook(pdp, "auth_on_publish", publish("d1", "devices/d1/telemetry/t", 0, false, "not base64!"));
        assertEquals(400, notB64.statusCode());
        assertEquals("PDP_BAD_PAYLOAD", Pdp.json(notB64).get("error").get("code").asText());
    }

    @Test
    void rawPayloadsWhenBase64IsOff() throws Exception {
        try (Pdp p = new Pdp(Pdp.DEVICES, o -> o.vernemqBase64Payload(false))) {
            assertEquals("ok", Pdp.json(hook(p, "auth_on_publish", publish("d1", "devices/d1/telemetry/t", 0, false, "hello"))).get("result").asText());
            assertEquals("not_allowed", Pdp.json(hook(p, "auth_on_publish", publish("d1", "devices/d1/telemetry/t", 0, false, "x".repeat(1025))))
                    .get("result").get("error").asText());
        }
    }

    @Test
    void subscribeDeniesPerTopicWith128() throws Exception {
        HttpResponse<String> all = hook(pdp, "auth_on_subscribe", """
                {"client_id":"d1","mountpoint":"","username":"dev","topics":[{"topic":"devices/d1/commands/+","qos":1}]}
                """);
        assertEquals("{\"result\":\"ok\"}", all.body());
        HttpResponse<String> some = hook(pdp, "auth_on_subscribe", """
                {"client_id":"d1","mountpoint":"","username":"dev","topics":[{"topic":"devices/d1/commands/+","qos":1},{"topic":"devices/#","qos":0},{"topic":"devices/d1/commands/x","qos":2}]}
                """);
        JsonNode t = Pdp.json(some).get("topics");
        assertEquals("ok", Pdp.json(some).get("result").asText());
        assertEquals(1, t.get(0).get("qos").asInt());
        assertEquals(128, t.get(1).get("qos").asInt());
        assertEquals("devices/#", t.get(1).get("topic").asText());
        assertEquals(128, t.get(2).get("qos").asInt(), "QoS 2 is not admitted by the rule");
        assertTrue(Pdp.why(some).contains("devices/#: deny subscribe"), Pdp.why(some));
    }

    @Test
    void subscribeM5DeniesWith135AndKeepsSubscriptionOptions() throws Exception {
        HttpResponse<String> r = hook(pdp, "auth_on_subscribe_m5", """
                {"username":"dev","mountpoint":"","client_id":"d1","properties":{},
                 "topics":[{"topic":"devices/d1/commands/+","qos":1,"no_local":true,"rap":false,"retain_handling":"dont_send"},{"topic":"devices/d2/commands/+","qos":1}]}
                """);
        JsonNode t = Pdp.json(r).get("modifiers").get("topics");
        assertNull(Pdp.json(r).get("topics"));
        assertEquals(1, t.get(0).get("qos").asInt());
        assertTrue(t.get(0).get("no_local").asBoolean());
        assertEquals("dont_send", t.get(0).get("retain_handling").asText());
        assertEquals(135, t.get(1).get("qos").asInt());
    }

    @Test
    void pathNamesTheHookAndClientGoneReleasesTheSession() throws Exception {
        assertEquals("ok", Pdp.json(pdp.postJson("/vernemq/auth_on_publish", publish("g1", "devices/g1/telemetry/t", 0, false, b64(1)))).get("result").asText());
        int before = pdp.server.sessionCount();
        HttpResponse<String> gone = pdp.postJson("/vernemq/on_client_gone", "{\"client_id\":\"g1\",\"mountpoint\":\"\"}", "vernemq-hook", "on_client_gone");
        assertEquals("{}", gone.body());
        assertEquals(before - 1, pdp.server.sessionCount());
        HttpResponse<String> clash = pdp.postJson("/vernemq/auth_on_publish", publish("g1", "a", 0, false, ""), "vernemq-hook", "auth_on_subscribe");
        assertEquals(400, clash.statusCode());
        assertEquals(400, hook(pdp, "on_deliver", "{\"client_id\":\"g1\"}").statusCode());
        assertEquals(400, pdp.postJson("/vernemq", publish("g1", "a", 0, false, "")).statusCode(), "no hook named");
    }

    @Test
    void rateLimitsApplyAcrossRequests() throws Exception {
        String policy = """
                authorize rate {
                  default deny
                  allow publish "t/#"
                  limit publish per client 1/s burst 3
                }
                """;
        try (Pdp p = new Pdp(policy, o -> {})) {
            int ok = 0;
            String denied = "";
            for (int i = 0; i < 8; i++) {
                HttpResponse<String> r = hook(p, "auth_on_publish", publish("r1", "t/x", 0, false, b64(1)));
                if (Pdp.json(r).get("result").isTextual()) ok++;
                else denied = Pdp.why(r);
            }
            assertTrue(ok >= 3 && ok < 8, "burst 3, then about one per second: " + ok);
            assertTrue(denied.contains("rate limit"), denied);
        }
    }
}
