package dev.warden.hivemq;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Real MQTT 3.1.1 and 5 clients (HiveMQ MQTT client) against a loopback broker. */
final class Mqtt {
    private Mqtt() {}

    static Mqtt5BlockingClient v5(int port, String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    static Mqtt3BlockingClient v3(int port, String id) {
        return MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    static MqttQos qos(int q) { return MqttQos.fromCode(q); }

    static byte[] bytes(String s) { return s.getBytes(StandardCharsets.UTF_8); }

    /** Publishes with QoS 1 and returns the PUBACK reason code. */
    static Mqtt5PubAckReasonCode pub1(Mqtt5BlockingClient c, String topic, byte[] payload, boolean retain) throws Exception {
        try {
            Mqtt5PublishResult r = c.toAsync().publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload).send()
                    .get(10, TimeUnit.SECONDS);
            if (r.getError().isPresent() && r.getError().get() instanceof Mqtt5PubAckException e) return e.getMqttMessage().getReasonCode();
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) r).getPubAck().getReasonCode();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Mqtt5PubAckException p) return p.getMqttMessage().getReasonCode();
            throw e;
        }
    }

    /** Subscribes asynchronously, collecting received payloads (as text) into {@code into}. */
    static void collect(Mqtt5BlockingClient c, String filter, ConcurrentLinkedQueue<String> into) {
        c.toAsync().subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> into.add(p.getTopic() + " " + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send().join();
    }

    static boolean await(BooleanSupplier cond, long millis) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (System.nanoTime() < end) {
            if (cond.getAsBoolean()) return true;
            Thread.sleep(10);
        }
        return cond.getAsBoolean();
    }

    /**
     * A will on another client's topic refuses the CONNECT (NOT_AUTHORIZED); a will on the client's own topic is
     * accepted. For brokers enforcing `allow publish "devices/${client.id}/telemetry/#"`.
     */
    static void assertWillOnlyOnOwnTopic(int port) {
        com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException e = org.junit.jupiter.api.Assertions.assertThrows(
                com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class, () -> v5(port, "d1").connectWith()
                        .willPublish().topic("devices/d2/telemetry/gone").payload(bytes("bye")).applyWillPublish().send());
        org.junit.jupiter.api.Assertions.assertEquals(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, e.getMqttMessage().getReasonCode());
        Mqtt5BlockingClient ok = v5(port, "d1");
        org.junit.jupiter.api.Assertions.assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, ok.connectWith().willPublish().topic("devices/d1/telemetry/gone")
                .payload(bytes("bye")).applyWillPublish().send().getReasonCode());
        ok.disconnect();
    }

    static List<String> sorted(ConcurrentLinkedQueue<String> q) { return q.stream().sorted().toList(); }
}
