package dev.warden.pdp;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mosquitto-go-auth HTTP backend: user, superuser and acl checks, JSON and form params (http_params_mode). */
class GoAuthContractTest {
    static Pdp pdp;

    @BeforeAll
    static void start() throws Exception {
        // as deployed with mosquitto `max_qos 1` and `retain_available false`
        pdp = new Pdp(Pdp.DEVICES, o -> o.assumeWhenUnknown(1, false));
    }

    @AfterAll
    static void stop() { pdp.close(); }

    static String acl(String user, String client, String topic, int acc) {
        return "{\"username\":\"" + user + "\",\"clientid\":\"" + client + "\",\"topic\":\"" + topic + "\",\"acc\":" + acc + "}";
    }

    @Test
    void userCheckJsonAndForm() throws Exception {
        // go-auth json params: {"username","password","clientid"}; a pass defers (403) since Warden checks no password
        HttpResponse<String> pass = pdp.postJson("/go-auth/user", "{\"username\":\"dev\",\"password\":\"s3cret\",\"clientid\":\"d1\"}");
        assertEquals(403, pass.statusCode());
        assertFalse(Pdp.json(pass).get("ok").asBoolean(true));
        assertTrue(Pdp.json(pass).get("error").asText().contains("does not check passwords"));
        assertFalse(pass.body().contains("s3cret"));
        HttpResponse<String> refused = pdp.postForm("/go-auth/user", "username=dev&password=x&clientid=a%2Fb");
        assertEquals(403, refused.statusCode());
        assertTrue(Pdp.json(refused).get("error").asText().contains("connect"), refused.body());
        try (Pdp p = new Pdp(Pdp.DEVICES, o -> o.onConnectPass(PdpServer.OnConnectPass.ALLOW))) {
            HttpResponse<String> ok = p.postForm("/go-auth/user", "username=dev&password=x&clientid=d1");
            assertEquals(200, ok.statusCode());
            assertTrue(Pdp.json(ok).get("ok").asBoolean());
            assertEquals("", Pdp.json(ok).get("error").asText());
            assertEquals(403, p.postForm("/go-auth/user", "username=dev&password=x&clientid=a%2Fb").statusCode());
        }
    }

    @Test
    void superuserIsAlwaysDenied() throws Exception {
        HttpResponse<String> r = pdp.postJson("/go-auth/superuser", "{\"username\":\"admin\"}");
        assertEquals(403, r.statusCode());
        assertTrue(Pdp.json(r).get("error").asText().contains("no superuser"));
        assertEquals(403, pdp.postForm("/go-auth/superuser", "username=ops").statusCode());
    }

    @Test
    void aclWriteReadSubscribeJson() throws Exception {
        assertEquals(200, pdp.postJson("/go-auth/acl", acl("dev", "d1", "devices/d1/telemetry/t", 2)).statusCode());
        HttpResponse<String> admin = pdp.postJson("/go-auth/acl", acl("dev", "d1", "devices/d1/telemetry/admin", 2));
        assertEquals(403, admin.statusCode());
        assertTrue(Pdp.json(admin).get("error").asText().contains("devices.warden:8:3"), admin.body());
        assertEquals(403, pdp.postJson("/go-auth/acl", acl("dev", "d1", "devices/d2/telemetry/t", 2)).statusCode());
        assertEquals(200, pdp.postJson("/go-auth/acl", acl("dev", "d1", "devices/d1/commands/+", 4)).statusCode());
        assertEquals(403, pdp.postJson("/go-auth/acl", acl("dev", "d1", "devices/#", 4)).statusCode());
        assertEquals(200, pdp.postJson("/go-auth/acl", acl("dev", "d1", "devices/d1/commands/reboot", 1)).statusCode());
        assertEquals(403, pdp.postJson("/go-auth/acl", acl("dev", "d1", "broadcast/all", 1)).statusCode());
        assertEquals(200, pdp.postJson("/go-auth/acl", acl("ops", "o1", "broadcast/all", 1)).statusCode());
        // 3 = read and write: both must be allowed
        assertEquals(403, pdp.postJson("/go-auth/acl", acl("dev", "d1", "devices/d1/telemetry/t", 3)).statusCode(), "readable? no: only publish is granted");
        assertEquals(403, pdp.postJson("/go-auth/acl", acl("dev", "d1", "devices/d1/telemetry/t", 8)).statusCode());
    }

    @Test
    void aclFormParamsWithAccAsText() throws Exception {
        assertEquals(200, pdp.postForm("/go-auth/acl", "username=dev&clientid=d1&topic=devices%2Fd1%2Ftelemetry%2Ft&acc=2").statusCode());
        assertEquals(403, pdp.postForm("/go-auth/acl", "username=dev&clientid=d1&topic=devices%2Fd9%2Ftelemetry%2Ft&acc=2").statusCode());
        HttpResponse<String> bad = pdp.postForm("/go-auth/acl", "username=dev&clientid=d1&topic=a&acc=write");
        assertEquals(400, bad.statusCode());
        assertEquals("acc", Pdp.json(bad).get("error").get("field").asText());
    }

    @Test
    void textResponseMode() throws Exception {
        // http_response_mode text: 2xx with body "ok" allows, anything else denies
        HttpResponse<String> ok = pdp.postJson("/go-auth/text/acl", acl("dev", "d1", "devices/d1/telemetry/t", 2));
        assertEquals(200, ok.statusCode());
        assertEquals("ok", ok.body());
        HttpResponse<String> no = pdp.postForm("/go-auth/text/acl", "username=dev&clientid=d1&topic=devices%2Fd2%2Ftelemetry%2Ft&acc=2");
        assertEquals(403, no.statusCode());
        assertTrue(no.body().contains("default deny"), no.body());
        assertEquals(403, pdp.postJson("/go-auth/text/superuser", "{\"username\":\"admin\"}").statusCode());
        assertEquals(403, pdp.postJson("/go-auth/text/user", "{\"username\":\"u\",\"password\":\"p\",\"clientid\":\"d1\"}").statusCode());
    }

    @Test
    void unknownQosIsTheConfiguredWorstCase() throws Exception {
        try (Pdp strict = Pdp.devices()) {
            // default: go-auth does not say the QoS or retain flag, so QoS 2 retained is assumed and this policy refuses it
            HttpResponse<String> r = strict.postJson("/go-auth/acl", acl("dev", "d1", "devices/d1/telemetry/t", 2));
            assertEquals(403, r.statusCode());
            assertTrue(Pdp.json(r).get("error").asText().contains("QoS"), r.body());
        }
    }
}
