package dev.warden.hivemq;

import dev.warden.eval.authz.Enforcer;
import dev.warden.eval.authz.Grant;
import dev.warden.eval.authz.Session;
import dev.warden.dsl.ir.AuthzPolicy;
import org.junit.jupiter.api.Nested;

import java.nio.file.Path;
import java.time.Duration;

/** {@link RandomPoliciesDifferential} for both enforcement modes, each on its own broker. */
class HiveMqRandomPoliciesTest {

    /** Default mode: MQTT 5 refusals keep the client connected, except QoS 2 (see docs/hivemq.md). */
    @Nested
    class Hooks extends RandomPoliciesDifferential {
        @Override WardenConfig config(Path policy) { return WardenConfig.of(policy).withWatch(Duration.ofMillis(50)); }

        @Override boolean refusalDisconnects(int qos) { return qos == 2; }

        @Override String brokerStricter(Enforcer e, Session s, String topic) { return null; }

        @Override boolean documentedConnectRefusal(String reason) { return false; }
    }

    /**
     * {@code enforcement = permissions}: HiveMQ decides PUBLISH from the client's permission list and closes the
     * connection on a refusal. Documented: a wildcard-free deny also refuses its trailing-{@code /} variants, and a
     * client whose rights HiveMQ permissions cannot express exactly is refused at CONNECT.
     */
    @Nested
    class Permissions extends RandomPoliciesDifferential {
        @Override WardenConfig config(Path policy) {
            return WardenConfig.of(policy).withWatch(Duration.ofMillis(50)).withEnforcement(WardenConfig.Enforcement.PERMISSIONS);
        }

        @Override boolean refusalDisconnects(int qos) { return true; }

        @Override String brokerStricter(Enforcer e, Session s, String topic) {
            for (Grant g : e.grants(s)) {
                if (g.allow() || g.action() != AuthzPolicy.Action.PUBLISH || g.hasWildcard()) continue;
                if (topic.length() > g.filter().length() && topic.startsWith(g.filter()) && topic.substring(g.filter().length()).matches("/+")) {
                    return "deny " + g.filter() + " also refuses " + topic;
                }
            }
            return null;
        }

        @Override boolean documentedConnectRefusal(String reason) {
            return reason.startsWith("enforcement = permissions cannot give this client exactly its Warden rights");
        }
    }
}
