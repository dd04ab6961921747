package dev.warden.moquette;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.warden.eval.authz.Enforcer;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real Moquette 0.17 broker on 127.0.0.1 and a free port, enforcing through Warden (test helper). */
final class Broker implements AutoCloseable {
    final Server server = new Server();
    /** Moquette's onConnect notifications per client id (see {@link #awaitConnect}). */
    final java.util.Map<String, Integer> connects = new java.util.concurrent.ConcurrentHashMap<>();
    final WardenMoquette warden;
    final IConfig config;
    final int port;

    Broker(Enforcer enforcer) throws IOException {
        this(WardenMoquette.of(enforcer));
    }

    Broker(WardenMoquette adapter) throws IOException {
        warden = adapter;
        port = freePort();
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        p.setProperty(IConfig.PORT_PROPERTY_NAME, String.valueOf(port));
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        config = new MemoryConfig(p);
        warden.start(server, config, List.of());
        server.addInterceptHandler(new io.moquette.interception.AbstractInterceptHandler() {
            @Override public String getID() { return "test-connects"; }

            @Override public void onConnect(io.moquette.interception.messages.InterceptConnectMessage msg) {
                connects.merge(msg.getClientID(), 1, Integer::sum);
            }

            @Override public void onSessionLoopError(Throwable error) { /* the adapter's own handler reports these */ }
        });
    }

    /**
     * Waits until Moquette has notified more than {@code before} connects of {@code id}. Moquette 0.17 marks a
     * connection usable in a listener on the CONNACK write, which can run after the client already has the CONNACK;
     * a SUBSCRIBE that arrives first makes it drop the connection ("SUBSCRIBE received on already closed
     * connection"). onConnect is dispatched after the mark, so a client may send anything once it was seen.
     */
    void awaitConnect(String id, int before) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (connects.getOrDefault(id, 0) <= before) {
            if (System.nanoTime() > end) throw new AssertionError("Moquette did not report the connect of " + id + " in 10 s");
            Thread.sleep(2);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** An MQTT 3.1.1 client builder for this broker. */
    Mqtt3AsyncClient client(String id, String username) {
        var b = Mqtt3Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port);
        if (username != null) b = b.simpleAuth().username(username).password("secret-pw".getBytes(StandardCharsets.UTF_8)).applySimpleAuth();
        return b.buildAsync();
    }

    /** Connects and returns the client (fails the test when the broker refuses). */
    Mqtt3AsyncClient connect(String id, String username) throws Exception {
        Mqtt3AsyncClient c = client(id, username);
        int before = connects.getOrDefault(id, 0);
        c.connectWith().cleanSession(true).send().get(5, TimeUnit.SECONDS);
        awaitConnect(id, before);
        return c;
    }

    /** Subscribes {@code c} to {@code filter} at QoS 1 and collects what arrives as "topic=payload". */
    static BlockingQueue<String> collect(Mqtt3AsyncClient c, String filter) throws Exception {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        c.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
                .callback((Mqtt3Publish m) -> q.add(m.getTopic() + "=" + new String(m.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                .send().get(5, TimeUnit.SECONDS);
        return q;
    }

    static void publish(Mqtt3AsyncClient c, String topic, String payload)
            throws InterruptedException, java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        c.publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE).payload(payload.getBytes(StandardCharsets.UTF_8)).send().get(5, TimeUnit.SECONDS);
    }

    /** Publishes at QoS 0 when the client is still connected (the broker may drop it at any moment). */
    static void tryPublish(Mqtt3AsyncClient c, String topic, String payload) throws InterruptedException {
        try {
            publish(c, topic, payload);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // dropped before or while publishing: nothing was delivered either way
        }
    }

    @Override
    public void close() {
        server.stopServer();
        warden.close();
        warden.enforcer().close();
    }
}
