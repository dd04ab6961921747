package dev.warden.moquette;

import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import dev.warden.eval.authz.Enforcer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/** Hot reload on a running broker: a broken update keeps the last good policy, a good one takes effect for connected clients. */
class MoquetteHotReloadIT {
    @TempDir
    static Path dir;
    static Path policy;
    static Broker broker;

    @BeforeAll
    static void start() throws Exception {
        policy = dir.resolve("p.warden");
        Files.writeString(policy, """
                authorize x {
                  allow publish   "a/#"
                  allow publish   "b/#"
                  allow subscribe "#"
                }
                """);
        broker = new Broker(Enforcer.builder().policy(dir).watch(Duration.ofMillis(20)).build());
    }

    @AfterAll
    static void stop() {
        if (broker != null) broker.close();
    }

    static void waitFor(BooleanSupplier c) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not reached in 10 s");
            Thread.sleep(10);
        }
    }

    static List<String> drainUntil(BlockingQueue<String> q, String last) throws InterruptedException {
        List<String> got = new java.util.ArrayList<>();
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            String m = q.poll(100, TimeUnit.MILLISECONDS);
            if (m == null) continue;
            got.add(m);
            if (m.equals(last)) return got;
        }
        throw new AssertionError("`" + last + "` never arrived; got " + got);
    }

    @Test
    void aBrokenUpdateKeepsTheLastGoodPolicyAndAGoodOneIsEnforcedOnLiveClients() throws Exception {
        Enforcer e = broker.warden.enforcer();
        Mqtt3AsyncClient sub = broker.connect("sub", "sub");
        Mqtt3AsyncClient pub = broker.connect("pub", "pub");
        try {
            BlockingQueue<String> got = Broker.collect(sub, "#");
            Broker.publish(pub, "a/1", "before");
            assertEquals(List.of("a/1=before"), drainUntil(got, "a/1=before"));

            long failures = e.metrics().reloadFailures();
            Files.writeString(policy, "authorize x { allow publish \"a/#/b\" }\n");
            waitFor(() -> e.metrics().reloadFailures() > failures && e.lastReload().message().contains("`#` must be the last level"));
            Broker.publish(pub, "a/2", "still");
            assertEquals(List.of("a/2=still"), drainUntil(got, "a/2=still"), "the last good policy is still enforced");

            long reloads = e.metrics().reloads();
            Files.writeString(policy, """
                    authorize x {
                      allow publish   "b/#"
                      allow subscribe "b/#"
                    }
                    """);
            waitFor(() -> e.metrics().reloads() > reloads);
            Broker.publish(pub, "a/3", "now denied");
            Broker.publish(pub, "b/1", "marker");
            assertEquals(List.of("b/1=marker"), drainUntil(got, "b/1=marker"), "the live session was rebound to the new policy");

            List<Mqtt3SubAckReturnCode> codes;
            try {
                codes = sub.subscribeWith().topicFilter("a/#").qos(MqttQos.AT_MOST_ONCE).send().get(5, TimeUnit.SECONDS).getReturnCodes();
            } catch (ExecutionException x) {
                codes = ((Mqtt3SubAckException) x.getCause()).getMqttMessage().getReturnCodes();
            }
            assertEquals(List.of(Mqtt3SubAckReturnCode.FAILURE), codes, "new subscriptions follow the new policy");
        } finally {
            sub.disconnect().get(5, TimeUnit.SECONDS);
            pub.disconnect().get(5, TimeUnit.SECONDS);
        }
    }
}
