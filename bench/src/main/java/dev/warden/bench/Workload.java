package dev.warden.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Generates a large, realistic mosquitto deployment for the scan benchmarks. */
public final class Workload {
    private Workload() {}

    /** Writes {@code mosquitto.conf} with {@code listeners} listeners and an {@code acl} with {@code aclLines} grants; returns the conf path. */
    public static Path generate(Path dir, int listeners, int aclLines) throws IOException {
        Files.createDirectories(dir);
        StringBuilder conf = new StringBuilder(64 * listeners + 256);
        conf.append("per_listener_settings false\nallow_anonymous false\nacl_file acl\nmax_packet_size 262144\n")
            .append("max_keepalive 300\nconnection_messages true\nlog_type notice\n");
        for (int i = 0; i < listeners; i++) {
            int port = 10000 + i;
            conf.append("\nlistener ").append(port).append(i % 10 == 0 ? " 127.0.0.1" : " 0.0.0.0").append('\n');
            if (i % 3 != 0) {
                conf.append("certfile certs/server.crt\nkeyfile certs/server.key\ncafile certs/ca.crt\n")
                    .append("require_certificate true\nuse_identity_as_username true\ntls_version tlsv1.2\n");
            }
            if (i % 7 == 0) conf.append("protocol websockets\n");
            conf.append("max_connections 1000\n");
        }
        Files.writeString(dir.resolve("mosquitto.conf"), conf, StandardCharsets.UTF_8);
        StringBuilder acl = new StringBuilder(40 * aclLines);
        acl.append("pattern readwrite devices/%c/#\n");
        int users = Math.max(1, aclLines / 10);
        int written = 1;
        for (int u = 0; u < users && written < aclLines; u++) {
            acl.append("user device-").append(u).append('\n');
            for (int k = 0; k < 9 && written < aclLines; k++, written++) {
                String topic = switch (k % 4) {
                    case 0 -> "devices/device-" + u + "/telemetry/#";
                    case 1 -> "devices/device-" + u + "/commands/+";
                    case 2 -> "fleet/" + (u % 50) + "/status";
                    default -> "devices/+/broadcast";
                };
                acl.append("topic ").append(k % 2 == 0 ? "readwrite " : "read ").append(topic).append('\n');
            }
        }
        Files.writeString(dir.resolve("acl"), acl, StandardCharsets.UTF_8);
        return dir.resolve("mosquitto.conf");
    }
}
