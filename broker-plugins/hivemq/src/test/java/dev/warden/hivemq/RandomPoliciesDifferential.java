package dev.warden.hivemq;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.warden.eval.authz.ClientInfo;
import dev.warden.eval.authz.Enforcer;
import dev.warden.eval.authz.RandomPolicies;
import dev.warden.eval.authz.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static dev.warden.hivemq.Mqtt.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hidden-rule-set check of one enforcement mode: seeded random policies ({@link RandomPolicies}) are hot-loaded into
 * one real HiveMQ CE broker, real MQTT 5 clients publish every generated topic at QoS 0, 1 and 2 and subscribe every
 * generated filter, and what the broker routes and grants must equal the engine's decisions exactly, except where
 * a subclass names a documented difference ({@link #brokerStricter}). HiveMQ CE itself refuses any PUBLISH to a
 * {@code $} topic (it closes the connection). An observer (user {@code observer}, exempted from the policy's deny
 * rules by a {@code when}, granted {@code #} and {@code $x/#}) sees what was routed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RandomPoliciesDifferential {
    static final long[] SEEDS = {11, 12, 13, 14, 15, 16};

    Path dir;
    Path policy;
    Broker broker;

    /** The extension's configuration for this mode. */
    abstract WardenConfig config(Path policy);

    /** Whether this mode closes the connection after a PUBLISH it refuses at QoS {@code qos}. */
    abstract boolean refusalDisconnects(int qos);

    /** A documented case where the broker refuses what the engine allows (null: none); the reason is printed. */
    abstract String brokerStricter(Enforcer e, Session s, String topic);

    /** Whether a refused CONNECT is documented for this mode (the CONNACK reason string is given). */
    abstract boolean documentedConnectRefusal(String reason);

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("warden-hivemq-random");
        policy = Files.createDirectories(dir.resolve("policies")).resolve("random.warden");
        Files.writeString(policy, withObserver(RandomPolicies.generate(SEEDS[0], RandomPolicies.Actions.ALL, 16, 8).text()));
        broker = Broker.start(dir, new WardenExtensionMain(config(policy)));
        assertTrue(broker.main.enforcer().lastReload().ok(), broker.main.enforcer().lastReload().message());
    }

    @AfterAll
    void stop() throws Exception {
        if (broker != null) broker.close();
        Broker.delete(dir);
    }

    /** The generated policy, with its deny rules and publish grants not applying to the observer, and the observer's grants. */
    static String withObserver(String text) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            // the observer only subscribes: no deny applies to it, and no publish grant (which permissions mode might not
            // express exactly, refusing the observer at CONNECT)
            boolean publishGrant = line.trim().startsWith("allow publish") && !line.contains(" when ");
            if (line.trim().startsWith("deny") || publishGrant) line = line + " when client.username != \"observer\"";
            if (line.equals("}")) {
                b.append("  allow subscribe \"#\" when client.username == \"observer\"\n");
                b.append("  allow subscribe \"$x/#\" when client.username == \"observer\"\n");
            }
            b.append(line).append('\n');
        }
        return b.toString().stripTrailing() + "\n";
    }

    /** Connects the client, or returns null when the broker refuses the CONNECT in a documented way. */
    Mqtt5BlockingClient connect(RandomPolicies.Client c) {
        Mqtt5BlockingClient p = Mqtt.v5(broker.port, c.id());
        try {
            if (c.username() == null) p.connect();
            else p.connectWith().simpleAuth().username(c.username()).applySimpleAuth().send();
            return p;
        } catch (Mqtt5ConnAckException refused) {
            String why = refused.getMqttMessage().getReasonString().map(Object::toString).orElse("");
            assertTrue(documentedConnectRefusal(why), "an undocumented CONNECT refusal of " + c + ": " + why);
            return null;
        }
    }

    @Test
    void theBrokerRoutesAndGrantsWhatTheEngineDecides() throws Exception {
        Enforcer e = broker.main.enforcer();
        int comparedPublishes = 0, comparedSubscriptions = 0, allowedPublishes = 0, allowedSubscriptions = 0, dollar = 0, stricter = 0,
                refusedClients = 0;
        for (long seed : SEEDS) {
            RandomPolicies.Generated g = RandomPolicies.generate(seed, RandomPolicies.Actions.ALL, 16, 8);
            String text = withObserver(g.text());
            if (seed != SEEDS[0]) {
                long reloads = e.metrics().reloads();
                Files.writeString(policy, text);
                assertTrue(Mqtt.await(() -> e.metrics().reloads() > reloads, 10_000), "the policy of seed " + seed + " was loaded");
            }
            assertTrue(e.lastReload().ok(), e.lastReload().message());
            ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
            Mqtt5BlockingClient observer = Mqtt.v5(broker.port, "observer-" + seed);
            observer.connectWith().simpleAuth().username("observer").applySimpleAuth().send();
            Mqtt.collect(observer, "#", seen);
            Mqtt.collect(observer, "$x/#", seen);

            Set<String> expected = new TreeSet<>();
            Map<String, Boolean> engineSub = new TreeMap<>(), brokerSub = new TreeMap<>();
            int n = 0;
            for (RandomPolicies.Client c : g.clients()) {
                Session s = e.connect(new ClientInfo(c.id(), c.username(), null, List.of(), null, "127.0.0.1",
                        c.username() == null ? "none" : "password", "5", broker.port));
                Mqtt5BlockingClient p = connect(c);
                if (p == null) {
                    refusedClients++;
                    e.disconnect(s);
                    continue;
                }
                for (String t : g.topics()) {
                    for (int q = 0; q <= 2; q++) {
                        String marker = seed + "|" + c.id() + "|" + c.username() + "|" + q + "|" + n++;
                        boolean allowed = e.check(s, t, q, false, marker.length()).allowed();
                        String stricterWhy = allowed ? brokerStricter(e, s, t) : null;
                        boolean isDollar = t.startsWith("$");
                        boolean routed = allowed && !isDollar && stricterWhy == null;
                        if (routed) expected.add(t + " " + marker);
                        if (allowed && isDollar) dollar++;
                        if (allowed && !isDollar && stricterWhy != null) stricter++;
                        try {
                            p.toAsync().publishWith().topic(t).qos(Mqtt.qos(q)).payload(bytes(marker)).send().get(5, TimeUnit.SECONDS);
                        } catch (Exception refusal) {
                            // what was routed is judged by what the observer receives
                        }
                        if ((allowed && isDollar) || (!routed && refusalDisconnects(q))) {
                            Mqtt5BlockingClient closed = p;
                            assertTrue(Mqtt.await(() -> !closed.getState().isConnected(), 5_000), "the refusal of " + marker + " on " + t + " disconnects");
                            p = connect(c);
                        } else if (!routed) {
                            assertTrue(p.getState().isConnected(), "a refused QoS " + q + " publish keeps the MQTT 5 client connected: " + marker);
                        }
                        comparedPublishes++;
                    }
                }
                for (String f : g.filters()) {
                    String key = c.id() + "|" + c.username() + " " + f;
                    engineSub.put(key, e.subscribe(s, f, 1).allowed());
                    boolean granted;
                    try {
                        granted = p.subscribeWith().topicFilter(f).qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes().get(0) == Mqtt5SubAckReasonCode.GRANTED_QOS_1;
                    } catch (Mqtt5SubAckException refused) {
                        granted = false;
                    }
                    brokerSub.put(key, granted);
                    comparedSubscriptions++;
                }
                p.disconnect();
                e.disconnect(s);
            }
            allowedPublishes += expected.size();
            allowedSubscriptions += (int) engineSub.values().stream().filter(x -> x).count();
            Mqtt.await(() -> seen.containsAll(expected), 10_000);
            Thread.sleep(300); // anything that should not come has had time to
            assertEquals(expected, new TreeSet<>(seen), "seed " + seed + ", policy:\n" + text);
            assertEquals(engineSub, brokerSub, "seed " + seed + ", policy:\n" + text);
            observer.disconnect();
        }
        assertTrue(allowedPublishes > 20 && allowedPublishes < comparedPublishes,
                "a mix of outcomes: " + allowedPublishes + " of " + comparedPublishes + " publishes allowed");
        assertTrue(allowedSubscriptions > 5 && allowedSubscriptions < comparedSubscriptions,
                "a mix of outcomes: " + allowedSubscriptions + " of " + comparedSubscriptions + " subscriptions allowed");
        System.out.printf("%s random policies: %d publishes (%d allowed and routed; allowed but refused by the broker: %d to `$` topics,"
                        + " %d documented stricter cases), %d subscriptions (%d allowed), %d clients refused at CONNECT (documented), %d seeds%n",
                getClass().getSimpleName(), comparedPublishes, allowedPublishes, dollar, stricter, comparedSubscriptions, allowedSubscriptions,
                refusedClients, SEEDS.length);
    }
}
