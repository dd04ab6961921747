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
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
    static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    @BeforeAll
    static void needsMosquitto() {
        assumeTrue(Files.isExecutable(BINARY), "mosquitto is not installed at " + BINARY);
    }

    /** A running broker; closing it stops the process. */
    static final class Broker implements AutoCloseable {
        final Process process;
        final int port;
        final Path log;

        Broker(Process process, int port, Path log) {
            this.process = process;
            this.port = port;
            this.log = log;
        }

        String log() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no log: " + e.getMessage() + ")";
            }
        }

        @Override public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a left-over temp file is harmless
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Writes the tree world-readable (mosquitto drops to its own user when started as root) and starts mosquitto. */
    static Broker start(Path dir, int port, Map<String, String> files) throws Exception {
        Facts.write(dir, files);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String f : files.keySet()) Files.setPosixFilePermissions(dir.resolve(f), PosixFilePermissions.fromString("rw-r--r--"));
        Path log = Files.createTempFile("mosquitto-it", ".log");
        Process p = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Broker b = new Broker(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                String out = b.log();
                b.close();
                throw new AssertionError("mosquitto exited early:\n" + out);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return b;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        b.close();
        throw new AssertionError("mosquitto did not open port " + port + ":\n" + b.log());
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
        try (Broker b = start(dir, port, Map.of("mosquitto.conf", conf))) {
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
        try (Broker b = start(dir, port, Map.of("mosquitto.conf", conf))) {
            Value.Obj broker = facts(dir);
            assertEquals("true", Facts.show(at(broker, "listeners[0].auth.anonymous")));
            assertTrue(anonymousAccepted(port), b.log());
        }
    }

    @Test
    void perListenerAllowAnonymousBeforeTheListenerIsIgnored(@TempDir Path dir) throws Exception {
        int port = freePort();
        String conf = "per_listener_settings true\nallow_anonymous true\nlistener " + port + " 127.0.0.1\n";
        try (Broker b = start(dir, port, Map.of("mosquitto.conf", conf))) {
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
        try (Broker b = start(dir, port, Map.of("mosquitto.conf", conf, "acl", acl))) {
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
