package dev.warden.hivemq;

import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fail-closed start-up on a real broker (HiveMQ would admit everyone without an authenticator): a broken
 * configuration file or an invalid policy refuses every MQTT 3.1.1 and 5 client; a fixed policy is picked up.
 */
class HiveMqFailClosedTest {
    Path dir;
    Broker broker;

    @AfterEach
    void stop() throws Exception {
        if (broker != null) broker.close();
        Broker.delete(dir);
    }

    static Path extensionFolder(Path dir, String config, String policy) throws Exception {
        Path home = Files.createDirectories(dir.resolve("warden"));
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("policies"));
        Files.writeString(home.resolve("conf/warden.properties"), config);
        Files.writeString(home.resolve("policies/devices.warden"), policy);
        return home.resolve("conf/warden.properties");
    }

    void assertEveryoneRefused(Mqtt5ConnAckReasonCode code5, Mqtt3ConnAckReturnCode code3, String reason) {
        for (String id : new String[] {"d1", "ops", "anything"}) {
            Mqtt5ConnAckException e5 = assertThrows(Mqtt5ConnAckException.class, () -> Mqtt.v5(broker.port, id).connect());
            assertEquals(code5, e5.getMqttMessage().getReasonCode());
            String why = e5.getMqttMessage().getReasonString().map(Object::toString).orElse("");
            assertTrue(why.contains(reason), why);
            Mqtt3ConnAckException e3 = assertThrows(Mqtt3ConnAckException.class, () -> Mqtt.v3(broker.port, id + "-v3").connect());
            assertEquals(code3, e3.getMqttMessage().getReturnCode());
        }
    }

    @Test
    void aBrokenConfigurationFileRefusesEveryClient() throws Exception {
        dir = Files.createTempDirectory("warden-hivemq");
        Path cfg = extensionFolder(dir, "policy = policies/\npolcy-watch = 2s\n", "authorize a { allow publish \"#\" }");
        broker = Broker.start(dir, new WardenExtensionMain(cfg));
        assertEquals(null, broker.main.enforcer(), "no enforcer without a configuration");
        assertEveryoneRefused(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE, Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE, "not configured");
    }

    @Test
    void anInvalidPolicyAtStartRefusesEveryClientUntilAValidOneIsWritten() throws Exception {
        dir = Files.createTempDirectory("warden-hivemq");
        Path cfg = extensionFolder(dir, "# Warden\npolicy = policies/\nwatch = 100ms\n",
                "authorize devices { allow publish \"devices/${client.id}/#\" qos 0..3 }");
        broker = Broker.start(dir, new WardenExtensionMain(cfg));
        assertFalse(broker.main.enforcer().lastReload().ok());
        assertEveryoneRefused(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE, Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE, "no valid policy");
        assertEquals(0, broker.main.trackedConnections());

        Files.writeString(dir.resolve("warden/policies/devices.warden"), "authorize devices { allow publish \"devices/${client.id}/#\" qos 0..1 }");
        assertTrue(Mqtt.await(() -> broker.main.enforcer().lastReload().ok(), 5000), () -> broker.main.enforcer().lastReload().message());
        Mqtt5BlockingClient c = Mqtt.v5(broker.port, "d1");
        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, c.connect().getReasonCode());
        c.disconnect();
    }
}
