package dev.warden.moquette;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAck;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import dev.warden.dsl.PolicyCompiler;
import dev.warden.eval.authz.Decision;
import dev.warden.eval.authz.Enforcer;
import io.moquette.broker.config.IConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/** A real Moquette 0.17 broker enforcing a Warden policy, driven by real MQTT 3.1.1 clients. */
class MoquetteAuthzIT {
    static final String POLICY = """
            authorize devices "Devices reach only their own namespace" {
              default deny
              connect forbid  client.id matches "^bad"
              allow publish   "devices/${client.id}/telemetry/#"
              allow subscribe "devices/${client.id}/commands/+"
              allow subscribe "devices/+/telemetry/#" when client.username == "ops"
              allow publish   "devices/+/commands/+"  when client.username == "ops"
              deny  publish   "devices/${client.id}/telemetry/admin"
              allow publish   "flood/${client.id}"
              allow subscribe "flood/+" when client.username == "ops"
              limit payload 1KiB
              limit publish per client 1/s burst 40
            }
            """;

    static Broker broker;
    static Mqtt3AsyncClient ops;
    static BlockingQueue<String> telemetry;

    @BeforeAll
    static void start() throws Exception {
        broker = new Broker(Enforcer.builder().sources(List.of(new PolicyCompiler.Source("devices.warden", POLICY))).build());
        ops = broker.connect("ops-console", "ops");
        telemetry = Broker.collect(ops, "devices/+/telemetry/#");
    }

    @AfterAll
    static void stop() {
        if (broker != null) broker.close();
    }

    /** Waits for "marker" messages and returns everything that arrived before and with them. */
    static List<String> until(BlockingQueue<String> q, String last) throws InterruptedException {
        List<String> got = new ArrayList<>();
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
    void brokerSettingsComeFromThePolicy() {
        assertEquals("false", broker.config.getProperty(IConfig.ENABLE_TELEMETRY_NAME));
        assertEquals(String.valueOf(1024 + WardenMoquette.DEFAULT_TOPIC_BUDGET), broker.config.getProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME));
        List<String> warn = broker.warden.unenforceable();
        assertTrue(warn.isEmpty(), warn.toString());
    }

    @Test
    void allowedTopicsWorkAndDeniedPublishesAreNeverDelivered() throws Exception {
        Mqtt3AsyncClient dev = broker.connect("dev1", "dev1");
        try {
            BlockingQueue<String> commands = Broker.collect(dev, "devices/dev1/commands/+");
            Broker.publish(dev, "devices/dev1/telemetry/temp", "21");
            Broker.publish(dev, "devices/dev2/telemetry/temp", "spoofed");     // another device's namespace
            Broker.publish(dev, "devices/dev1/telemetry/admin", "denied");     // deny rule
            Broker.publish(dev, "devices/dev1/commands/reboot", "not-ops");    // only ops may command
            Broker.publish(dev, "devices/dev1/telemetry/end", "marker");
            assertEquals(List.of("devices/dev1/telemetry/temp=21", "devices/dev1/telemetry/end=marker"),
                    until(telemetry, "devices/dev1/telemetry/end=marker"));

            Broker.publish(ops, "devices/dev1/commands/reboot", "now");
            assertEquals("devices/dev1/commands/reboot=now", commands.poll(5, TimeUnit.SECONDS));
            assertNull(commands.poll(200, TimeUnit.MILLISECONDS), "the device's own publish to its commands was refused");
            assertTrue(broker.warden.enforcer().metrics().count(false, Decision.Reason.DENIED_BY_RULE) >= 1);
            assertTrue(broker.warden.enforcer().metrics().count(false, Decision.Reason.NO_MATCHING_RULE) >= 2);
        } finally {
            dev.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aDeniedQos1PublishGetsNoPuback() throws Exception {
        Mqtt3AsyncClient dev = broker.connect("dev3", "dev3");
        try {
            var denied = dev.publishWith().topic("devices/dev9/telemetry/x").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("x".getBytes(StandardCharsets.UTF_8)).send();
            assertThrows(TimeoutException.class, () -> denied.get(700, TimeUnit.MILLISECONDS), "Moquette 0.17 sends no PUBACK for a denied QoS 1 publish");
            dev.publishWith().topic("devices/dev3/telemetry/x").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("ok".getBytes(StandardCharsets.UTF_8)).send().get(5, TimeUnit.SECONDS);
            assertEquals(List.of("devices/dev3/telemetry/x=ok"), until(telemetry, "devices/dev3/telemetry/x=ok"));
        } finally {
            dev.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void deniedSubscriptionsGetSubackFailureCodes() throws Exception {
        Mqtt3AsyncClient dev = broker.connect("dev4", "dev4");
        try {
            List<Mqtt3SubAckReturnCode> codes;
            try {
                Mqtt3SubAck ack = dev.subscribeWith()
                        .addSubscription().topicFilter("devices/dev4/commands/+").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                        .addSubscription().topicFilter("devices/dev5/commands/+").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                        .addSubscription().topicFilter("#").qos(MqttQos.AT_MOST_ONCE).applySubscription()
                        .addSubscription().topicFilter("devices/+/telemetry/#").qos(MqttQos.AT_MOST_ONCE).applySubscription()
                        .send().get(5, TimeUnit.SECONDS);
                codes = ack.getReturnCodes();
            } catch (ExecutionException e) {
                codes = ((Mqtt3SubAckException) e.getCause()).getMqttMessage().getReturnCodes();
            }
            assertEquals(List.of(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1, Mqtt3SubAckReturnCode.FAILURE,
                    Mqtt3SubAckReturnCode.FAILURE, Mqtt3SubAckReturnCode.FAILURE), codes);
        } finally {
            dev.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aConnectRuleViolationIsRefused() throws Exception {
        Mqtt3AsyncClient bad = broker.client("bad-1", "bad-1");
        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.connect().get(5, TimeUnit.SECONDS));
        Mqtt3ConnAckException ack = assertInstanceOf(Mqtt3ConnAckException.class, e.getCause());
        assertEquals(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD, ack.getMqttMessage().getReturnCode());
        assertTrue(broker.warden.enforcer().metrics().count(false, Decision.Reason.CONNECT_REFUSED) >= 1);
    }

    @Test
    void anAnonymousClientRefusedByTheConnectRulesIsDisconnectedAndCannotPublish() throws Exception {
        // Moquette calls the authenticator only for clients that send a user name: the intercept handler drops the others
        Mqtt3AsyncClient bad = broker.connect("bad-anon", null);
        Broker.tryPublish(bad, "devices/bad-anon/telemetry/x", "leak");
        long end = System.nanoTime() + 5_000_000_000L;
        while (bad.getState().isConnected() && System.nanoTime() < end) Thread.sleep(20);
        assertFalse(bad.getState().isConnected(), "the broker dropped the client");
        Mqtt3AsyncClient dev = broker.connect("dev6", "dev6");
        try {
            Broker.publish(dev, "devices/dev6/telemetry/end", "marker");
            assertEquals(List.of("devices/dev6/telemetry/end=marker"), until(telemetry, "devices/dev6/telemetry/end=marker"));
        } finally {
            dev.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPayloadOverMoquettesGlobalLimitClosesTheConnection() throws Exception {
        Mqtt3AsyncClient dev = broker.connect("dev7", "dev7");
        Broker.publish(dev, "devices/dev7/telemetry/ok", "a".repeat(1000));
        assertEquals(List.of("devices/dev7/telemetry/ok=" + "a".repeat(1000)), until(telemetry, "devices/dev7/telemetry/ok=" + "a".repeat(1000)));
        Broker.publish(dev, "devices/dev7/telemetry/big", "b".repeat(4096));
        long end = System.nanoTime() + 5_000_000_000L;
        while (dev.getState().isConnected() && System.nanoTime() < end) Thread.sleep(20);
        assertFalse(dev.getState().isConnected(), "Moquette closes a connection whose message exceeds netty.mqtt.message_size");
        Mqtt3AsyncClient other = broker.connect("dev8", "dev8");
        try {
            Broker.publish(other, "devices/dev8/telemetry/end", "marker");
            assertEquals(List.of("devices/dev8/telemetry/end=marker"), until(telemetry, "devices/dev8/telemetry/end=marker"));
        } finally {
            other.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theMessageRateLimitDropsPublishesOverTheBurst() throws Exception {
        BlockingQueue<String> flood = Broker.collect(ops, "flood/+");
        Mqtt3AsyncClient dev = broker.connect("flooder", "flooder");
        try {
            long t = System.nanoTime();
            for (int i = 0; i < 200; i++) Broker.publish(dev, "flood/flooder", "m" + i);
            double seconds = (System.nanoTime() - t) / 1e9;
            List<String> got = new ArrayList<>();
            String m;
            while ((m = flood.poll(500, TimeUnit.MILLISECONDS)) != null) got.add(m);
            int max = 40 + (int) Math.ceil(seconds) + 1;
            assertTrue(got.size() >= 40 && got.size() <= max, got.size() + " delivered in " + seconds + " s, expected 40.." + max);
            assertEquals("flood/flooder=m0", got.get(0));
            assertTrue(broker.warden.enforcer().metrics().count(false, Decision.Reason.RATE_LIMITED) >= 200 - max);
        } finally {
            dev.disconnect().get(5, TimeUnit.SECONDS);
        }
    }
}
