package dev.warden.hivemq;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded flood on loopback: one abusive MQTT 5 client publishes as fast as it can (and sends oversized payloads)
 * for a few seconds while 50 well-behaved clients publish 10 msg/s each. The abuser is throttled to its rate limit
 * and stays connected (the policy says {@code then throttle}); every good client gets at least 95% of its messages
 * delivered; no payload over the limit reaches the subscriber.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HiveMqFloodTest {
    static final int GOOD = 50, SECONDS = 4, GOOD_RATE = 10, LIMIT = 256, RATE = 50, BURST = 50;

    Path dir;
    Broker broker;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("warden-hivemq");
        Path policy = dir.resolve("flood.warden");
        Files.writeString(policy, """
                authorize flood "Devices publish their own telemetry, within limits" {
                  default deny
                  allow publish   "tele/${client.id}/#" qos 0..1
                  allow subscribe "tele/#" when client.username == "sink"
                  limit payload %dB
                  limit publish per client %d/s burst %d then throttle
                }
                """.formatted(LIMIT, RATE, BURST));
        broker = Broker.start(dir, new WardenExtensionMain(WardenConfig.of(policy).withReceiveCheck(WardenConfig.ReceiveCheck.ON)));
        assertTrue(broker.main.enforcer().lastReload().ok(), broker.main.enforcer().lastReload().message());
    }

    @AfterAll
    void stop() throws Exception {
        if (broker != null) broker.close();
        Broker.delete(dir);
    }

    @Test
    void anAbusiveClientIsThrottledWhileFiftyGoodClientsAreServed() throws Exception {
        ConcurrentHashMap<String, LongAdder> got = new ConcurrentHashMap<>();
        AtomicInteger oversized = new AtomicInteger();
        Mqtt5BlockingClient sink = Mqtt.v5(broker.port, "sink");
        sink.connectWith().simpleAuth().username("sink").applySimpleAuth().send();
        sink.toAsync().subscribeWith().topicFilter("tele/#").qos(MqttQos.AT_LEAST_ONCE).callback(p -> {
            if (p.getPayloadAsBytes().length > LIMIT) oversized.incrementAndGet();
            got.computeIfAbsent(p.getTopic().getLevels().get(1), k -> new LongAdder()).increment();
        }).send().join();

        List<Mqtt5AsyncClient> good = new ArrayList<>();
        for (int i = 0; i < GOOD; i++) {
            Mqtt5AsyncClient c = Mqtt.v5(broker.port, "good" + i).toAsync();
            c.connect().join();
            good.add(c);
        }
        Mqtt5BlockingClient abuser = Mqtt.v5(broker.port, "abuser");
        abuser.connect();

        ScheduledExecutorService ticks = Executors.newScheduledThreadPool(2);
        AtomicLong sentGood = new AtomicLong();
        List<CompletableFuture<Mqtt5PublishResult>> acks = java.util.Collections.synchronizedList(new ArrayList<>());
        byte[] small = "21.5".getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(SECONDS);
        ticks.scheduleAtFixedRate(() -> {
            if (System.nanoTime() >= end) return;
            for (int i = 0; i < GOOD; i++) {
                acks.add(good.get(i).publishWith().topic("tele/good" + i + "/t").qos(MqttQos.AT_LEAST_ONCE).payload(small).send());
                sentGood.incrementAndGet();
            }
        }, 0, 1000 / GOOD_RATE, TimeUnit.MILLISECONDS);

        // the abuser: QoS 0 as fast as the connection takes it (at most 500 in flight), every 10th payload oversized
        long abusive = 0;
        byte[] big = new byte[LIMIT * 4];
        CompletableFuture<?>[] window = new CompletableFuture<?>[500];
        while (System.nanoTime() < end) {
            int slot = (int) (abusive % window.length);
            if (window[slot] != null) window[slot].join();
            window[slot] = abuser.toAsync().publishWith().topic("tele/abuser/t").qos(MqttQos.AT_MOST_ONCE).payload(abusive % 10 == 0 ? big : small).send();
            abusive++;
        }
        // a QoS 1 marker: once it is acknowledged the broker has processed every earlier abusive message
        Mqtt.pub1(abuser, "tele/abuser/marker", small, false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        ticks.shutdown();
        assertTrue(ticks.awaitTermination(5, TimeUnit.SECONDS));
        java.util.Map<Object, Long> codes = new java.util.TreeMap<>();
        for (CompletableFuture<Mqtt5PublishResult> a : acks) {
            Mqtt5PublishResult r = a.get(10, TimeUnit.SECONDS);
            Object code = r.getError().map(e -> (Object) e.toString()).orElseGet(() -> ((Mqtt5PublishResult.Mqtt5Qos1Result) r).getPubAck().getReasonCode());
            codes.merge(code, 1L, Long::sum);
        }
        System.out.println("flood: good PUBACKs " + codes);
        long perGood = sentGood.get() / GOOD;
        Mqtt.await(() -> good.stream().allMatch(c -> count(got, c) >= perGood), 10_000);

        long worst = Long.MAX_VALUE;
        for (int i = 0; i < GOOD; i++) worst = Math.min(worst, count(got, "good" + i));
        long abuserDelivered = count(got, "abuser");
        long allowance = BURST + (long) Math.ceil(RATE * elapsed * 1.02) + 2; // elapsed bounds the broker's processing window from above
        System.out.printf("flood: abuser sent %d in %d s (processed within %.1f s), %d delivered (allowance %d); good clients sent %d each, worst delivered %d (%.1f%%)%n",
                abusive, SECONDS, elapsed, abuserDelivered, allowance, perGood, worst, 100.0 * worst / perGood);
        assertTrue(abusive > 5 * allowance, "the abuser really flooded: " + abusive);
        assertTrue(abuserDelivered <= allowance, "throttled to the rate limit: " + abuserDelivered + " > " + allowance);
        assertTrue(abuserDelivered >= BURST / 2, "the abuser is throttled, not cut off: " + abuserDelivered);
        assertTrue(worst >= perGood * 95 / 100, "every good client is served (>= 95%): worst " + worst + " of " + perGood);
        assertEquals(0, oversized.get(), "no payload over the limit reaches a subscriber");
        assertTrue(abuser.getState().isConnected(), "then throttle keeps the abuser connected");
        String prom = broker.main.enforcer().metrics().prometheus();
        assertTrue(prom.contains("reason=\"rate_limited\"") && prom.contains("reason=\"payload_too_large\""), prom);

        abuser.disconnect();
        for (Mqtt5AsyncClient c : good) c.disconnect().join();
        sink.disconnect();
    }

    static long count(ConcurrentHashMap<String, LongAdder> got, Mqtt5AsyncClient c) {
        return count(got, c.getConfig().getClientIdentifier().map(Object::toString).orElse(""));
    }

    static long count(ConcurrentHashMap<String, LongAdder> got, String id) {
        LongAdder a = got.get(id);
        return a == null ? 0 : a.sum();
    }
}
