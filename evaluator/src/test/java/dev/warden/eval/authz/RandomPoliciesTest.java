package dev.warden.eval.authz;

import dev.warden.dsl.PolicyCompiler;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator the adapters' differential tests use gives compiling, varied policies with mixed outcomes. */
class RandomPoliciesTest {
    @Test
    void policiesCompileAndDecisionsAreMixed() {
        int allowed = 0, denied = 0, subAllowed = 0, subDenied = 0;
        for (long seed = 1; seed <= 40; seed++) {
            RandomPolicies.Generated g = RandomPolicies.generate(seed, RandomPolicies.Actions.ALL, 24, 12);
            assertEquals(g, RandomPolicies.generate(seed, RandomPolicies.Actions.ALL, 24, 12), "deterministic per seed");
            assertTrue(g.topics().stream().noneMatch(t -> t.isEmpty() || t.contains("+") || t.contains("#")), g.topics().toString());
            assertTrue(g.filters().stream().noneMatch(String::isEmpty), g.filters().toString());
            try (Enforcer e = Enforcer.builder().sources(List.of(new PolicyCompiler.Source("random.warden", g.text()))).build()) {
                assertTrue(e.lastReload().ok(), e.lastReload().message());
                for (RandomPolicies.Client c : g.clients()) {
                    Session s = e.connect(ClientInfo.of(c.id(), c.username(), "127.0.0.1"));
                    for (String t : g.topics()) {
                        if (e.check(s, t, 1, false, 4).allowed()) allowed++;
                        else denied++;
                    }
                    for (String f : g.filters()) {
                        if (e.subscribe(s, f, 1).allowed()) subAllowed++;
                        else subDenied++;
                    }
                }
            }
        }
        assertTrue(allowed > 100 && denied > 100, allowed + " allowed, " + denied + " denied publishes");
        assertTrue(subAllowed > 50 && subDenied > 50, subAllowed + " allowed, " + subDenied + " denied subscriptions");
    }
}
