package dev.warden.awsiot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.aws.iot.IotGlob;
import dev.warden.dsl.PolicyCompiler;
import dev.warden.eval.authz.ClientInfo;
import dev.warden.eval.authz.Enforcer;
import dev.warden.eval.authz.Session;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emitted policy means what the runtime engine enforces: for rules without {@code +} or a leading wildcard (the
 * translations reported as exact), AWS IoT's verdict — the emitted document read with IoT glob semantics
 * ({@link IotGlob}, the aws-collector's exact matcher; explicit Deny wins) for thing {@code d1} — equals the real
 * {@link Enforcer}'s decision for client {@code d1} on every topic of a generated space.
 */
class SemanticsTest {
    static final String P = IotVerdicts.P;
    static final List<String> LEVELS = List.of("devices", "d1", "d2", "telemetry", "admin", "commands", "secret", "", "a*b", "$aws");

    static final String POLICY = """
            authorize devices {
              allow publish   "devices/${client.id}/telemetry/#"
              deny  publish   "devices/${client.id}/telemetry/admin"
              allow subscribe "devices/${client.id}/commands/#"
              allow receive   "devices/${client.id}/#"
              deny  receive   "devices/${client.id}/secret/#"
              allow publish   "$aws/things/${client.id}/shadow/update"
              allow publish   "a*b/#"
            }
            """;

    /** Every topic name of up to three levels over {@link #LEVELS}, and each of them with a fourth level from a few. */
    static List<String> topics() {
        List<String> out = new ArrayList<>();
        List<String> cur = new ArrayList<>(LEVELS);
        for (int depth = 1; depth <= 3; depth++) {
            for (String t : cur) if (!t.isEmpty()) out.add(t);
            List<String> next = new ArrayList<>();
            for (String t : cur) for (String l : depth == 3 ? List.of("admin", "update", "") : LEVELS) if (!l.equals("$aws")) next.add(t + "/" + l);
            if (depth == 3) out.addAll(next);
            cur = next;
        }
        return out;
    }

    @Test
    void emittedPolicyDecidesLikeTheEngine() throws Exception {
        var set = PolicyCompiler.compile(List.of(new PolicyCompiler.Source("p.warden", POLICY)), PolicyCompiler.Options.defaults()).policySet().orElseThrow();
        AwsIotTarget.Result r = AwsIotTarget.compile(set.authorizations().get(0), IotVerdicts.OPTIONS);
        assertTrue(r.diagnostics().stream().noneMatch(d -> d.code().equals("aws-iot.plus_wildcard") || d.code().equals("aws-iot.root_wildcard")));
        // the thing d1 connected: AWS IoT substitutes its name for the thing variable
        JsonNode doc = IotVerdicts.forThing(r.policyJson(), "d1");
        assertTrue(IotVerdicts.allows(doc, "iot:Connect", P + "client/d1"));
        try (Enforcer e = Enforcer.builder().sources(List.of(new PolicyCompiler.Source("p.warden", POLICY))).build()) {
            Session s = e.connect(ClientInfo.of("d1", null, "127.0.0.1"));
            List<String> topics = topics();
            int allowedPub = 0, allowedRecv = 0, allowedSub = 0;
            for (String t : topics) {
                boolean pub = e.publish(s, t, 1, false, 10).allowed();
                assertEquals(pub, IotVerdicts.allows(doc, "iot:Publish", P + "topic/" + t), "publish " + t);
                boolean retained = e.publish(s, t, 1, true, 10).allowed();
                assertEquals(retained, IotVerdicts.allows(doc, "iot:Publish", P + "topic/" + t) && IotVerdicts.allows(doc, "iot:RetainPublish", P + "topic/" + t), "retained publish " + t);
                boolean recv = e.receive(s, t).allowed();
                assertEquals(recv, IotVerdicts.allows(doc, "iot:Receive", P + "topic/" + t), "receive " + t);
                // a topic name is also the filter that names exactly it
                boolean sub = e.subscribe(s, t, 1).allowed();
                assertEquals(sub, IotVerdicts.allows(doc, "iot:Subscribe", P + "topicfilter/" + t), "subscribe " + t);
                allowedPub += pub ? 1 : 0;
                allowedRecv += recv ? 1 : 0;
                allowedSub += sub ? 1 : 0;
            }
            // wildcard filters inside the grant: `#` subtrees map to `*`, exactly
            for (String f : List.of("devices/d1/commands/#", "devices/d1/commands/+", "devices/d1/commands/+/x", "devices/d1/#", "devices/+/commands/#", "#"))
                assertEquals(e.subscribe(s, f, 1).allowed(), IotVerdicts.allows(doc, "iot:Subscribe", P + "topicfilter/" + f), "subscribe " + f);
            assertTrue(topics.size() > 3000, "space of " + topics.size());
            assertTrue(allowedPub > 100 && allowedRecv > 20 && allowedSub > 2, allowedPub + " " + allowedRecv + " " + allowedSub);
        }
    }
}
