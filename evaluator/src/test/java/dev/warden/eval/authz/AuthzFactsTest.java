package dev.warden.eval.authz;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.eval.Evaluator;
import dev.warden.eval.Finding;
import dev.warden.eval.Status;
import dev.warden.model.fact.FactSet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Controls judge a policy's own runtime rules through the {@code authz} facts. */
class AuthzFactsTest {

    static final String POLICY = """
            control RT-ACL-001 "Runtime grants stay in the client's namespace" {
              severity high
              for r in authz.rules where r.effect == "allow"
              require r.topic within "devices/${client.id}/#" else "{r.action} grant `{r.topic}` reaches outside the client's namespace"
            }
            control RT-DOS-001 "Runtime rules bound payloads and per-client rates" {
              severity medium
              for p in authz.policies
              require p.payload_limit is set and p.payload_limit <= 256KiB
              require p.publish_rate_per_client is set
            }
            authorize devices {
              allow publish "devices/${client.id}/telemetry/#"
              allow subscribe "devices/+/commands/#"
              limit payload 128KiB
            }
            """;

    @Test
    void runtimeRulesAreFacts() {
        var set = PolicyCompiler.compile(new PolicyCompiler.Source("p.warden", POLICY)).policySet().orElseThrow();
        List<Finding> f = Evaluator.evaluate(set, FactSet.empty());
        List<Finding> acl = f.stream().filter(x -> x.controlId().equals("RT-ACL-001")).toList();
        assertEquals(2, acl.size(), acl.toString());
        assertEquals(Status.PASS, acl.get(0).status());
        assertEquals(Status.FAIL, acl.get(1).status());
        assertTrue(acl.get(1).message().contains("subscribe grant `devices/+/commands/#`"), acl.get(1).message());
        assertEquals("p.warden:14:3", acl.get(1).location().display());
        Finding dos = f.stream().filter(x -> x.controlId().equals("RT-DOS-001")).findFirst().orElseThrow();
        assertEquals(Status.FAIL, dos.status(), dos.toString());
    }
}
