package dev.warden.mosquitto.target;

import dev.warden.mosquitto.RealMosquitto;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A mutual-TLS listener generated with use_identity_as_username: {@code ${cert.cn}} becomes {@code %u}, and
 * {@code connect require client.cert.cn == client.id} becomes use_username_as_clientid, so a client is known by its
 * certificate CN whatever id it sends. Certificates are made by the openssl command for this test only (a throwaway CA);
 * skipped when mosquitto or openssl is missing.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MosquittoTargetTlsIT {

    static final String POLICY = """
            authorize devices "Certificates name the device" {
              default deny
              connect require client.cert.cn == client.id else "certificate CN must equal the client id"
              allow publish   "devices/${cert.cn}/telemetry/#" qos 0..1
              allow subscribe "devices/${client.id}/commands/+" qos 0..1
              allow subscribe "devices/+/telemetry/#" qos 0..1 when client.cert.cn == "ops"
              allow publish   "devices/+/commands/+" qos 0..1 when client.cert.cn == "ops"
            }
            """;
    static final Path OPENSSL = Path.of("/usr/bin/openssl");
    static final char[] STORE_PASSWORD = "test-store".toCharArray();

    @TempDir static Path dir;
    static RealMosquitto broker;
    static MosquittoTarget.Result result;

    static void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(OPENSSL.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) throw new AssertionError("openssl " + String.join(" ", args) + " failed:\n" + out);
    }

    /** A key and a certificate signed by the test CA, with {@code cn} and optionally an IP subject alternative name. */
    static void issue(String name, String cn, String ip) throws Exception {
        openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + cn);
        Files.writeString(dir.resolve(name + ".ext"), ip == null ? "basicConstraints=CA:FALSE\n" : "basicConstraints=CA:FALSE\nsubjectAltName=IP:" + ip + "\n");
        openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-out", name + ".crt", "-extfile", name + ".ext");
        openssl("pkcs12", "-export", "-in", name + ".crt", "-inkey", name + ".key", "-out", name + ".p12", "-passout", "pass:" + new String(STORE_PASSWORD));
    }

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(RealMosquitto.installed(), "mosquitto is not installed at " + RealMosquitto.BINARY);
        assumeTrue(Files.isExecutable(OPENSSL), "openssl is not installed; the TLS cases are skipped");
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=warden-test-ca");
        issue("server", "127.0.0.1", "127.0.0.1");
        for (String c : List.of("dev1", "dev2", "ops")) issue(c, c, null);
        int port = RealMosquitto.freePort();
        result = MosquittoTarget.compile(Policies.authz(POLICY), MosquittoTarget.Options.tls(port, MosquittoTarget.Tls.mutualIdentity("server.crt", "server.key", "ca.crt"))
                .withBindAddress("127.0.0.1"));
        assertFalse(result.hasErrors(), result.diagnostics().toString());
        assertEquals(List.of(Codes.CONNECT_REWRITTEN), result.diagnostics().stream().filter(d -> d.at().line() == 3).map(d -> d.code()).toList());
        for (String f : List.of("server.key", "ca.key", "dev1.key", "dev2.key", "ops.key")) {
            Files.setPosixFilePermissions(dir.resolve(f), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        broker = RealMosquitto.start(dir, port, result.files());
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) broker.close();
    }

    static Mqtt5BlockingClient connect(String cert, String id) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.crt"))) {
            trust.setCertificateEntry("ca", cf.generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        var ssl = MqttClient.builder().useMqttVersion5().identifier(id)
                .transportConfig().serverHost("127.0.0.1").serverPort(broker.port)
                .socketConnectTimeout(5, TimeUnit.SECONDS).mqttConnectTimeout(5, TimeUnit.SECONDS)
                .sslConfig().trustManagerFactory(tmf);
        if (cert != null) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(dir.resolve(cert + ".p12"))) {
                keys.load(in, STORE_PASSWORD);
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, STORE_PASSWORD);
            ssl = ssl.keyManagerFactory(kmf);
        }
        Mqtt5BlockingClient c = ssl.applySslConfig().applyTransportConfig().buildBlocking();
        c.connect();
        return c;
    }

    static Mqtt5PubAckReasonCode publish(Mqtt5BlockingClient c, String topic) {
        try {
            Mqtt5PublishResult r = c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[] {1}).send();
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) r).getPubAck().getReasonCode();
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }

    static List<String> deliveredBefore(Mqtt5BlockingClient.Mqtt5Publishes in, String marker) throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (Optional<Mqtt5Publish> p = in.receive(5, TimeUnit.SECONDS); p.isPresent(); p = in.receive(5, TimeUnit.SECONDS)) {
            String t = p.get().getTopic().toString();
            if (t.equals(marker)) return got;
            got.add(t);
        }
        throw new AssertionError("marker " + marker + " was not delivered; got " + got + "\n" + broker.log());
    }

    @Test
    void theCertificateCnIsTheIdentityWhateverIdTheClientSends() throws Exception {
        Mqtt5BlockingClient ops = connect("ops", "ops-console");
        Mqtt5BlockingClient dev1 = connect("dev1", "claims-to-be-dev2");
        try (Mqtt5BlockingClient.Mqtt5Publishes opsIn = ops.publishes(MqttGlobalPublishFilter.ALL);
             Mqtt5BlockingClient.Mqtt5Publishes devIn = dev1.publishes(MqttGlobalPublishFilter.ALL)) {
            ops.subscribeWith().topicFilter("devices/+/telemetry/#").qos(MqttQos.AT_LEAST_ONCE).send();
            // %c: the broker replaced the id by the CN, so the commands of dev1 (not dev2) reach this client
            dev1.subscribeWith().topicFilter("devices/+/commands/+").qos(MqttQos.AT_LEAST_ONCE).send();
            assertFalse(publish(dev1, "devices/dev1/telemetry/temp").isError());
            assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, publish(dev1, "devices/dev2/telemetry/temp"));
            assertFalse(publish(dev1, "devices/dev1/telemetry/end").isError());
            assertEquals(List.of("devices/dev1/telemetry/temp"), deliveredBefore(opsIn, "devices/dev1/telemetry/end"));

            assertFalse(publish(ops, "devices/dev2/commands/reboot").isError());
            assertFalse(publish(ops, "devices/dev1/commands/reboot").isError());
            assertEquals(Mqtt5PubAckReasonCode.NOT_AUTHORIZED, publish(ops, "devices/dev1/telemetry/forged"), "ops may not write telemetry");
            assertFalse(publish(ops, "devices/dev1/commands/end").isError());
            assertEquals(List.of("devices/dev1/commands/reboot"), deliveredBefore(devIn, "devices/dev1/commands/end"));
        } finally {
            dev1.disconnect();
            ops.disconnect();
        }
    }

    @Test
    void clientsWithoutACertificateAreRefused() {
        assertThrows(Exception.class, () -> connect(null, "dev1"));
    }

    @Test
    void generatedListenerIsMutualTls() throws Exception {
        Map<String, String> files = result.files();
        String conf = files.get("mosquitto.conf");
        for (String line : List.of("require_certificate true", "use_identity_as_username true", "use_username_as_clientid true", "tls_version tlsv1.2", "max_qos 1")) {
            assertEquals(1, conf.lines().filter(line::equals).count(), line + "\n" + conf);
        }
        Mqtt5BlockingClient dev2 = connect("dev2", "dev2");
        assertFalse(publish(dev2, "devices/dev2/telemetry/x").isError());
        dev2.disconnect();
    }
}
