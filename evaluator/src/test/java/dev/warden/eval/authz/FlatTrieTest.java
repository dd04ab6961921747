package dev.warden.eval.authz;

import dev.warden.dsl.ir.AuthzPolicy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The flat publish walk on a policy large enough for big literal tables (thousands of first levels, colliding
 * hashes, long keys), against the node walk, and the sharing of per-client rule masks.
 */
class FlatTrieTest {

    @Test
    void bigTablesAgreeWithTheNodeWalk() {
        List<String> rules = new ArrayList<>();
        for (int t = 0; t < 1200; t++) {
            String p = "t" + t + "/";
            rules.add("allow publish \"" + p + "devices/${client.id}/telemetry/#\" qos 0..1");
            rules.add("allow publish \"" + p + "sites/${client.id}/+/metrics\" retain false");
            if (t % 7 == 0) rules.add("deny publish \"" + p + "devices/${client.id}/telemetry/admin\"");
            if (t % 11 == 0) rules.add("allow publish \"" + p + "x".repeat(200 + t % 3) + "\"");
        }
        // keys with equal hashes ("Aa" and "BB" hash alike, and so do their concatenations)
        for (String k : List.of("AaAa", "AaBB", "BBAa", "BBBB", "Aa", "BB")) rules.add("allow publish \"" + k + "/+\" when client.username == \"u\"");
        AuthzPolicy p = EngineProperties.compile(rules);
        AuthzEngine engine = AuthzEngine.of(p, Map.of());
        PublishWalks w = PublishWalks.of(p);
        SplittableRandom rnd = new SplittableRandom(7);
        List<String> firsts = List.of("AaAa", "AaBB", "BBAa", "BBBB", "Aa", "BB", "CC");
        int found = 0;
        for (int i = 0; i < 20_000; i++) {
            String id = "dev-" + rnd.nextInt(20);
            Session.Binding b = engine.bind(ClientInfo.of(id, rnd.nextBoolean() ? "u" : "v", "127.0.0.1"), null);
            String owner = rnd.nextInt(4) == 0 ? "dev-" + rnd.nextInt(20) : id;
            int t = rnd.nextInt(1250);
            String topic = switch (rnd.nextInt(6)) {
                case 0 -> "t" + t + "/devices/" + owner + "/telemetry/temp";
                case 1 -> "t" + t + "/devices/" + owner + "/telemetry/admin";
                case 2 -> "t" + t + "/sites/" + owner + "/line-" + rnd.nextInt(3) + "/metrics";
                case 3 -> "t" + t + "/" + "x".repeat(199 + rnd.nextInt(4));
                case 4 -> firsts.get(rnd.nextInt(firsts.size())) + "/z";
                default -> "t" + t + "/devices/" + owner;
            };
            int qos = rnd.nextInt(3);
            boolean retain = rnd.nextBoolean();
            long viaNodes = w.viaNodes(topic, b, qos, retain);
            assertEquals(viaNodes, w.flat().matchBoth(topic, b, FlatTrie.need(qos, retain)), topic);
            if (viaNodes != TopicTrie.PAIR_NONE) found++;
        }
        assertTrue(found > 5_000, "matched " + found);
    }

    @Test
    void clientsWithEqualMasksShareOneArray() {
        AuthzPolicy p = EngineProperties.compile(List.of(
                "allow publish \"a/${client.id}\"",
                "allow publish \"b/${username}\"",
                "allow publish \"c\" when client.username == \"u\""));
        AuthzEngine engine = AuthzEngine.of(p, Map.of());
        Session.Binding plain1 = engine.bind(ClientInfo.of("c1", "x", "127.0.0.1"), null);
        Session.Binding plain2 = engine.bind(ClientInfo.of("c2", "y", "127.0.0.1"), null);
        Session.Binding u1 = engine.bind(ClientInfo.of("c3", "u", "127.0.0.1"), null);
        Session.Binding u2 = engine.bind(ClientInfo.of("c4", "u", "127.0.0.1"), null);
        Session.Binding noUser = engine.bind(ClientInfo.of("c5", null, "127.0.0.1"), null);
        assertSame(plain1.active, plain2.active);
        assertSame(u1.active, u2.active);
        assertNotSame(plain1.active, u1.active);
        assertNotSame(plain1.active, noUser.active);
        assertEquals(List.of(true, true, false), List.of(plain1.active(0), plain1.active(1), plain1.active(2)));
        assertEquals(List.of(true, true, true), List.of(u1.active(0), u1.active(1), u1.active(2)));
        assertEquals(List.of(true, false, false), List.of(noUser.active(0), noUser.active(1), noUser.active(2)));
    }
}
