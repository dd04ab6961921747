package dev.warden.eval.authz;

import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.model.Origin;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.ObjBuilder;
import dev.warden.model.fact.Value;
import dev.warden.model.schema.WardenSchema;
import dev.warden.model.types.ByteSize;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code authz} facts: a policy set's own runtime rules, so controls can judge them like any deployment. */
public final class AuthzFacts {
    private AuthzFacts() {}

    /** Facts for the set's {@code authorize} blocks; empty when it has none. */
    public static FactSet of(CompiledPolicySet set) {
        if (set.authorizations().isEmpty()) return FactSet.empty();
        Origin first = set.authorizations().get(0).origin();
        List<Value> policies = new ArrayList<>();
        List<Value> rules = new ArrayList<>();
        for (AuthzPolicy p : set.authorizations()) {
            ObjBuilder b = new ObjBuilder(WardenSchema.SCHEMA, "AuthzPolicy", "authorize " + p.name(), p.origin());
            b.set("id", new Value.Str("authorize " + p.name(), p.origin()));
            b.set("name", new Value.Str(p.name(), p.origin()));
            b.set("connect_checks", new Value.Int(p.connectRules().size(), p.origin()));
            b.set("identity_binding", new Value.Str(identityBinding(p), p.origin()));
            b.set("allow_rules", new Value.Int(p.rules().stream().filter(AuthzPolicy.Rule::allow).count(), p.origin()));
            AuthzPolicy.Limits l = p.limits();
            b.set("payload_limit", l.payloadBytes().<Value>map(v -> new Value.Size(new ByteSize(v), l.payloadOrigin().orElse(p.origin())))
                    .orElse(new Value.Null(p.origin())));
            b.set("publish_rate_per_client", perSecond(l.publishPerClient(), p.origin()));
            b.set("publish_rate_per_ip", perSecond(l.publishPerIp(), p.origin()));
            b.set("bytes_rate_per_client", l.bytesPerClient().<Value>map(r -> new Value.Size(new ByteSize((long) Math.ceil(r.perSecond())), r.origin()))
                    .orElse(new Value.Null(p.origin())));
            b.set("connections_per_ip", l.connectionsPerIp().<Value>map(n -> new Value.Int(n, l.connectionsOrigin().orElse(p.origin())))
                    .orElse(new Value.Null(p.origin())));
            policies.add(b.build());
            for (AuthzPolicy.Rule r : p.rules()) {
                String id = "authorize " + p.name() + " rule " + (r.index() + 1);
                ObjBuilder rb = new ObjBuilder(WardenSchema.SCHEMA, "AuthzRule", id, r.origin());
                rb.set("id", new Value.Str(id, r.origin()));
                rb.set("policy", new Value.Str(p.name(), r.origin()));
                rb.set("effect", new Value.Str(r.allow() ? "allow" : "deny", r.origin()));
                rb.set("action", new Value.Str(r.action().word(), r.origin()));
                rb.set("topic", new Value.Topic(r.pattern(), r.origin()));
                rb.set("qos_max", new Value.Int(r.qosMax(), r.origin()));
                rb.set("retain", new Value.Bool(r.action() == AuthzPolicy.Action.PUBLISH && r.retain().orElse(true), r.origin()));
                rb.set("conditional", new Value.Bool(r.when().isPresent(), r.origin()));
                rules.add(rb.build());
            }
        }
        ObjBuilder root = new ObjBuilder(WardenSchema.SCHEMA, "Authz", "runtime rules", first);
        root.set("policies", new Value.Items(policies, first));
        root.set("rules", new Value.Items(rules, first));
        return new FactSet(Map.of("authz", List.of(root.build())), List.of());
    }

    private static Value perSecond(Optional<AuthzPolicy.Rate> r, Origin fallback) {
        return r.<Value>map(x -> new Value.Int((long) Math.ceil(x.perSecond()), x.origin())).orElse(new Value.Null(fallback));
    }

    /**
     * {@code certificate} when some {@code connect require} demands {@code client.id == client.cert.cn} (either order,
     * possibly as one conjunct of an {@code and}), {@code username} for {@code client.id == client.username}, else
     * {@code none}. Decided on the compiled condition, not on its text.
     */
    static String identityBinding(AuthzPolicy p) {
        String best = "none";
        for (AuthzPolicy.ConnectRule r : p.connectRules()) {
            if (r.forbid()) continue;
            for (dev.warden.dsl.ir.Node n : conjuncts(r.condition())) {
                if (!(n instanceof dev.warden.dsl.ir.Node.Compare c) || c.op() != dev.warden.dsl.ir.Node.Op.EQ) continue;
                String a = path(c.left()), b = path(c.right());
                if (a == null || b == null) continue;
                if (a.equals("client.id") && b.equals("client.cert.cn") || b.equals("client.id") && a.equals("client.cert.cn")) return "certificate";
                if (a.equals("client.id") && b.equals("client.username") || b.equals("client.id") && a.equals("client.username")) best = "username";
            }
        }
        return best;
    }

    private static List<dev.warden.dsl.ir.Node> conjuncts(dev.warden.dsl.ir.Node n) {
        if (n instanceof dev.warden.dsl.ir.Node.Logic l && l.and()) {
            List<dev.warden.dsl.ir.Node> out = new ArrayList<>(conjuncts(l.left()));
            out.addAll(conjuncts(l.right()));
            return out;
        }
        return List.of(n);
    }

    private static String path(dev.warden.dsl.ir.Node n) {
        if (n instanceof dev.warden.dsl.ir.Node.Root r) return r.name();
        if (n instanceof dev.warden.dsl.ir.Node.Field f) {
            String t = path(f.target());
            return t == null ? null : t + "." + f.name();
        }
        return null;
    }
}
