package dev.warden.moquette;

import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import dev.warden.dsl.PolicyCompiler;
import dev.warden.eval.authz.Enforcer;
import io.moquette.broker.security.FileAuthenticator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Byte-rate accounting through the intercept handler, and Moquette's password file in front of the connect rules. */
class MoquetteLimitsIT {
    static final String POLICY = """
            authorize t {
              connect forbid  client.auth == "anonymous"
              allow publish   "t/${client.id}"
              allow subscribe "t/+"
              limit bytes per client 1KiB/s burst 2KiB
            }
            """;

    @TempDir
    static Path dir;
    static Broker broker;

    @BeforeAll
    static void start() throws Exception {
        // Moquette's own password file format: user:sha256hex(password)
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest("secret-pw".getBytes(StandardCharsets.UTF_8)));
        Files.writeString(dir.resolve("passwords"), "alice:" + hash + "\nbob:" + hash + "\n");
        Enforcer e = Enforcer.builder().sources(List.of(new PolicyCompiler.Source("t.warden", POLICY))).build();
        assertTrue(e.lastReload().ok(), e.lastReload().message());
        broker = new Broker(WardenMoquette.of(e, new FileAuthenticator(dir.toString(), "passwords"), 1000));
    }

    @AfterAll
    static void stop() {
        if (broker != null) broker.close();
    }

    @Test
    void aWrongPasswordIsRefusedBeforeThePolicy() throws Exception {
        var c = com.hivemq.client.mqtt.mqtt3.Mqtt3Client.builder().identifier("mallory").serverHost("127.0.0.1").serverPort(broker.port)
                .simpleAuth().username("alice").password("wrong".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().buildAsync();
        ExecutionException e = assertThrows(ExecutionException.class, () -> c.connect().get(5, TimeUnit.SECONDS));
        assertEquals(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD,
                assertInstanceOf(Mqtt3ConnAckException.class, e.getCause()).getMqttMessage().getReturnCode());
        assertEquals(0, broker.warden.sessions(), "no session for a refused client");
    }

    @Test
    void publishesAfterTheByteBudgetIsSpentAreRefusedUntilItRefills() throws Exception {
        assertTrue(broker.warden.unenforceable().stream().anyMatch(w -> w.startsWith("byte rates are charged after delivery")));
        Mqtt3AsyncClient bob = broker.connect("bob", "bob");
        Mqtt3AsyncClient alice = broker.connect("alice", "alice");
        try {
            BlockingQueue<String> got = Broker.collect(bob, "t/+");
            String kb = "x".repeat(1000);
            // 3 x 1000 bytes: the third goes over the 2 KiB burst (it is delivered: the authorizator cannot see sizes)
            for (int i = 0; i < 3; i++) Broker.publish(alice, "t/alice", kb);
            for (int i = 0; i < 3; i++) assertNotNull(got.poll(5, TimeUnit.SECONDS), "message " + i);
            long end = System.nanoTime() + 5_000_000_000L;
            while (broker.warden.byteRateExceeded() == 0 && System.nanoTime() < end) Thread.sleep(10);
            assertEquals(1, broker.warden.byteRateExceeded());
            Broker.publish(alice, "t/alice", "refused while owing");
            Broker.publish(bob, "t/bob", "marker");
            List<String> after = new ArrayList<>();
            String m;
            while ((m = got.poll(2, TimeUnit.SECONDS)) != null) {
                after.add(m);
                if (m.equals("t/bob=marker")) break;
            }
            assertEquals(List.of("t/bob=marker"), after, "alice's publish while over budget was refused, bob has his own budget");
            Thread.sleep(1200); // ~1 KiB refills: alice is under the burst again
            Broker.publish(alice, "t/alice", "again");
            assertEquals("t/alice=again", got.poll(5, TimeUnit.SECONDS));
        } finally {
            alice.disconnect().get(5, TimeUnit.SECONDS);
            bob.disconnect().get(5, TimeUnit.SECONDS);
        }
    }
}
