package dev.warden.mosquitto;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.Value;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.warden.mosquitto.Facts.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Checks the reader's conclusions against the real mosquitto binary: every test starts a broker on a free
 * loopback port (bound to 127.0.0.1 only), asks the collector what it should do, and then watches it with a
 * real MQTT client. Skipped when {@code /usr/sbin/mosquitto} is not installed.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class MosquittoBrokerIT {
    static final Path BINARY = RealMosquitto.BINARY;

    @BeforeAll
    static void needsMosquitto() {
        assumeTrue(Files.isExecutable(BINARY), "mosquitto is not installed at " + BINARY);
    }

    /** A running broker; closing it stops the process. */
    static int freePort() throws IOException { return RealMosquitto.freePort(); }

    static RealMosquitto start(Path dir, int port, Map<String, String> files) throws Exception {
        return RealMosquitto.start(dir, port, files);
    }

    static Mqtt3BlockingClient client(int port, String id) {
        return MqttClient.builder().useMqttVersion3()
                .identifier(id)
                .transportConfig().serverHost("127.0.0.1").serverPort(port)
                .socketConnectTimeout(5, TimeUnit.SECONDS).mqttConnectTimeout(5, TimeUnit.SECONDS).applyTransportConfig()
                .buildBlocking();
    }

    static Value.Obj facts(Path dir) {
        FactSet fs = MosquittoCollector.collect(dir.resolve("mosquitto.conf"), new MosquittoCollector.Options(dir, null, BINARY));
        assertTrue(fs.diagnostics().stream().noneMatch(d -> d.isError()), fs.diagnostics().toString());
        return Facts.broker(fs);
    }

    static boolean anonymousAccepted(int port) {
        Mqtt3BlockingClient c = client(port, "anon-probe");
        try {
            c.connect();
            c.disconnect();
            return true;
        } catch (Mqtt3ConnAckException e) {
            assertEquals(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED, e.getMqttMessage().getReturnCode());
            return false;
        }
    }

    @Test
    void listenerWithoutAllowAnonymousRefusesAnonymousClients(@TempDir Path dir) throws Exception {
        int port = freePort();
        String conf = "listener " + port + " 127.0.0.1\n";
        try (RealMosquitto b = start(dir, port, Map.of("mosquitto.conf", conf))) {
            Value.Obj broker = facts(dir);
            assertEquals("false", Facts.show(at(broker, "listeners[0].auth.anonymous")));
            assertEquals("true", Facts.show(at(broker, "listeners[0].loopback_only")));
            assertFalse(anonymousAccepted(port), b.log());
        }
    }

    @Test
    void allowAnonymousTrueAcceptsAnonymousClients(@TempDir Path dir) throws Exception {
        int port = freePort();
        String conf = "listener " + port + " 127.0.0.1\nallow_anonymous true\n";
        try (RealMosquitto b = start(dir, port, Map.of("mosquitto.conf", conf))) {
            Value.Obj broker = facts(dir);
            assertEquals("true", Facts.show(at(broker, "listeners[0].auth.anonymous")));
            assertTrue(anonymousAccepted(port), b.log());
        }
    }

    @Test
    void perListenerAllowAnonymousBeforeTheListenerIsIgnored(@TempDir Path dir) throws Exception {
        int port = freePort();
        String conf = "per_listener_settings true\nallow_anonymous true\nlistener " + port + " 127.0.0.1\n";
        try (RealMosquitto b = start(dir, port, Map.of("mosquitto.conf", conf))) {
            FactSet fs = MosquittoCollector.collect(dir.resolve("mosquitto.conf"), MosquittoCollector.Options.ofRoot(dir));
            assertEquals(List.of("mosquitto.ignored_setting@mosquitto.conf:2"), Facts.codes(fs));
            assertEquals("false", Facts.show(at(Facts.broker(fs), "listeners[0].auth.anonymous")));
            assertFalse(anonymousAccepted(port), b.log());
        }
    }

    @Test
    void probedVersionIsTheInstalledOne(@TempDir Path dir) throws Exception {
        Facts.write(dir, Map.of("mosquitto.conf", "listener 1883\n"));
        Value v = facts(dir).get("version");
        assertInstanceOf(Value.Ver.class, v);
        assertTrue(((Value.Ver) v).v().numbers().get(0) >= 2, v.display());
    }

    @Test
    void patternAclRestrictsEachClientToItsOwnTree(@TempDir Path dir) throws Exception {
        int port = freePort();
        String conf = "listener " + port + " 127.0.0.1\nallow_anonymous true\nacl_file acl\n";
        String acl = "# every client owns devices/<client id>/\npattern readwrite devices/%c/#\n";
        try (RealMosquitto b = start(dir, port, Map.of("mosquitto.conf", conf, "acl", acl))) {
            Value.Obj broker = facts(dir);
            Value.Topic grant = (Value.Topic) at(broker, "acl_grants[0].topic");
            assertEquals("devices/${client.id}/#", grant.display());

            // what the facts predict, per publishing client and topic
            List<String[]> attempts = List.of(
                    new String[] {"dev1", "devices/dev1/ok"},
                    new String[] {"dev2", "devices/dev1/forged"},
                    new String[] {"dev1", "devices/dev1/sub/ok2"});
            Mqtt3BlockingClient watcher = client(port, "dev1");
            Mqtt3BlockingClient other = client(port, "dev2");
            watcher.connect();
            other.connect();
            List<String> delivered = new ArrayList<>();
            try (Mqtt3BlockingClient.Mqtt3Publishes in = watcher.publishes(MqttGlobalPublishFilter.ALL)) {
                watcher.subscribeWith().topicFilter("devices/dev1/#").qos(MqttQos.AT_LEAST_ONCE).send();
                for (String[] a : attempts) {
                    Mqtt3BlockingClient from = a[0].equals("dev1") ? watcher : other;
                    from.publishWith().topic(a[1]).payload(a[1].getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).send();
                }
                for (Optional<Mqtt3Publish> p = in.receive(2, TimeUnit.SECONDS); p.isPresent(); p = in.receive(1, TimeUnit.SECONDS)) {
                    delivered.add(p.get().getTopic().toString());
                }
            } finally {
                watcher.disconnect();
                other.disconnect();
            }
            List<String> predicted = new ArrayList<>();
            for (String[] a : attempts) {
                boolean mayWrite = grant.v().substitute(Map.of("client.id", a[0])).matches(a[1]);
                boolean mayRead = grant.v().substitute(Map.of("client.id", "dev1")).matches(a[1]);
                if (mayWrite && mayRead) predicted.add(a[1]);
            }
            assertEquals(List.of("devices/dev1/ok", "devices/dev1/sub/ok2"), predicted);
            assertEquals(predicted, delivered, b.log());
        }
    }

    @Test
    void missingAclFileStopsTheBrokerAndIsUnknown(@TempDir Path dir) throws Exception {
        int port = freePort();
        String conf = "listener " + port + " 127.0.0.1\nacl_file missing-acl\n";
        FactSet fs;
        AssertionError startFailure = assertThrows(AssertionError.class, () -> start(dir, port, Map.of("mosquitto.conf", conf)).close());
        assertTrue(startFailure.getMessage().contains("exited early") || startFailure.getMessage().contains("did not open"), startFailure.getMessage());
        fs = MosquittoCollector.collect(dir.resolve("mosquitto.conf"), MosquittoCollector.Options.ofRoot(dir));
        assertInstanceOf(Value.Unknown.class, Facts.broker(fs).get("acl_grants"));
        assertEquals(List.of("mosquitto.missing_file@mosquitto.conf:2"), Facts.codes(fs));
    }
}
