package dev.warden.hivemq;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real HiveMQ CE broker in-process, listening on 127.0.0.1 only, with the Warden extension embedded. */
final class Broker implements AutoCloseable {
    final EmbeddedHiveMQ hivemq;
    final int port;
    final WardenExtensionMain main;

    private Broker(EmbeddedHiveMQ hivemq, int port, WardenExtensionMain main) {
        this.hivemq = hivemq;
        this.port = port;
        this.main = main;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Writes a config.xml with one loopback listener (HiveMQ falls back to 0.0.0.0 without a valid one). */
    static Path configFolder(Path dir, int port) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                  <listeners>
                    <tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener>
                  </listeners>
                  <persistence><mode>in-memory</mode></persistence>
                </hivemq>
                """.formatted(port));
        Files.writeString(conf.resolve("logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>%%d{HH:mm:ss.SSS} %%-5level %%logger{20} - %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="%s"><appender-ref ref="OUT"/></root>
                </configuration>
                """.formatted(System.getProperty("warden.hivemq.log", "WARN")));
        return conf;
    }

    /** Starts a broker with {@code main} as an embedded extension (or none when null). */
    static Broker start(Path dir, WardenExtensionMain main) throws Exception {
        int port = freePort();
        var b = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(configFolder(dir, port))
                .withDataFolder(Files.createDirectories(dir.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(dir.resolve("extensions")));
        if (main != null) {
            b.withEmbeddedExtension(EmbeddedExtension.builder().withId("warden").withName("Warden").withVersion("test")
                    .withPriority(1000).withStartPriority(1000).withExtensionMain(main).build());
        }
        EmbeddedHiveMQ h = b.build();
        h.start().join();
        return new Broker(h, port, main);
    }

    @Override
    public void close() throws Exception {
        hivemq.stop().join();
        hivemq.close();
    }

    /** Deletes a test folder (best effort). */
    static void delete(Path dir) {
        if (dir == null) return;
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }
}
