package dev.warden.hivemq;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;

import static dev.warden.hivemq.Mqtt.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code publish-denied = disconnect} and {@code then disconnect} rate limits on a real broker: the client gets the
 * negative PUBACK or a DISCONNECT with MESSAGE_RATE_TOO_HIGH and nothing denied is delivered; connection limits
 * per address refuse with QUOTA_EXCEEDED and slots come back when clients leave.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HiveMqDisconnectModeTest {
    Path dir;
    Broker broker;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("warden-hivemq");
        Path home = Files.createDirectories(dir.resolve("warden"));
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/warden.properties"), """
                policy = policy.warden
                publish-denied = disconnect
                """);
        Files.writeString(home.resolve("policy.warden"), """
                authorize strict {
                  default deny
                  allow publish   "t/${client.id}/#" qos 0..1
                  allow subscribe "t/#" when client.username == "sink"
                  limit publish per client 5/s burst 5 then disconnect
                  limit connections per ip 3
                }
                """);
        broker = Broker.start(dir, new WardenExtensionMain(home.resolve("conf/warden.properties")));
        assertTrue(broker.main.enforcer().lastReload().ok(), broker.main.enforcer().lastReload().message());
    }

    @AfterAll
    void stop() throws Exception {
        if (broker != null) broker.close();
        Broker.delete(dir);
    }

    Mqtt5BlockingClient sink(ConcurrentLinkedQueue<String> seen) {
        Mqtt5BlockingClient s = Mqtt.v5(broker.port, "sink");
        s.connectWith().simpleAuth().username("sink").applySimpleAuth().send();
        Mqtt.collect(s, "t/#", seen);
        return s;
    }

    @Test
    @Order(1)
    void aDeniedPublishGetsNotAuthorizedThenADisconnect() throws Exception {
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        Mqtt5BlockingClient sink = sink(seen);
        try {
            AtomicReference<Throwable> why = new AtomicReference<>();
            Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("a").serverHost("127.0.0.1").serverPort(broker.port)
                    .addDisconnectedListener(ctx -> why.set(ctx.getCause())).buildBlocking();
            c.connect();
            assertEquals(Mqtt5PubAckReasonCode.SUCCESS, Mqtt.pub1(c, "t/a/x", bytes("ok"), false));
            assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, Mqtt.pub1(c, "t/b/x", bytes("denied"), false));
            assertTrue(Mqtt.await(() -> !c.getState().isConnected(), 10_000), "disconnect mode closes the connection");
            assertTrue(why.get() instanceof Mqtt5DisconnectException d && d.getMqttMessage().getReasonCode() == Mqtt5DisconnectReasonCode.NOT_AUTHORIZED,
                    String.valueOf(why.get()));
            assertTrue(Mqtt.await(() -> seen.contains("t/a/x ok"), 10_000));
            assertFalse(seen.contains("t/b/x denied"));
        } finally {
            if (sink.getState().isConnected()) sink.disconnect();
        }
    }

    @Test
    @Order(2)
    void aRateLimitThatSaysDisconnectDisconnectsWithMessageRateTooHigh() throws Exception {
        ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
        Mqtt5BlockingClient sink = sink(seen);
        try {
            AtomicReference<Throwable> why = new AtomicReference<>();
            Mqtt5BlockingClient c = MqttClient.builder().useMqttVersion5().identifier("fast").serverHost("127.0.0.1").serverPort(broker.port)
                    .addDisconnectedListener(ctx -> why.compareAndSet(null, ctx.getCause())).buildBlocking();
            c.connect();
            for (int i = 0; i < 40 && c.getState().isConnected(); i++) { // 50/s against 5/s burst 5
                c.toAsync().publishWith().topic("t/fast/n").qos(MqttQos.AT_MOST_ONCE).payload(bytes("m" + i)).send();
                Thread.sleep(20);
            }
            assertTrue(Mqtt.await(() -> !c.getState().isConnected(), 10_000), "the rate limit disconnects");
            // The broker sends DISCONNECT MESSAGE_RATE_TOO_HIGH and closes; a client still writing can see the closed
            // channel first (ConnectionClosedException / netty's ChannelOutputShutdownException). Both are the disconnect;
            // a DISCONNECT with any other reason code is not.
            Throwable t = why.get();
            boolean rateTooHigh = t instanceof Mqtt5DisconnectException d && d.getMqttMessage().getReasonCode() == Mqtt5DisconnectReasonCode.MESSAGE_RATE_TOO_HIGH;
            boolean closed = !(t instanceof Mqtt5DisconnectException) && t != null && (t instanceof com.hivemq.client.mqtt.exceptions.ConnectionClosedException
                    || t.getClass().getName().startsWith("io.netty") || t instanceof java.io.IOException);
            assertTrue(rateTooHigh || closed, String.valueOf(t));
            // barrier: a later message from another client arrives after everything the fast client got through
            Mqtt5BlockingClient z = Mqtt.v5(broker.port, "z");
            z.connect();
            assertEquals(Mqtt5PubAckReasonCode.SUCCESS, Mqtt.pub1(z, "t/z/marker", bytes("end"), false));
            assertTrue(Mqtt.await(() -> seen.contains("t/z/marker end"), 10_000), seen.toString());
            z.disconnect();
            long got = seen.stream().filter(s -> s.startsWith("t/fast/")).count();
            assertTrue(got >= 5 && got <= 6, "burst 5 delivered, nothing after the limit: " + got);
        } finally {
            if (sink.getState().isConnected()) sink.disconnect();
        }
    }

    @Test
    @Order(3)
    void connectionsPerAddressAreLimitedAndReleased() throws Exception {
        assertTrue(Mqtt.await(() -> broker.main.trackedConnections() == 0, 15_000),
                () -> "earlier clients released their slots: " + broker.main.trackedConnections() + " still tracked");
        List<Mqtt5BlockingClient> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Mqtt5BlockingClient c = Mqtt.v5(broker.port, "c" + i);
            assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, c.connect().getReasonCode());
            open.add(c);
        }
        Mqtt5ConnAckException e = assertThrows(Mqtt5ConnAckException.class, () -> Mqtt.v5(broker.port, "c3").connect());
        assertEquals(Mqtt5ConnAckReasonCode.QUOTA_EXCEEDED, e.getMqttMessage().getReasonCode());
        open.remove(0).disconnect();
        assertTrue(Mqtt.await(() -> broker.main.trackedConnections() == 2, 15_000), () -> broker.main.trackedConnections() + " tracked");
        Mqtt5BlockingClient again = Mqtt.v5(broker.port, "c3");
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, again.connect().getReasonCode());
        again.disconnect();
        for (Mqtt5BlockingClient c : open) c.disconnect();
    }
}
