package dev.warden.eval.authz;

import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.dsl.ir.CompiledTest;
import dev.warden.model.fact.Value;

import java.util.List;
import java.util.Map;

/** One-off decisions outside a broker: policy tests ({@code expect allow|deny ...}) and {@code warden authz}. */
public final class Probe {
    private Probe() {}

    /** The client a test's {@code as { ... }} describes (defaults: id {@code test-client}, address 127.0.0.1, MQTT 5). */
    public static ClientInfo client(Map<String, List<String>> attrs) {
        String id = one(attrs, "id", "test-client");
        String username = one(attrs, "username", null);
        String cn = one(attrs, "cert", null);
        String auth = one(attrs, "auth", cn != null ? "certificate" : username != null ? "password" : "anonymous");
        return new ClientInfo(id, username, cn, attrs.getOrDefault("sans", List.of()), one(attrs, "issuer", null),
                one(attrs, "ip", "127.0.0.1"), auth, one(attrs, "protocol", "5"), Integer.parseInt(one(attrs, "listener", "0")));
    }

    private static String one(Map<String, List<String>> attrs, String key, String dflt) {
        List<String> v = attrs.get(key);
        return v == null || v.isEmpty() ? dflt : v.get(0);
    }

    /**
     * The decision for one request by a freshly connected client: for {@code connect} the connect decision; for
     * the others the topic decision, or the connect refusal when the client may not connect.
     */
    public static Decision decide(AuthzPolicy policy, Map<String, Value> params, ClientInfo client, String action, String topic,
                                  int qos, boolean retain, long payloadBytes) {
        AuthzEngine e = AuthzEngine.of(policy, params);
        AuthzEngine.IpState ip = new AuthzEngine.IpState();
        Session.Binding b = e.bind(client, ip);
        Session s = new Session(client, b);
        if (action.equals("connect") || !b.connect.allowed()) return b.connect;
        return switch (action) {
            case "publish" -> e.publish(s, b, topic, qos, retain, (int) Math.min(Integer.MAX_VALUE, payloadBytes), () -> 0L);
            case "subscribe" -> e.subscribe(b, topic, qos);
            case "receive" -> e.receive(b, topic);
            default -> throw new IllegalArgumentException("unknown action " + action);
        };
    }

    /** Runs one test expectation; null when it holds, else what went wrong. */
    public static String check(AuthzPolicy policy, Map<String, Value> params, CompiledTest.DecisionExpectation x) {
        ClientInfo c = client(x.client());
        Decision d = decide(policy, params, c, x.action(), x.topic(), x.qos(), x.retain(), x.payloadBytes());
        if (d.allowed() == x.allow()) return null;
        return "expected " + (x.allow() ? "allow " : "deny ") + x.action() + (x.topic() == null ? "" : " `" + x.topic() + "`")
                + " for client `" + c.id() + "`, but: " + d.explain();
    }
}
