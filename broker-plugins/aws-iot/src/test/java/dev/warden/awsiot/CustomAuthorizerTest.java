package dev.warden.awsiot;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.aws.iot.IotPolicyAnalysis;
import dev.warden.aws.iot.IotPolicyAnalyzer;
import dev.warden.dsl.PolicyCompiler;
import dev.warden.eval.authz.Enforcer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The custom-authorizer handler with the event shapes of the AWS IoT Core developer guide ("Defining your Lambda
 * function"), a real {@link Enforcer} deciding the connect rules, and the answered policy documents read back by the
 * AWS-side analyzer.
 */
class CustomAuthorizerTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String PASSWORD = "s3cret-Pa55";
    static final String TOKEN = "tok-6f1d2c9e";
    static final String ARN = "arn:aws:iot:eu-west-1:123456789012:";

    static final String POLICY = """
            authorize devices {
              connect forbid  client.id matches "[+#/]" else "client ids cannot hold MQTT wildcards or slashes"
              allow publish   "devices/${client.id}/telemetry/#" retain false
              allow subscribe "devices/${client.id}/commands/+"
              allow receive   "broadcast/#" when client.username == "ops"
              allow publish   "users/${username}/status"
              allow publish   "certs/${cert.cn}/status"
              deny  publish   "devices/${client.id}/telemetry/admin"
              limit connections per ip 1
            }
            """;

    /** A password store for the test: alice and ops share one password. */
    static final CustomAuthorizer.Credentials PASSWORDS = r -> r.password() != null && r.username() != null
            && List.of("alice", "ops").contains(r.username()) && Arrays.equals(r.password(), PASSWORD.getBytes(StandardCharsets.UTF_8))
            ? Optional.of(new CustomAuthorizer.Identity(r.username(), "password")) : Optional.empty();

    final List<String> log = new ArrayList<>();

    CustomAuthorizer authorizer(String policy, CustomAuthorizer.Credentials c) {
        Enforcer e = Enforcer.builder().sources(List.of(new PolicyCompiler.Source("devices.warden", policy))).build();
        return new CustomAuthorizer(e, new AwsIotTarget.Options("aws", "eu-west-1", "123456789012"), c, CustomAuthorizer.Timing.defaults(), log::add);
    }

    static Map<String, Object> event(String json) throws Exception {
        return JSON.readValue(json, new TypeReference<Map<String, Object>>() {});
    }

    /** The documented MQTT event: every member the guide lists for an MQTT connection over TLS. */
    static String mqttEvent(String clientId, String username, String password) {
        return """
                {
                  "token": "%s",
                  "signatureVerified": false,
                  "protocols": ["tls", "mqtt"],
                  "protocolData": {
                    "tls": {"serverName": "a1b2c3d4e5f6g7-ats.iot.eu-west-1.amazonaws.com"},
                    "mqtt": {"username": "%s", "password": "%s", "clientId": "%s"}
                  },
                  "connectionMetadata": {"id": "d0adaaa7-b22d-4545-923c-6f3b7a5e1cb8"}
                }
                """.formatted(TOKEN, username, Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8)), clientId);
    }

    List<String> statements(String doc) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode s : JSON.readTree(doc).get("Statement")) {
            List<String> r = new ArrayList<>();
            s.get("Resource").forEach(x -> r.add(x.asText().substring(ARN.length())));
            List<String> a = new ArrayList<>();
            s.get("Action").forEach(x -> a.add(x.asText()));
            out.add(s.get("Effect").asText() + " " + String.join(",", a) + " -> " + String.join(" ", r));
        }
        return out;
    }

    void assertNoSecretsLogged() {
        String all = String.join("\n", log);
        for (String secret : List.of(PASSWORD, Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)), TOKEN))
            assertFalse(all.contains(secret), "secret in the log: " + all);
    }

    @Test
    void aPasswordClientGetsItsOwnPolicy() throws Exception {
        CustomAuthorizer a = authorizer(POLICY, PASSWORDS);
        Map<String, Object> resp = a.handleRequest(event(mqttEvent("sensor42", "alice?x-amz-customauthorizer-name=warden", PASSWORD)), null);
        assertEquals(true, resp.get("isAuthenticated"), resp.toString());
        assertEquals("sensor42", resp.get("principalId"));
        assertEquals(86400, resp.get("disconnectAfterInSeconds"));
        assertEquals(300, resp.get("refreshAfterInSeconds"));
        assertFalse(resp.containsKey("wardenRefusal"));
        @SuppressWarnings("unchecked") List<String> docs = (List<String>) resp.get("policyDocuments");
        assertEquals(1, docs.size());
        assertEquals(List.of(
                "Allow iot:Connect -> client/sensor42",
                "Allow iot:Publish -> topic/devices/${iot:ClientId}/telemetry topic/devices/${iot:ClientId}/telemetry/*",
                "Allow iot:Subscribe -> topicfilter/devices/${iot:ClientId}/commands/*",
                "Allow iot:Receive -> topic/devices/${iot:ClientId}/commands/*",
                "Allow iot:Publish,iot:RetainPublish -> topic/users/alice/status",
                "Deny iot:Publish -> topic/devices/${iot:ClientId}/telemetry/admin"), statements(docs.get(0)),
                "no broadcast for alice, no certificate rule without a certificate");
        assertEquals("pattern", IotPolicyAnalyzer.analyze(docs.get(0)).connectScope(), "one fixed client id");
        assertEquals(List.of(), IotPolicyAnalyzer.analyze(docs.get(0)).spoofableVariables(), "the client id is pinned by Connect");
        IotPolicyAnalysis an = IotPolicyAnalyzer.analyze(docs.get(0));
        assertEquals(List.of(), an.problems());
        assertFalse(an.crossDeviceReach());
        assertFalse(an.overlyPermissive(), an.overlyPermissiveReasons().toString());
        assertTrue(AwsIotTarget.nonWhitespace(docs.get(0)) <= AwsIotTarget.MAX_POLICY_CHARS);

        // the `when` rule is decided per client, as the engine does; connection slots are not held by the authorizer
        Map<String, Object> ops = a.handleRequest(event(mqttEvent("console7", "ops", PASSWORD)), null);
        assertEquals(true, ops.get("isAuthenticated"), ops.toString());
        @SuppressWarnings("unchecked") List<String> opsDocs = (List<String>) ops.get("policyDocuments");
        assertTrue(statements(opsDocs.get(0)).contains("Allow iot:Receive -> topic/devices/${iot:ClientId}/commands/* topic/broadcast topic/broadcast/*"),
                statements(opsDocs.get(0)).toString());
        assertEquals(2, log.size());
        assertTrue(log.get(0).contains("\"decision\":\"allow\"") && log.get(0).contains("\"client\":\"sensor42\""), log.get(0));
        assertNoSecretsLogged();
    }

    @Test
    void aSignedTokenAuthenticatesAndAnUnsignedOneDoesNot() throws Exception {
        CustomAuthorizer a = authorizer(POLICY, CustomAuthorizer.Credentials.signedTokens());
        String signed = mqttEvent("dev-1:a", "alice", "ignored").replace("\"signatureVerified\": false", "\"signatureVerified\": true");
        Map<String, Object> ok = a.handleRequest(event(signed), null);
        assertEquals(true, ok.get("isAuthenticated"), ok.toString());
        String principal = (String) ok.get("principalId");
        assertTrue(principal.matches("[a-zA-Z0-9]{1,128}") && principal.length() == 64, "hashed principal for a non-alphanumeric client id: " + principal);
        assertEquals(principal, a.handleRequest(event(signed), null).get("principalId"), "stable");

        Map<String, Object> unsigned = a.handleRequest(event(mqttEvent("dev-2", "alice", "x")), null);
        assertEquals(false, unsigned.get("isAuthenticated"));
        assertEquals(List.of(), unsigned.get("policyDocuments"));
        @SuppressWarnings("unchecked") Map<String, Object> why = (Map<String, Object>) unsigned.get("wardenRefusal");
        assertEquals("aws-iot.unauthenticated", why.get("code"));
        assertTrue(((String) why.get("hint")).contains("enable signing"), why.toString());
        assertNoSecretsLogged();
    }

    @Test
    void connectRulesRefuseClients() throws Exception {
        CustomAuthorizer a = authorizer(POLICY, PASSWORDS);
        CustomAuthorizer.Response r = a.authorize(event(mqttEvent("a+b", "alice", PASSWORD)));
        assertFalse(r.authenticated());
        assertEquals("aws-iot.connect_refused", r.refusal().orElseThrow().code());
        assertTrue(r.refusal().get().message().contains("client ids cannot hold MQTT wildcards or slashes"), r.refusal().get().message());
        assertEquals("devices.warden:2:3", r.refusal().get().at().display());
        assertTrue(r.principalId().matches("[a-zA-Z0-9]{1,128}"));

        // wrong password
        CustomAuthorizer.Response wrong = a.authorize(event(mqttEvent("sensor42", "alice", "guess")));
        assertEquals("aws-iot.unauthenticated", wrong.refusal().orElseThrow().code());

        // a policy that needs a certificate refuses every custom-authorizer client (no certificate reaches the Lambda)
        CustomAuthorizer certOnly = authorizer("""
                authorize devices {
                  connect require client.cert.cn == client.id else "certificate CN must equal the client id"
                  allow publish "devices/${client.id}/x"
                }
                """, PASSWORDS);
        Map<String, Object> m = certOnly.handleRequest(event(mqttEvent("sensor42", "alice", PASSWORD)), null);
        assertEquals(false, m.get("isAuthenticated"));
        assertTrue(m.get("wardenRefusal").toString().contains("certificate CN must equal the client id"), m.toString());
        assertNoSecretsLogged();
    }

    @Test
    void malformedEventsAreClearRefusals() throws Exception {
        CustomAuthorizer a = authorizer(POLICY, PASSWORDS);
        Map<String, String> cases = Map.of(
                mqttEvent("sensor42", "alice", PASSWORD).replaceFirst("\"password\": \"[^\"]*\"", "\"password\": \"%%% not base64 " + PASSWORD + "\""),
                "protocolData.mqtt.password",
                "{\"signatureVerified\": false, \"protocols\": [\"mqtt\"], \"protocolData\": \"mqtt\"}", "protocolData",
                "{\"signatureVerified\": false, \"protocolData\": {}}", "protocols",
                "{\"signatureVerified\": \"yes\", \"protocols\": [\"mqtt\"]}", "signatureVerified",
                "{\"protocols\": [\"mqtt\"], \"protocolData\": {\"mqtt\": {\"clientId\": 42}}}", "protocolData.mqtt.clientId",
                "{\"protocols\": [\"tls\", \"http\"], \"protocolData\": {\"http\": {\"headers\": {\"x-token\": \"" + TOKEN + "\"}, \"queryString\": \"?a=b\"}}, "
                        + "\"connectionMetadata\": {\"id\": \"c-1\"}}", "");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Map<String, Object> resp = a.handleRequest(event(c.getKey()), null);
            assertEquals(false, resp.get("isAuthenticated"), c.getKey());
            assertEquals(List.of(), resp.get("policyDocuments"));
            @SuppressWarnings("unchecked") Map<String, Object> why = (Map<String, Object>) resp.get("wardenRefusal");
            if (c.getValue().isEmpty()) {
                assertEquals("aws-iot.no_client_id", why.get("code"), "HTTP publish carries no client id: " + why);
            } else {
                assertEquals("aws-iot.bad_event", why.get("code"), why.toString());
                assertTrue(why.get("at").toString().endsWith(c.getValue()), why.toString());
                assertTrue(why.get("message").toString().contains("`" + c.getValue() + "`"), why.toString());
                assertFalse(why.get("hint").toString().isEmpty());
            }
            String text = JSON.writeValueAsString(resp);
            assertFalse(text.contains("Exception") || text.contains("\tat ") || text.contains("java."), "no stack trace: " + text);
        }
        Map<String, Object> nothing = a.handleRequest(null, null);
        assertEquals(false, nothing.get("isAuthenticated"));
        assertTrue(((String) nothing.get("principalId")).matches("[a-zA-Z0-9]+"));
        assertNoSecretsLogged();
    }

    @Test
    void noValidPolicyRefusesEveryClientLoudly(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("broken.warden");
        Files.writeString(p, "authorize x { allow publsh \"a\" }");
        try (Enforcer e = Enforcer.builder().policy(p).build()) {
            CustomAuthorizer a = new CustomAuthorizer(e, null, PASSWORDS, null, log::add);
            Map<String, Object> m = a.handleRequest(event(mqttEvent("sensor42", "alice", PASSWORD)), null);
            assertEquals(false, m.get("isAuthenticated"));
            assertTrue(m.get("wardenRefusal").toString().contains("aws-iot.no_policy"), m.toString());
            assertTrue(log.stream().anyMatch(l -> l.contains("NO VALID POLICY")), log.toString());
        }
    }

    @Test
    void largePoliciesAreSplitIntoDocumentsAwsAccepts() throws Exception {
        StringBuilder b = new StringBuilder("authorize x {\n");
        for (int i = 0; i < 60; i++) b.append("  allow publish \"devices/${client.id}/sensor-number-").append(i).append("/reading\"\n");
        b.append("}\n");
        CustomAuthorizer a = authorizer(b.toString(), PASSWORDS);
        CustomAuthorizer.Response r = a.authorize(event(mqttEvent("sensor42", "alice", PASSWORD)));
        assertTrue(r.authenticated(), r.toString());
        assertTrue(r.policyDocuments().size() >= 2 && r.policyDocuments().size() <= CustomAuthorizer.MAX_DOCUMENTS, r.policyDocuments().size() + " documents");
        int resources = 0;
        for (String d : r.policyDocuments()) {
            assertTrue(AwsIotTarget.nonWhitespace(d) <= AwsIotTarget.MAX_POLICY_CHARS, d.length() + " characters");
            assertEquals(List.of(), IotPolicyAnalyzer.analyze(d).problems());
            for (JsonNode s : JSON.readTree(d).get("Statement")) resources += s.get("Resource").size();
        }
        assertEquals(61, resources, "every rule and the Connect are kept");

        StringBuilder huge = new StringBuilder("authorize x {\n");
        // 250 resources of ~100 characters: more than 10 documents of 2048
        for (int i = 0; i < 250; i++) huge.append("  allow publish \"devices/${client.id}/sensor-with-a-longer-name-").append(i).append("/reading\"\n");
        huge.append("}\n");
        CustomAuthorizer.Response tooMuch = authorizer(huge.toString(), PASSWORDS).authorize(event(mqttEvent("sensor42", "alice", PASSWORD)));
        assertFalse(tooMuch.authenticated());
        assertEquals("aws-iot.policy_too_large", tooMuch.refusal().orElseThrow().code());
    }

    @Test
    void configuredFromTheEnvironmentAndRefusingEveryoneWhenMisconfigured(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("devices.warden"), POLICY);
        CustomAuthorizer a = new CustomAuthorizer(Map.of("WARDEN_POLICY", dir.toString(), "AWS_REGION", "eu-west-1",
                "WARDEN_AWS_ACCOUNT", "123456789012", "WARDEN_REFRESH_AFTER_SECONDS", "600"), PASSWORDS, log::add);
        CustomAuthorizer.Response ok = a.authorize(event(mqttEvent("sensor42", "alice", PASSWORD)));
        assertTrue(ok.authenticated(), ok.toString());
        assertEquals(600, ok.refreshAfterInSeconds());
        assertTrue(ok.policyDocuments().get(0).contains("\"" + ARN + "client/sensor42\""), ok.policyDocuments().get(0));

        for (Map<String, String> env : List.of(
                Map.of("WARDEN_POLICY", dir.toString(), "WARDEN_REFRESH_AFTER_SECONDS", "10"),
                Map.of("WARDEN_POLICY", dir.toString(), "WARDEN_DISCONNECT_AFTER_SECONDS", "a day"),
                Map.of("WARDEN_POLICY", dir.toString(), "WARDEN_AWS_ACCOUNT", "12"))) {
            log.clear();
            CustomAuthorizer bad = new CustomAuthorizer(env, PASSWORDS, log::add);
            CustomAuthorizer.Response r = bad.authorize(event(mqttEvent("sensor42", "alice", PASSWORD)));
            assertFalse(r.authenticated());
            assertEquals("aws-iot.bad_config", r.refusal().orElseThrow().code(), r.toString());
            assertTrue(log.get(0).startsWith("warden: BAD CONFIGURATION - REFUSING EVERY CLIENT: "), log.toString());
        }
        assertTrue(log.get(0).contains("not a 12-digit AWS account id"), log.toString());
        assertNoSecretsLogged();
    }
}
