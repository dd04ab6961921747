package dev.warden.pdp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.dsl.PolicyCompiler;
import dev.warden.eval.authz.Enforcer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** A real PDP on 127.0.0.1 over HTTPS and a real java.net.http client talking to it. */
final class Pdp implements AutoCloseable {
    static final String TOKEN = "test-token-0123456789abcdef";

    static final String DEVICES = """
            authorize devices "Devices reach only their own namespace" {
              default deny
              connect forbid  client.id matches "[+#/]"
              allow publish   "devices/${client.id}/telemetry/#" qos 0..1 retain false
              allow subscribe "devices/${client.id}/commands/+" qos 0..1
              allow receive   "broadcast/#" when client.username == "ops"
              allow subscribe "broadcast/#" when client.username == "ops"
              deny  publish   "devices/${client.id}/telemetry/admin"
              limit payload 1KiB
              limit publish per client 5/s burst 50
            }
            """;

    final Enforcer enforcer;
    final PdpServer server;
    final HttpClient http;
    final String base;

    Pdp(String policy, Consumer<PdpServer.Options> tweak) throws Exception {
        this(Enforcer.builder().sources(List.of(new PolicyCompiler.Source("devices.warden", policy))).build(), tweak, true);
    }

    Pdp(Enforcer e, Consumer<PdpServer.Options> tweak, boolean tls) throws Exception {
        enforcer = e;
        PdpServer.Options o = new PdpServer.Options().enforcer(e).token(TOKEN.getBytes(StandardCharsets.UTF_8)).threads(4);
        if (tls) o.keystore(Pki.SERVER, Pki.PASS);
        tweak.accept(o);
        server = PdpServer.start(o);
        http = HttpClient.newBuilder().sslContext(Pki.client(false)).connectTimeout(Duration.ofSeconds(5)).build();
        base = (o.insecurePlaintextLoopback ? "http" : "https") + "://127.0.0.1:" + server.port();
    }

    static Pdp devices() throws Exception {
        return new Pdp(DEVICES, o -> {});
    }

    HttpRequest.Builder req(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + TOKEN);
    }

    HttpResponse<String> send(HttpRequest r) throws Exception {
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> postJson(String path, String json, String... headers) throws Exception {
        HttpRequest.Builder b = req(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return send(b.build());
    }

    HttpResponse<String> postForm(String path, String form) throws Exception {
        return send(req(path).header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Params.JSON.readTree(r.body());
    }

    static String why(HttpResponse<String> r) {
        return r.headers().firstValue("Warden-Decision").orElse("");
    }

    @Override
    public void close() {
        server.close();
        enforcer.close();
    }
}
