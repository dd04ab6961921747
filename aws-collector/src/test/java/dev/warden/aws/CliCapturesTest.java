package dev.warden.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.model.Diagnostic;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A folder of {@code aws ... --output json} captures, laid out as docs/aws.md says, reads like the live account. */
class CliCapturesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** Writes what the shell loop of docs/aws.md writes, from the same world the fake AWS serves. */
    static void capture(JsonNode world, Path dir) throws IOException {
        for (Iterator<String> it = world.fieldNames(); it.hasNext(); ) {
            String region = it.next();
            JsonNode w = world.path(region);
            Path r = dir.resolve(region), iot = r.resolve("iot");
            JsonNode wi = w.path("iot");
            ObjectNode lp = JSON.createObjectNode();
            ArrayNode ps = lp.putArray("policies");
            for (JsonNode p : wi.path("policies")) {
                ps.addObject().put("policyName", p.path("policyName").asText()).put("policyArn", p.path("policyArn").asText());
                write(iot.resolve("policies/" + p.path("policyName").asText() + ".json"), p);
                ObjectNode t = JSON.createObjectNode();
                t.set("targets", wi.path("targets").path(p.path("policyName").asText()));
                write(iot.resolve("policy-targets/" + p.path("policyName").asText() + ".json"), t);
            }
            write(iot.resolve("list-policies.json"), lp);
            for (String[] k : List.of(new String[] {"certificates", "list-certificates.json", "certificates"},
                    new String[] {"caCertificates", "list-ca-certificates.json", "ca-certificates"})) {
                ObjectNode l = JSON.createObjectNode();
                ArrayNode cs = l.putArray("certificates");
                for (JsonNode c : wi.path(k[0])) {
                    cs.addObject().put("certificateArn", c.path("certificateArn").asText()).put("certificateId", c.path("certificateId").asText())
                            .put("status", c.path("status").asText());
                    ObjectNode d = c.deepCopy();
                    d.remove("pem");
                    d.put("certificatePem", FakeAws.pem(c.path("pem").asText()));
                    ObjectNode wrap = JSON.createObjectNode();
                    wrap.set("certificateDescription", d);
                    write(iot.resolve(k[2] + "/" + c.path("certificateId").asText() + ".json"), wrap);
                }
                write(iot.resolve(k[1]), l);
            }
            ObjectNode ld = JSON.createObjectNode();
            ArrayNode ds = ld.putArray("domainConfigurations");
            for (JsonNode d : wi.path("domainConfigurations")) {
                ds.addObject().put("domainConfigurationName", d.path("domainConfigurationName").asText())
                        .put("domainConfigurationArn", d.path("domainConfigurationArn").asText());
                write(iot.resolve("domain-configurations/" + d.path("domainConfigurationName").asText() + ".json"), d);
            }
            write(iot.resolve("list-domain-configurations.json"), ld);
            ObjectNode la = JSON.createObjectNode();
            ArrayNode as = la.putArray("authorizers");
            for (JsonNode a : wi.path("authorizers")) {
                as.addObject().put("authorizerName", a.path("authorizerName").asText()).put("authorizerArn", a.path("authorizerArn").asText());
                ObjectNode wrap = JSON.createObjectNode();
                wrap.set("authorizerDescription", a);
                write(iot.resolve("authorizers/" + a.path("authorizerName").asText() + ".json"), wrap);
            }
            write(iot.resolve("list-authorizers.json"), la);
            write(iot.resolve("get-v2-logging-options.json"), wi.path("v2LoggingOptions").isObject() ? wi.path("v2LoggingOptions")
                    : JSON.createObjectNode().put("notConfigured", true));
            write(iot.resolve("describe-account-audit-configuration.json"), wi.path("auditConfiguration"));
            ObjectNode sg = JSON.createObjectNode();
            sg.set("SecurityGroups", w.path("ec2").path("SecurityGroups"));
            write(r.resolve("ec2/describe-security-groups.json"), sg);
            ObjectNode ni = JSON.createObjectNode();
            ni.set("NetworkInterfaces", w.path("ec2").path("NetworkInterfaces"));
            write(r.resolve("ec2/describe-network-interfaces.json"), ni);
            for (String scope : region.equals("us-east-1") ? List.of("REGIONAL", "CLOUDFRONT") : List.of("REGIONAL")) {
                Path s = r.resolve("wafv2/" + scope);
                ObjectNode list = JSON.createObjectNode();
                ArrayNode acls = list.putArray("WebACLs");
                for (JsonNode x : w.path("wafv2").path(scope)) {
                    JsonNode acl = x.path("WebACL");
                    String name = acl.path("Name").asText();
                    acls.addObject().put("Name", name).put("Id", acl.path("Id").asText()).put("ARN", acl.path("ARN").asText());
                    ObjectNode get = JSON.createObjectNode();
                    get.set("WebACL", acl);
                    get.put("LockToken", "t");
                    write(s.resolve(name + ".json"), get);
                    ObjectNode res = JSON.createObjectNode();
                    ArrayNode arns = res.putArray("ResourceArns");
                    x.path("ResourceArns").forEach(byType -> byType.forEach(arns::add));
                    if (scope.equals("REGIONAL")) write(s.resolve(name + ".resources.json"), res);
                    ObjectNode log = JSON.createObjectNode();
                    if (x.path("LoggingConfiguration").isObject()) log.set("LoggingConfiguration", x.path("LoggingConfiguration"));
                    write(s.resolve(name + ".logging.json"), log);
                }
                write(s.resolve("list-web-acls.json"), list);
            }
        }
    }

    static void write(Path p, JsonNode n) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
    }

    @Test
    void capturesReadLikeTheLiveAccount(@TempDir Path dir) throws Exception {
        try (FakeAws aws = new FakeAws()) {
            AwsCollectorLiveTest t = new AwsCollectorLiveTest();
            t.aws = aws;
            FactSet live = AwsCollector.collect(t.opts("eu-west-1", "us-east-1"));
            capture(aws.world, dir);
            FactSet captured = AwsCollector.readSnapshot(dir, AwsCollectorLiveTest.CLOCK);
            assertEquals(List.of(), captured.diagnostics());
            AwsCollectorLiveTest.assertSameFacts(live, captured);
            // and a capture folder can be stored as a snapshot file
            Path file = dir.resolve("snap.json");
            AwsCollector.writeSnapshot(AwsCollector.loadSnapshot(dir), file);
            assertTrue(!Files.readString(file).contains("BEGIN CERTIFICATE"));
            AwsCollectorLiveTest.assertSameFacts(live, AwsCollector.readSnapshot(file, AwsCollectorLiveTest.CLOCK));
        }
    }

    @Test
    void missingOrBrokenCapturesAreUnknown(@TempDir Path dir) throws Exception {
        try (FakeAws aws = new FakeAws()) {
            capture(aws.world, dir);
        }
        Files.delete(dir.resolve("eu-west-1/ec2/describe-security-groups.json"));
        Files.writeString(dir.resolve("eu-west-1/iot/policies/unused.json"), "{ not json");
        FactSet f = AwsCollector.readSnapshot(dir, AwsCollectorLiveTest.CLOCK);
        assertEquals(List.of("aws.bad_input eu-west-1/iot/policies/unused.json", "aws.not_captured eu-west-1/ec2/describe-security-groups.json"),
                f.diagnostics().stream().map(d -> d.code() + " " + d.at().source()).sorted().toList());
        assertTrue(f.diagnostics().stream().allMatch(Diagnostic::isError));
        Value.Obj a = AwsCollectorLiveTest.root(f);
        assertEquals(1, AwsCollectorLiveTest.unknowns(a, "security_groups"));
        assertInstanceOf(Value.Unknown.class, AwsCollectorLiveTest.find(a, "iot_policies", "arn:aws:iot:eu-west-1:123456789012:policy/unused").get("document"));
    }

    @Test
    void aFolderWithoutRegionsIsADiagnostic(@TempDir Path dir) {
        FactSet f = AwsCollector.readSnapshot(dir, AwsCollectorLiveTest.CLOCK);
        assertEquals(List.of("aws.bad_input"), f.diagnostics().stream().map(Diagnostic::code).toList());
    }
}
