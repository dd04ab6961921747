package dev.warden.awsiot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.aws.iot.IotGlob;
import dev.warden.aws.iot.IotPolicyAnalyzer;
import dev.warden.dsl.PolicyCompiler;
import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.model.Diagnostic;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MQTT rules to IoT policy statements, and every inexact translation reported with its consequence. */
class AwsIotTargetTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final AwsIotTarget.Options EU = new AwsIotTarget.Options("aws", "eu-west-1", "123456789012");
    static final String P = "arn:aws:iot:eu-west-1:123456789012:";
    static final String T = AwsIotTarget.THING_NAME;

    static AuthzPolicy policy(String text) {
        PolicyCompiler.Result r = PolicyCompiler.compile(List.of(new PolicyCompiler.Source("p.warden", text)), PolicyCompiler.Options.defaults());
        assertTrue(r.ok(), r.diagnostics().toString());
        return r.policySet().orElseThrow().authorizations().get(0);
    }

    /** Statements as "Effect Action,Action -> resource resource" lines. */
    static List<String> lines(String json) throws Exception {
        JsonNode root = JSON.readTree(json);
        assertEquals("2012-10-17", root.get("Version").asText());
        List<String> out = new ArrayList<>();
        for (JsonNode s : root.get("Statement")) {
            List<String> a = new ArrayList<>(), r = new ArrayList<>();
            s.get("Action").forEach(x -> a.add(x.asText()));
            s.get("Resource").forEach(x -> r.add(x.asText().substring(P.length())));
            out.add(s.get("Effect").asText() + " " + String.join(",", a) + " -> " + String.join(" ", r)
                    + (s.has("Condition") ? " if " + s.get("Condition") : ""));
        }
        return out;
    }

    static List<String> codes(AwsIotTarget.Result r) {
        return r.diagnostics().stream().map(d -> d.level().name().toLowerCase() + ":" + d.code() + "@" + d.at().line()).toList();
    }

    @Test
    void theFullExample() throws Exception {
        String text = Files.readString(Path.of("../../policy-dsl/src/test/resources/conformance/ok_authz_full.warden"));
        AwsIotTarget.Result r = AwsIotTarget.compile(policy(text), EU);
        assertEquals(List.of(
                "Allow iot:Connect -> client/" + T + " if {\"Bool\":{\"iot:Connection.Thing.IsAttached\":\"true\"}}",
                "Allow iot:Publish -> topic/devices/" + T + "/telemetry topic/devices/" + T + "/telemetry/*",
                "Allow iot:Subscribe -> topicfilter/devices/" + T + "/commands/*",
                "Allow iot:Receive -> topic/devices/" + T + "/commands/*",
                "Deny iot:Publish -> topic/devices/" + T + "/telemetry/admin"), lines(r.policyJson()));
        assertTrue(r.policyJson().contains("\n"), "pretty printed");
        assertEquals(List.of(
                "info:aws-iot.connect_binding@4", "info:aws-iot.connect_binding@5",
                "warning:aws-iot.plus_wildcard@7", "info:aws-iot.shared_subscription@7",
                "warning:aws-iot.conditional_rule@8",
                "info:aws-iot.limit@10", "warning:aws-iot.limit@11", "warning:aws-iot.limit@12", "warning:aws-iot.limit@13", "warning:aws-iot.limit@14"),
                codes(r));
        assertTrue(r.ok());
        Diagnostic plus = r.diagnostics().get(2);
        assertEquals("`+` becomes `*` in `allow subscribe \"devices/${client.id}/commands/+\"`: AWS IoT's `*` crosses levels, so it also allows "
                + "e.g. `devices/${client.id}/commands/x/y`, which the runtime engine refuses (and filters with `#` in place of the `+`)", plus.message());
        assertEquals("p.warden:7:3", plus.at().display());
        assertTrue(r.diagnostics().get(4).message().contains("it is left out"), r.diagnostics().get(4).message());
        assertEquals(List.of(), IotPolicyAnalyzer.analyze(r.policyJson()).problems());
    }

    @Test
    void hashCoversItsParentLevel() throws Exception {
        AwsIotTarget.Result r = AwsIotTarget.compile(policy("""
                authorize x {
                  allow publish "a/#" retain true
                  allow receive "#"
                  allow subscribe "/#"
                }
                """), EU);
        assertEquals(List.of(
                "Allow iot:Connect -> client/" + T + " if {\"Bool\":{\"iot:Connection.Thing.IsAttached\":\"true\"}}",
                "Allow iot:Publish,iot:RetainPublish -> topic/a topic/a/*",
                "Allow iot:Receive -> topic/* topic//*",
                "Allow iot:Subscribe -> topicfilter//*"), lines(r.policyJson()));
        assertEquals(List.of("warning:aws-iot.root_wildcard@3", "info:aws-iot.shared_subscription@4"), codes(r));
        assertTrue(r.diagnostics().get(0).message().contains("`$aws/...`"), r.diagnostics().get(0).message());
    }

    @Test
    void literalGlobCharactersAreEscapedAndReadBackLiterally() throws Exception {
        AwsIotTarget.Result r = AwsIotTarget.compile(policy("""
                authorize x {
                  allow publish "a*b/c?d/$(e)/x$" retain false
                }
                """), EU);
        String resource = JSON.readTree(r.policyJson()).get("Statement").get(1).get("Resource").get(0).asText();
        assertEquals(P + "topic/a${*}b/c${?}d/${$}(e)/x$", resource);
        IotGlob g = IotGlob.parse(resource);
        assertTrue(g.matches(P + "topic/a*b/c?d/$(e)/x$"), g.toString());
        assertFalse(g.matches(P + "topic/aXb/c?d/$(e)/x$"), "`*` is literal");
        assertFalse(g.matches(P + "topic/a*b/cXd/$(e)/x$"), "`?` is literal");
        assertEquals(List.of(), IotPolicyAnalyzer.analyze(r.policyJson()).problems());
    }

    @Test
    void usernameHasNoIotVariable() throws Exception {
        AwsIotTarget.Result r = AwsIotTarget.compile(policy("""
                authorize x {
                  allow publish "users/${username}/x"
                  deny publish "users/${username}/y"
                  allow publish "certs/${cert.cn}/x"
                }
                """), EU);
        assertFalse(r.ok());
        assertEquals(List.of("error:aws-iot.unsupported_variable@2", "warning:aws-iot.cn_variable@4", "error:aws-iot.unsupported_variable@3"), codes(r));
        assertTrue(r.diagnostics().get(2).message().contains("denies less than the runtime policy"), r.diagnostics().get(2).message());
        assertEquals(List.of(
                "Allow iot:Connect -> client/" + T + " if {\"Bool\":{\"iot:Connection.Thing.IsAttached\":\"true\"}}",
                "Allow iot:Publish,iot:RetainPublish -> topic/certs/" + AwsIotTarget.CERT_CN + "/x"), lines(r.policyJson()));
    }

    @Test
    void qosRestrictionsAndOtherConnectRulesAreReported() {
        AwsIotTarget.Result r = AwsIotTarget.compile(policy("""
                authorize x {
                  connect require client.username == "ops"
                  allow publish "a" qos 1..1
                  allow publish "b" qos 0..2
                  allow subscribe "c" qos 0..0
                }
                """), EU);
        assertEquals(List.of("warning:aws-iot.connect_rule@2", "warning:aws-iot.qos@3", "warning:aws-iot.qos@5", "info:aws-iot.shared_subscription@5"), codes(r));
        assertTrue(r.diagnostics().get(1).message().contains("cannot restrict QoS"), r.diagnostics().get(1).message());
    }

    @Test
    void badOptionsAreErrorsAndWildcardArnsAreWarned() {
        AuthzPolicy p = policy("authorize x { allow publish \"devices/${client.id}/x\" }");
        AwsIotTarget.Result bad = AwsIotTarget.compile(p, new AwsIotTarget.Options("amazon", "europe", "12345"));
        assertEquals(List.of("error:aws-iot.bad_option@1", "error:aws-iot.bad_option@1", "error:aws-iot.bad_option@1"), codes(bad));
        assertTrue(bad.diagnostics().stream().allMatch(d -> !d.help().isEmpty()));
        AwsIotTarget.Result wild = AwsIotTarget.compile(p, AwsIotTarget.Options.wildcard());
        assertEquals(List.of("warning:aws-iot.arn_wildcard@1"), codes(wild));
        assertTrue(wild.ok());
        // the consequence the warning names, as the AWS-side analyzer sees it
        assertEquals("pattern", IotPolicyAnalyzer.analyze(wild.policyJson()).connectScope());
        assertTrue(IotGlob.parse("arn:aws:iot:*:*:topic/devices/d1/x").matches("arn:aws:iot:eu-west-1:123456789012:topic/a:b:topic/devices/d1/x"));
    }

    @Test
    void aPolicyOverTheIotSizeLimitIsAnError() {
        StringBuilder b = new StringBuilder("authorize x {\n");
        for (int i = 0; i < 40; i++) b.append("  allow publish \"devices/${client.id}/sensor-number-").append(i).append("/reading\"\n");
        b.append("}\n");
        AwsIotTarget.Result r = AwsIotTarget.compile(policy(b.toString()), EU);
        assertFalse(r.ok());
        assertEquals("aws-iot.policy_too_large", r.diagnostics().get(r.diagnostics().size() - 1).code());
        assertTrue(r.diagnostics().get(r.diagnostics().size() - 1).message().contains("AWS IoT accepts at most 2048"));
    }
}
