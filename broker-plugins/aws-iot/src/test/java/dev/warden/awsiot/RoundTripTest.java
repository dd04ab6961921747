package dev.warden.awsiot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.aws.AwsCollector;
import dev.warden.aws.iot.IotPolicyAnalysis;
import dev.warden.aws.iot.IotPolicyAnalyzer;
import dev.warden.dsl.PolicyCompiler;
import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.eval.Evaluator;
import dev.warden.eval.Finding;
import dev.warden.eval.Status;
import dev.warden.model.Diagnostic;
import dev.warden.model.fact.FactSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The issue's acceptance criterion: a runtime policy compiled with {@code --target aws-iot-policy}, put into an AWS
 * snapshot as an attached IoT policy and judged by the built-in {@code aws-iot-baseline} pack (real collector fact
 * builder, real analyzer, real evaluator), gets the same verdict as the runtime rules judged on the Warden side.
 */
class RoundTripTest {

    static final List<String> IOT_POLICY_CONTROLS = List.of("AWS-IOT-001", "AWS-IOT-002", "AWS-IOT-003", "AWS-IOT-004", "AWS-IOT-005");

    /** The Warden-side least-privilege control over the runtime rules themselves ({@code authz} facts). */
    static final String RUNTIME_CONTROL = """
            control RT-NS-001 "Runtime grants stay in the client's namespace" {
              severity high
              for r in authz.rules where r.effect == "allow"
              require r.topic within "devices/${client.id}/#" else "{r.action} grant `{r.topic}` reaches outside the client's namespace"
            }
            """;

    static CompiledPolicySet pack;

    @BeforeAll
    static void loadPack() throws Exception {
        try (InputStream in = RoundTripTest.class.getResourceAsStream("/policies/aws-iot-baseline.warden")) {
            assertNotNull(in, "the built-in pack is on the test classpath (warden-policies)");
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            PolicyCompiler.Result r = PolicyCompiler.compile(List.of(new PolicyCompiler.Source("aws-iot-baseline.warden", text)),
                    PolicyCompiler.Options.defaults().withFactSources(Set.of("aws")));
            assertTrue(r.ok(), r.diagnostics().toString());
            pack = r.policySet().orElseThrow();
        }
    }

    static Stream<Arguments> policies() {
        return Stream.of(
                Arguments.of("full example without the ops broadcast", true, """
                        authorize devices "Devices reach only their own namespace" {
                          default deny
                          connect require client.cert.cn == client.id else "certificate CN must equal the client id"
                          connect forbid  client.id matches "[+#/]"
                          allow publish   "devices/${client.id}/telemetry/#" qos 0..1 retain false
                          allow subscribe "devices/${client.id}/commands/+" qos 0..1
                          deny  publish   "devices/${client.id}/telemetry/admin"
                          limit payload 128KiB
                          limit publish per client 10/s burst 20 then throttle
                          limit bytes   per client 64KiB/s burst 256KiB
                          limit publish per ip 100/s burst 200
                          limit connections per ip 20
                        }
                        """),
                Arguments.of("own subtree with a denied branch", true, """
                        authorize devices {
                          allow publish   "devices/${client.id}/state"
                          allow subscribe "devices/${client.id}/#"
                          allow receive   "devices/${client.id}/config/#"
                          deny  subscribe "devices/${client.id}/secret/#"
                          deny  receive   "devices/${client.id}/private"
                        }
                        """),
                Arguments.of("literal glob characters", true, """
                        authorize devices {
                          allow publish   "devices/${client.id}/a*b?/x$(y)"
                          allow publish   "devices/${client.id}/${client.id}/#"
                          allow subscribe "devices/${client.id}/cmd"
                        }
                        """),
                Arguments.of("subscribe to every device's commands", false, """
                        authorize devices {
                          allow publish   "devices/${client.id}/telemetry"
                          allow subscribe "devices/+/commands/#"
                        }
                        """),
                Arguments.of("publish anywhere under devices/", false, """
                        authorize devices {
                          allow publish   "devices/#"
                          allow subscribe "devices/${client.id}/commands"
                        }
                        """),
                Arguments.of("receive every device's telemetry", false, """
                        authorize devices {
                          allow publish   "devices/${client.id}/telemetry"
                          allow receive   "devices/+/telemetry"
                        }
                        """));
    }

    static AuthzPolicy compileRuntime(String text) {
        PolicyCompiler.Result r = PolicyCompiler.compile(List.of(new PolicyCompiler.Source("runtime.warden", text)), PolicyCompiler.Options.defaults());
        assertTrue(r.ok(), r.diagnostics().toString());
        return r.policySet().orElseThrow().authorizations().get(0);
    }

    /** A warden.aws-snapshot/v1 file with the emitted document as the default version of a policy attached to a certificate. */
    static Path snapshot(Path dir, String policyJson) throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("schema", "warden.aws-snapshot/v1");
        root.put("collected_at", "2026-11-25T00:00:00Z");
        root.putArray("regions").add("eu-west-1");
        root.putArray("faults");
        ObjectNode iot = root.putObject("data").putObject("eu-west-1").putObject("iot");
        ObjectNode p = iot.putArray("policies").addObject();
        p.put("policyName", "warden-devices");
        p.put("policyArn", "arn:aws:iot:eu-west-1:123456789012:policy/warden-devices");
        p.put("defaultVersionId", "1");
        p.putArray("targets").add("arn:aws:iot:eu-west-1:123456789012:cert/c0ffee01");
        p.put("policyDocument", policyJson);
        for (String empty : List.of("certificates", "caCertificates", "domainConfigurations", "authorizers")) iot.putArray(empty);
        iot.putObject("v2LoggingOptions").put("defaultLogLevel", "WARN").put("disableAllLogs", false);
        iot.putObject("auditConfiguration").putObject("auditCheckConfigurations");
        Path f = dir.resolve("aws.json");
        Files.writeString(f, m.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        return f;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void awsSideAndRuntimeSideAgree(String name, boolean leastPrivilege, String text, @TempDir Path dir) throws Exception {
        // a concrete region and account: with `*` there, an ARN glob also matches contrived topic names (AwsIotTargetTest)
        for (AwsIotTarget.Options o : List.of(new AwsIotTarget.Options("aws", "eu-west-1", "123456789012"))) {
            AwsIotTarget.Result emitted = AwsIotTarget.compile(compileRuntime(text), o);
            assertTrue(emitted.ok(), emitted.diagnostics().toString());

            // the analyzer reads every statement
            IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(emitted.policyJson());
            assertEquals(List.of(), a.problems(), emitted.policyJson());
            assertEquals("thing_name", a.connectScope());

            // AWS side: the baseline pack over the collector's facts of a snapshot holding the emitted policy
            FactSet facts = AwsCollector.facts(AwsCollector.loadSnapshot(snapshot(dir, emitted.policyJson())),
                    Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"), ZoneOffset.UTC));
            assertEquals(List.of(), facts.diagnostics().stream().map(Diagnostic::oneLine).toList());
            Map<String, Status> aws = new LinkedHashMap<>();
            for (Finding f : Evaluator.evaluate(pack, facts))
                if (IOT_POLICY_CONTROLS.contains(f.controlId())) aws.merge(f.controlId(), f.status(), RoundTripTest::worse);
            assertEquals(IOT_POLICY_CONTROLS, List.copyOf(aws.keySet()));

            // runtime side: the same rules judged as authz facts
            CompiledPolicySet rt = PolicyCompiler.compile(List.of(new PolicyCompiler.Source("runtime.warden", RUNTIME_CONTROL + text)),
                    PolicyCompiler.Options.defaults()).policySet().orElseThrow();
            Status runtime = Evaluator.evaluate(rt, FactSet.empty()).stream().map(Finding::status).reduce(Status.PASS, RoundTripTest::worse);

            String ctx = name + " with " + o.arnPrefix() + "\n" + emitted.policyJson() + "\n" + a;
            if (leastPrivilege) {
                assertEquals(Status.PASS, runtime, ctx);
                aws.forEach((id, s) -> assertEquals(Status.PASS, s, id + ": " + ctx));
            } else {
                assertEquals(Status.FAIL, runtime, ctx);
                assertEquals(Status.FAIL, aws.get("AWS-IOT-005"), "cross-device reach: " + ctx);
                assertEquals(Status.PASS, aws.get("AWS-IOT-002"), "the emitted denies are effective: " + ctx);
                assertEquals(Status.PASS, aws.get("AWS-IOT-004"), "connect stays bound to the thing: " + ctx);
                boolean broadDataPlane = !name.startsWith("receive");
                assertEquals(broadDataPlane ? Status.FAIL : Status.PASS, aws.get("AWS-IOT-001"),
                        "Device Defender flags broad publish/subscribe, not receive: " + ctx);
            }
        }
    }

    static Status worse(Status a, Status b) {
        return a == Status.FAIL || b == Status.FAIL ? Status.FAIL : a == Status.UNKNOWN || b == Status.UNKNOWN ? Status.UNKNOWN
                : a == Status.PASS || b == Status.PASS ? Status.PASS : a;
    }
}
