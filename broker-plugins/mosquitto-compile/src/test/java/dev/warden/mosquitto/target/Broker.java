package dev.warden.mosquitto.target;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real mosquitto binary, started on generated files in a temporary directory and bound to 127.0.0.1; closing it
 * stops the process. Files are world-readable because mosquitto drops to its own user when started as root.
 */
final class Broker implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    final Process process;
    final int port;
    final Path log;

    private Broker(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static boolean installed() { return Files.isExecutable(BINARY); }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** A mosquitto password file line ({@code $6$}: SHA-512 over password then a 12-byte salt, as mosquitto 2.0 checks it). */
    static String passwordLine(String user, String password) throws Exception {
        byte[] salt = new byte[12];
        new SecureRandom().nextBytes(salt);
        MessageDigest md = MessageDigest.getInstance("SHA-512");
        md.update(password.getBytes(StandardCharsets.UTF_8));
        md.update(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return user + ":$6$" + b64.encodeToString(salt) + "$" + b64.encodeToString(md.digest()) + "\n";
    }

    static Broker start(Path dir, int port, Map<String, String> files) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path p = dir.resolve(f.getKey());
            Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
        Path log = Files.createTempFile("mosquitto-target", ".log");
        Process p = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
                Thread.sleep(50);
            }
        }
        b.close();
        throw new AssertionError("mosquitto did not open port " + port + ":\n" + b.log());
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
