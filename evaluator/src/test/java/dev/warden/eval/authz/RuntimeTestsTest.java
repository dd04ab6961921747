package dev.warden.eval.authz;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.eval.PolicyTests;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code expect allow|deny ...} in policy tests runs the real engine. */
class RuntimeTestsTest {

    static List<PolicyTests.Outcome> run(String text) {
        var r = PolicyCompiler.compile(new PolicyCompiler.Source("p.warden", text));
        assertTrue(r.ok(), r.diagnostics().toString());
        return PolicyTests.run(r.policySet().get(), Map.of());
    }

    @Test
    void passingAndFailingExpectations() {
        List<PolicyTests.Outcome> o = run("""
                param ops: string = "ops"
                authorize a {
                  connect forbid client.id matches "[+#/]"
                  allow publish "devices/${client.id}/#"
                  allow receive "broadcast/#" when client.username == ops
                  limit publish per client 1/s burst 1
                }
                test "holds" {
                  expect allow publish "devices/c1/x" as { id "c1" }
                  expect deny connect as { id "a+b" }
                  expect deny publish "devices/a+b/x" as { id "a+b" }
                  expect allow receive "broadcast/x" as { id "c1" username "ops" }
                  expect deny receive "broadcast/x" as { id "c1" username "bob" }
                }
                test "param override" {
                  with ops = "bob"
                  expect allow receive "broadcast/x" as { id "c1" username "bob" }
                }
                test "wrong" {
                  expect allow publish "devices/c2/x" as { id "c1" }
                }
                """);
        assertTrue(o.get(0).passed(), o.get(0).failures().toString());
        assertTrue(o.get(1).passed(), o.get(1).failures().toString());
        assertFalse(o.get(2).passed());
        assertEquals(List.of("p.warden:20:3: expected allow publish `devices/c2/x` for client `c1`, but: deny publish: no allow rule matches (default deny)"),
                o.get(2).failures());
    }
}
