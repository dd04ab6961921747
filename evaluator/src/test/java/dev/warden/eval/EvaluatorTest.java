package dev.warden.eval;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.model.Origin;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.Value;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluatorTest {

    static CompiledPolicySet compile(String text) {
        PolicyCompiler.Result r = PolicyCompiler.compile(new PolicyCompiler.Source("p.warden", text));
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        return r.policySet().orElseThrow();
    }

    static String run(String policy, FactSet facts) {
        return Evaluator.evaluate(compile(policy), facts).stream()
                .map(f -> f.controlId() + " " + f.status() + " " + f.resourceId() + " @" + f.location().display() + " " + f.message())
                .collect(Collectors.joining("\n"));
    }

    static final String POLICY = """
            package t
            param max_packet = 256KiB
            control TLS-1 "tls" {
              severity high
              for l in broker.listeners
              require l.tls.enabled else "listener {l.port} accepts plaintext"
            }
            control ANON-1 "anon" {
              severity critical
              for l in broker.listeners
              require not l.auth.anonymous
            }
            control SIZE-1 "size" {
              severity medium
              require broker.limits.max_packet_size <= max_packet
            }
            control VER-1 "version" {
              severity high
              require (broker.version < "2.1" and broker.version >= "2.0.21") or broker.version >= "2.1.2"
            }
            control ACL-1 "acl" {
              severity high
              for g in broker.acl_grants
              require g.topic within "devices/${client.id}/#" or g.topic within "devices/${username}/#"
                else "grant of `{g.topic}` reaches outside the client's namespace"
            }
            """;

    @Test
    void findingsPointAtTheDecisiveLine() {
        FactSet facts = Facts.broker(Facts.ver("2.0.11"),
                List.of(Facts.listener(1883, 3, false, true, 7), Facts.listener(8883, 10, true, false, 0)),
                new Value.Items(List.of(Facts.grant(2, "devices/${client.id}/#", null), Facts.grant(5, "devices/alice/#", "alice"),
                        Facts.grant(6, "devices/bob/#", "alice"), Facts.grant(9, "#", "admin")), Origin.file("acl", 0)),
                Facts.size("1MiB", 12));
        assertEquals("""
                TLS-1 FAIL listener 1883 @mosquitto.conf:3 listener 1883 accepts plaintext
                TLS-1 PASS listener 8883 @mosquitto.conf:10 ok
                ANON-1 FAIL listener 1883 @mosquitto.conf:7 requirement not met: `not l.auth.anonymous`
                ANON-1 PASS listener 8883 @mosquitto.conf:10 ok
                SIZE-1 FAIL mosquitto:mosquitto.conf @mosquitto.conf:12 requirement not met: `broker.limits.max_packet_size <= max_packet`
                VER-1 FAIL mosquitto:mosquitto.conf @mosquitto.conf requirement not met: `(broker.version < "2.1" and broker.version >= "2.0.21") or broker.version >= "2.1.2"`
                ACL-1 PASS acl:acl:2 @acl:2 ok
                ACL-1 PASS acl:acl:5 @acl:5 ok
                ACL-1 FAIL acl:acl:6 @acl:6 grant of `devices/bob/#` reaches outside the client's namespace
                ACL-1 FAIL acl:acl:9 @acl:9 grant of `#` reaches outside the client's namespace""", run(POLICY, facts));
    }

    @Test
    void missingDataIsUnknownNeverPass() {
        FactSet facts = Facts.broker(new Value.Unknown("broker version not known", Origin.NONE),
                List.of(Facts.listener(8883, 10, true, false, 0)),
                new Value.Unknown("acl file `acl` could not be read", Origin.file(Facts.F, 4)),
                new Value.Null(Origin.defaulted(Facts.F, "unlimited by default")));
        String out = run(POLICY, facts);
        assertTrue(out.contains("VER-1 UNKNOWN mosquitto:mosquitto.conf @mosquitto.conf cannot evaluate"), out);
        assertTrue(out.contains("ACL-1 UNKNOWN mosquitto:mosquitto.conf @mosquitto.conf:4 cannot list `broker.acl_grants`: acl file `acl` could not be read"), out);
        assertTrue(out.contains("SIZE-1 FAIL"), out);
        assertTrue(out.contains("TLS-1 PASS"), out);
    }

    @Test
    void noBrokerMeansNotApplicable() {
        String out = run(POLICY, FactSet.empty());
        assertTrue(out.lines().allMatch(l -> l.contains("NOT_APPLICABLE")), out);
    }

    @Test
    void portMembershipInListsOfRangesAndTopicBuiltins() {
        String policy = """
                control P-1 "ports" {
                  severity low
                  for l in broker.listeners
                  require l.port in [1000..2000, 8883] else "{l.port} outside"
                  require 1500 in [1024..65535]
                  require not (70000 in [1024..65535]) or true
                  require level("a/+", 1) == "+"
                  require len(variables("devices/${client.id}/${username}/#")) == 2
                }
                """;
        FactSet facts = Facts.broker(Facts.ver("2.0.21"),
                List.of(Facts.listener(1883, 3, true, false, 0), Facts.listener(8883, 10, true, false, 0), Facts.listener(9001, 20, true, false, 0)),
                new Value.Items(List.of(), Origin.NONE), Facts.size("1KiB", 1));
        assertEquals("""
                P-1 PASS listener 1883 @mosquitto.conf:3 ok
                P-1 PASS listener 8883 @mosquitto.conf:10 ok
                P-1 FAIL listener 9001 @mosquitto.conf:20 9001 outside""", run(policy, facts));
    }
}
