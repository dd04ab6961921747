package dev.warden.moquette;

import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import dev.warden.eval.authz.Decision;
import dev.warden.eval.authz.Enforcer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** A broker started with a policy that does not compile denies every client and every message (fail closed). */
class MoquetteNoPolicyIT {
    @TempDir
    static Path dir;
    static Broker broker;

    @BeforeAll
    static void start() throws Exception {
        Path p = dir.resolve("broken.warden");
        Files.writeString(p, "authorize x { allow publsh \"a/#\" }\n");
        broker = new Broker(Enforcer.builder().policy(p).build());
    }

    @AfterAll
    static void stop() {
        if (broker != null) broker.close();
    }

    @Test
    void theFailedLoadIsReportedWithItsLocation() {
        Enforcer.ReloadResult r = broker.warden.enforcer().lastReload();
        assertFalse(r.ok());
        assertTrue(r.message().contains("broken.warden"), r.message());
        assertFalse(broker.warden.enforcer().engine().hasPolicy());
    }

    @Test
    void clientsWithAUserNameAreRefusedAtConnect() throws Exception {
        Mqtt3AsyncClient c = broker.client("dev1", "dev1");
        ExecutionException e = assertThrows(ExecutionException.class, () -> c.connect().get(5, TimeUnit.SECONDS));
        assertEquals(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD,
                assertInstanceOf(Mqtt3ConnAckException.class, e.getCause()).getMqttMessage().getReturnCode());
        assertTrue(broker.warden.enforcer().metrics().count(false, Decision.Reason.NO_POLICY) >= 1);
    }

    @Test
    void anonymousClientsAreDroppedAndTheirMessagesAreNotDelivered() throws Exception {
        Mqtt3AsyncClient c = broker.connect("anon", null);
        Broker.tryPublish(c, "a/b", "x");
        long end = System.nanoTime() + 5_000_000_000L;
        while (c.getState().isConnected() && System.nanoTime() < end) Thread.sleep(20);
        assertFalse(c.getState().isConnected());
        // the authorizator on its own, as Moquette calls it: nothing is readable or writable
        assertNull(broker.warden.publish("a/b", null, "anon2"));
        assertNull(broker.warden.subscribe("a/#", "u", "anon3"));
        assertEquals(0, broker.warden.sessions());
    }
}
