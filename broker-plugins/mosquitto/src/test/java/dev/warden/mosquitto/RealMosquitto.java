package dev.warden.mosquitto;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real mosquitto binary (Debian's /usr/sbin/mosquitto) started on files written to a directory, waited for until
 * its port accepts; closing it stops the process. Shared with other modules' tests through this module's test-jar.
 */
public final class RealMosquitto implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    public final Process process;
    public final int port;
    private final Path log;

    private RealMosquitto(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static boolean installed() { return Files.isExecutable(BINARY); }

    /** A free TCP port on the loopback address. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /**
     * Writes {@code files} under {@code dir} world-readable (mosquitto drops to its own user when started as root),
     * starts mosquitto on {@code dir/mosquitto.conf} and waits (10 s at most) until {@code port} accepts.
     */
    public static RealMosquitto start(Path dir, int port, Map<String, String> files) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Path log = Files.createTempFile("mosquitto-it", ".log");
        Process p = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RealMosquitto b = new RealMosquitto(p, port, log);
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
                Thread.sleep(50);
            }
        }
        b.close();
        throw new AssertionError("mosquitto did not open port " + port + ":\n" + b.log());
    }

    /** What the broker printed so far. */
    public String log() {
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
