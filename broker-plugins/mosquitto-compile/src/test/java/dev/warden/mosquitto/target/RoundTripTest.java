package dev.warden.mosquitto.target;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.eval.Evaluator;
import dev.warden.eval.Finding;
import dev.warden.eval.Status;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.Value;
import dev.warden.mosquitto.MosquittoCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated files read back by Warden's own mosquitto collector (warden-mosquitto) and checked with the built-in
 * {@code mqtt-broker-baseline} pack: a least-privilege policy yields a configuration whose ACL controls pass, an
 * over-broad one fails exactly the controls that name its rules, and every emitted grant reads back as the rule it
 * came from.
 */
class RoundTripTest {

    static final List<String> ACL_CONTROLS = List.of("BRK-ACL-001", "BRK-ACL-002", "BRK-ACL-003", "BRK-ACL-004", "BRK-SYS-001", "BRK-SYS-002");

    static CompiledPolicySet pack() throws IOException {
        try (InputStream in = RoundTripTest.class.getClassLoader().getResourceAsStream("policies/mqtt-broker-baseline.warden")) {
            assertNotNull(in, "the built-in pack is on the test classpath (warden-policies)");
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return PolicyCompiler.compile(new PolicyCompiler.Source("mqtt-broker-baseline.warden", text)).policySet().orElseThrow();
        }
    }

    static FactSet collect(Path dir, MosquittoTarget.Result r) throws IOException {
        for (Map.Entry<String, String> f : r.files().entrySet()) Files.writeString(dir.resolve(f.getKey()), f.getValue());
        FactSet fs = MosquittoCollector.collect(dir.resolve("mosquitto.conf"), new MosquittoCollector.Options(dir, "2.0.21", null));
        assertTrue(fs.diagnostics().stream().noneMatch(d -> d.isError()), fs.diagnostics().toString());
        return fs;
    }

    /** control id → statuses, for the ACL controls. */
    static Map<String, List<Status>> aclStatuses(FactSet facts) throws IOException {
        Map<String, List<Status>> out = new TreeMap<>();
        for (Finding f : Evaluator.evaluate(pack(), facts)) {
            if (ACL_CONTROLS.contains(f.controlId())) out.computeIfAbsent(f.controlId(), k -> new ArrayList<>()).add(f.status());
        }
        return out;
    }

    static MosquittoTarget.Options identityListener() {
        return MosquittoTarget.Options.tls(8883, MosquittoTarget.Tls.mutualIdentity("server.crt", "server.key", "ca.crt")).withMaxConnections(1000);
    }

    @Test
    void leastPrivilegePolicyPassesTheBaselineAclControls(@TempDir Path dir) throws IOException {
        MosquittoTarget.Result r = MosquittoTarget.compile(Policies.authz(Policies.FULL), identityListener());
        Map<String, List<Status>> st = aclStatuses(collect(dir, r));
        for (String c : List.of("BRK-ACL-001", "BRK-ACL-002", "BRK-ACL-003", "BRK-ACL-004", "BRK-SYS-001")) {
            assertTrue(st.containsKey(c), c + " was not evaluated: " + st);
            assertTrue(st.get(c).stream().allMatch(s -> s == Status.PASS), c + " " + st.get(c) + "\n" + r.acl());
        }
        assertTrue(st.getOrDefault("BRK-SYS-002", List.of()).stream().allMatch(s -> s == Status.PASS), st.toString());
    }

    @Test
    void overBroadPolicyFailsTheControlsNamingItsRules(@TempDir Path dir) throws IOException {
        AuthzPolicy broad = Policies.authz("""
                authorize broad "too much" {
                  default deny
                  allow subscribe "#"
                  allow publish   "devices/+/telemetry/#"
                  allow receive   "status/#"
                }
                """);
        MosquittoTarget.Result r = MosquittoTarget.compile(broad, identityListener());
        Map<String, List<Status>> st = aclStatuses(collect(dir, r));
        assertEquals(List.of(Status.PASS), st.get("BRK-ACL-001"), st.toString());
        assertTrue(st.get("BRK-ACL-002").contains(Status.FAIL), "allow subscribe \"#\" covers the whole tree: " + st);
        assertTrue(st.get("BRK-ACL-003").contains(Status.FAIL), "patterns without %c/%u: " + st);
        assertTrue(st.get("BRK-ACL-004").contains(Status.FAIL), "devices/+/telemetry/# reaches other clients: " + st);
    }

    @Test
    void everyEmittedGrantReadsBackAsItsRule(@TempDir Path dir) throws IOException {
        AuthzPolicy p = Policies.authz(MosquittoTargetBrokerIT.POLICY);
        MosquittoTarget.Result r = MosquittoTarget.compile(p, MosquittoTarget.Options.plain(1883).withPasswordFile("passwords"));
        Files.writeString(dir.resolve("passwords"), "");
        FactSet fs = collect(dir, r);
        Value.Obj broker = (Value.Obj) fs.targets(MosquittoCollector.ROOT).get(0);
        List<String> read = new ArrayList<>();
        for (Value g : ((Value.Items) broker.fields().get("acl_grants")).items()) {
            Value.Obj o = (Value.Obj) g;
            String user = o.fields().get("user") instanceof Value.Str s ? s.v() : "*";
            read.add(((Value.Str) o.fields().get("access")).v() + " " + ((Value.Topic) o.fields().get("topic")).v().source() + " @" + user);
        }
        List<String> expected = new ArrayList<>();
        for (AuthzPolicy.Rule rule : p.rules()) {
            String access = !rule.allow() ? "deny" : rule.action() == AuthzPolicy.Action.PUBLISH ? "write" : "read";
            String topic = rule.pattern().source();
            if (rule.when().isEmpty()) expected.add(access + " " + topic + " @*");
            else expected.add(access + " " + topic.replace("${username}", "ops") + " @ops");
        }
        // the global deny is repeated under `user ops`, widened to `+` where `${client.id}` cannot be written
        expected.add("deny devices/+/telemetry/admin @ops");
        read.sort(null);
        expected.sort(null);
        assertEquals(expected, read, r.acl());
    }
}
