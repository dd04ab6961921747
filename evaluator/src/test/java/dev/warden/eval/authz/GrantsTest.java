package dev.warden.eval.authz;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.dsl.ir.AuthzPolicy.Action;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Enforcer#grants}: the rules that apply to one client, with its values substituted. */
class GrantsTest {
    static final String POLICY = """
            authorize devices {
              default deny
              connect forbid client.id matches "evil.*"
              allow publish   "devices/${client.id}/telemetry/#" qos 0..1 retain false
              deny  publish   "devices/${client.id}/telemetry/admin"
              allow subscribe "devices/${client.id}/commands/+"
              allow publish   "fleet/${username}/state" when client.username == "ops"
              allow publish   "certs/${cert.cn}/up"
            }
            """;

    static Enforcer enforcer() {
        return Enforcer.builder().sources(List.of(new PolicyCompiler.Source("devices.warden", POLICY))).build();
    }

    static ClientInfo client(String id, String username, String cn) {
        return new ClientInfo(id, username, cn, List.of(), null, "127.0.0.1", cn == null ? "password" : "certificate", "5", 1883);
    }

    @Test
    void substitutesTheClientsValuesAndKeepsRuleOrder() {
        try (Enforcer e = enforcer()) {
            List<Grant> g = e.grants(e.connect(client("d1", "ops", "d1")));
            assertEquals(List.of("devices/d1/telemetry/#", "devices/d1/telemetry/admin", "devices/d1/commands/+", "fleet/ops/state", "certs/d1/up"),
                    g.stream().map(Grant::filter).toList());
            Grant first = g.get(0);
            assertTrue(first.allow() && first.action() == Action.PUBLISH && first.qosMin() == 0 && first.qosMax() == 1 && !first.retainAllowed());
            assertTrue(first.hasWildcard());
            Grant deny = g.get(1);
            assertTrue(!deny.allow() && deny.qosMin() == 0 && deny.qosMax() == 2 && deny.retainAllowed() && !deny.hasWildcard());
            assertEquals("devices.warden:5", deny.origin().display().replaceAll(":\\d+$", ""));
        }
    }

    @Test
    void leavesOutRulesWhoseConditionFailsOrWhoseValueIsMissingOrNotOneLevel() {
        try (Enforcer e = enforcer()) {
            assertEquals(List.of("devices/d2/telemetry/#", "devices/d2/telemetry/admin", "devices/d2/commands/+"),
                    e.grants(e.connect(client("d2", "guest", null))).stream().map(Grant::filter).toList());
            assertEquals(List.of(), e.grants(e.connect(client("a/b", null, null))).stream().filter(x -> x.filter().contains("a/b")).toList());
            assertEquals(List.of(), e.grants(e.connect(client("evil-1", null, null))), "a refused client has no grants");
        }
    }
}
