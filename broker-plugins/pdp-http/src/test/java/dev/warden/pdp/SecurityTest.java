package dev.warden.pdp;

import dev.warden.eval.authz.Enforcer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Credentials, limits and fail-closed behaviour over real HTTPS. */
class SecurityTest {
    static Pdp pdp;

    @BeforeAll
    static void start() throws Exception { pdp = Pdp.devices(); }

    @AfterAll
    static void stop() { pdp.close(); }

    static final String AUTHZ = "{\"clientid\":\"d1\",\"topic\":\"devices/d1/telemetry/t\",\"action\":\"publish\",\"qos\":\"0\",\"retain\":\"false\"}";

    HttpRequest.Builder bare(String path) {
        return HttpRequest.newBuilder(URI.create(pdp.base + path)).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(AUTHZ));
    }

    @Test
    void missingOrWrongTokenIs401() throws Exception {
        HttpResponse<String> none = pdp.send(bare("/emqx/authz").build());
        assertEquals(401, none.statusCode());
        assertEquals("PDP_UNAUTHORIZED", Pdp.json(none).get("error").get("code").asText());
        assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
        assertEquals(401, pdp.send(bare("/emqx/authz").header("Authorization", "Bearer " + Pdp.TOKEN + "x").build()).statusCode());
        assertEquals(401, pdp.send(bare("/emqx/authz").header("Authorization", "Bearer " + Pdp.TOKEN.substring(1)).build()).statusCode());
        assertEquals(401, pdp.send(bare("/emqx/authz").header("Authorization", "Token " + Pdp.TOKEN).build()).statusCode());
        assertEquals(401, pdp.send(bare("/nowhere").build()).statusCode(), "credentials are checked before routing");
        assertFalse(none.body().contains(Pdp.TOKEN));
    }

    @Test
    void basicAuthCarriesTheTokenAsPassword() throws Exception {
        // go-auth can only send credentials as URL user info (auth_opt_http_host warden:<token>@host)
        String basic = Base64.getEncoder().encodeToString(("warden:" + Pdp.TOKEN).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, pdp.send(bare("/emqx/authz").header("Authorization", "Basic " + basic).build()).statusCode());
        String wrong = Base64.getEncoder().encodeToString("warden:nope".getBytes(StandardCharsets.UTF_8));
        assertEquals(401, pdp.send(bare("/emqx/authz").header("Authorization", "Basic " + wrong).build()).statusCode());
    }

    @Test
    void oversizeIs413AndUnknownPathIs404AndBadJsonIs400() throws Exception {
        String big = "{\"clientid\":\"" + "x".repeat(20_000) + "\"}";
        HttpResponse<String> r = pdp.postJson("/emqx/authz", big);
        assertEquals(413, r.statusCode());
        assertEquals("PDP_TOO_LARGE", Pdp.json(r).get("error").get("code").asText());
        // no Content-Length (chunked): the limit is enforced while reading
        HttpRequest chunked = pdp.req("/emqx/authz").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)))).build();
        assertEquals(413, pdp.send(chunked).statusCode());

        HttpResponse<String> nf = pdp.postJson("/emqx/other", AUTHZ);
        assertEquals(404, nf.statusCode());
        assertTrue(Pdp.json(nf).get("error").get("hint").asText().contains("/emqx/authz"));

        HttpResponse<String> bad = pdp.postJson("/go-auth/acl", "{\"username\": \"dev\", \"clientid\": ");
        assertEquals(400, bad.statusCode());
        assertEquals("PDP_BAD_JSON", Pdp.json(bad).get("error").get("code").asText());
        assertTrue(Pdp.json(bad).get("error").get("message").asText().contains("line 1"), bad.body());
        assertFalse(bad.body().contains("Exception"), "no stack trace: " + bad.body());
        assertEquals(400, pdp.postJson("/go-auth/acl", "[1,2]").statusCode());
        HttpResponse<String> secret = pdp.postJson("/go-auth/user", "{\"username\":\"u\",\"password\": s3cretvalue}");
        assertEquals(400, secret.statusCode());
        assertFalse(secret.body().contains("s3cret") || Pdp.why(secret).contains("s3cret"), "body text is never echoed: " + secret.body());
        assertEquals(405, pdp.send(pdp.req("/go-auth/acl").DELETE().build()).statusCode());
    }

    @Test
    void aBrokenPolicyDeniesEveryContract(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("p.warden");
        Files.writeString(p, "authorize x { allow publsh \"devices/#\" }");
        try (Pdp broken = new Pdp(Enforcer.builder().policy(p).build(), o -> o.onConnectPass(PdpServer.OnConnectPass.ALLOW), true)) {
            HttpResponse<String> authn = broken.postJson("/emqx/authn", "{\"clientid\":\"d1\",\"peerhost\":\"10.0.0.1\"}");
            assertEquals("deny", Pdp.json(authn).get("result").asText());
            assertTrue(Pdp.why(authn).contains("no valid policy"), Pdp.why(authn));
            assertEquals("deny", Pdp.json(broken.postJson("/emqx/authz", AUTHZ)).get("result").asText());
            assertEquals(403, broken.postJson("/go-auth/user", "{\"username\":\"u\",\"password\":\"p\",\"clientid\":\"d1\"}").statusCode());
            assertEquals(403, broken.postJson("/go-auth/acl", "{\"username\":\"u\",\"clientid\":\"d1\",\"topic\":\"devices/d1\",\"acc\":2}").statusCode());
            HttpResponse<String> v = broken.postJson("/vernemq", "{\"client_id\":\"d1\",\"mountpoint\":\"\",\"username\":null,\"qos\":0,\"topic\":\"devices/d1\",\"payload\":\"\",\"retain\":false}",
                    "vernemq-hook", "auth_on_publish");
            assertEquals("not_allowed", Pdp.json(v).get("result").get("error").asText());
            HttpResponse<String> health = broken.send(broken.req("/healthz").GET().build());
            assertEquals(503, health.statusCode());
            assertEquals("no-policy", Pdp.json(health).get("status").asText());
        }
        assertEquals(200, pdp.send(pdp.req("/healthz").GET().build()).statusCode());
    }

    @Test
    void mutualTlsWithoutToken() throws Exception {
        Enforcer e = Enforcer.builder().sources(java.util.List.of(new dev.warden.dsl.PolicyCompiler.Source("d.warden", Pdp.DEVICES))).build();
        PdpServer.Options o = new PdpServer.Options().enforcer(e).keystore(Pki.SERVER, Pki.PASS).truststore(Pki.CLIENT_TRUST, Pki.PASS);
        try (PdpServer s = PdpServer.start(o); e) {
            URI uri = URI.create("https://127.0.0.1:" + s.port() + "/emqx/authz");
            HttpRequest req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(AUTHZ)).build();
            HttpClient withCert = HttpClient.newBuilder().sslContext(Pki.client(true)).build();
            HttpResponse<String> ok = withCert.send(req, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ok.statusCode());
            assertEquals("allow", Pdp.json(ok).get("result").asText());
            HttpClient noCert = HttpClient.newBuilder().sslContext(Pki.client(false)).build();
            assertThrows(IOException.class, () -> noCert.send(req, HttpResponse.BodyHandlers.ofString()), "the handshake requires a client certificate");
        }
    }

    @Test
    void tokenOrCertificateWhenBothAreConfigured() throws Exception {
        try (Pdp both = new Pdp(Pdp.DEVICES, o -> o.truststore(Pki.CLIENT_TRUST, Pki.PASS))) {
            assertEquals(200, both.postJson("/emqx/authz", AUTHZ).statusCode(), "token, no certificate");
            HttpClient withCert = HttpClient.newBuilder().sslContext(Pki.client(true)).build();
            HttpRequest noToken = HttpRequest.newBuilder(URI.create(both.base + "/emqx/authz")).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(AUTHZ)).build();
            assertEquals(200, withCert.send(noToken, HttpResponse.BodyHandlers.ofString()).statusCode(), "certificate, no token");
            assertEquals(401, both.send(noToken).statusCode(), "neither");
        }
    }

    @Test
    void plainHttpOnlyOnLoopbackAndOptionsAreChecked() throws Exception {
        Enforcer e = Enforcer.builder().sources(java.util.List.of(new dev.warden.dsl.PolicyCompiler.Source("d.warden", Pdp.DEVICES))).build();
        byte[] tok = Pdp.TOKEN.getBytes(StandardCharsets.UTF_8);
        IllegalArgumentException lan = assertThrows(IllegalArgumentException.class,
                () -> PdpServer.start(new PdpServer.Options().enforcer(e).token(tok).insecurePlaintextLoopback(true).bind("0.0.0.0")));
        assertTrue(lan.getMessage().contains("loopback"), lan.getMessage());
        IllegalArgumentException noTls = assertThrows(IllegalArgumentException.class, () -> PdpServer.start(new PdpServer.Options().enforcer(e).token(tok)));
        assertTrue(noTls.getMessage().contains("HTTPS only"), noTls.getMessage());
        IllegalArgumentException noCred = assertThrows(IllegalArgumentException.class,
                () -> PdpServer.start(new PdpServer.Options().enforcer(e).keystore(Pki.SERVER, Pki.PASS)));
        assertTrue(noCred.getMessage().contains("client credential"), noCred.getMessage());
        IllegalArgumentException shortTok = assertThrows(IllegalArgumentException.class,
                () -> PdpServer.start(new PdpServer.Options().enforcer(e).keystore(Pki.SERVER, Pki.PASS).token("short".getBytes(StandardCharsets.UTF_8))));
        assertTrue(shortTok.getMessage().contains("too short"), shortTok.getMessage());
        IllegalArgumentException wrongPass = assertThrows(IllegalArgumentException.class,
                () -> PdpServer.start(new PdpServer.Options().enforcer(e).keystore(Pki.SERVER, "wrong-password".toCharArray()).token(tok)));
        assertFalse(wrongPass.getMessage().contains("wrong-password"), wrongPass.getMessage());
        try (Pdp plain = new Pdp(e, o -> o.insecurePlaintextLoopback(true), false)) {
            assertTrue(plain.base.startsWith("http://"));
            assertEquals("allow", Pdp.json(plain.postJson("/emqx/authz", AUTHZ)).get("result").asText());
        }
    }

    @Test
    void tokenFromFileOrEnvironment(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("token");
        Files.writeString(f, Pdp.TOKEN + "\n");
        assertEquals(Pdp.TOKEN, new String(new PdpServer.Options().tokenFromFile(f).token, StandardCharsets.UTF_8));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> new PdpServer.Options().tokenFromEnv("WARDEN_PDP_TOKEN_SURELY_UNSET_42"));
        assertTrue(missing.getMessage().contains("WARDEN_PDP_TOKEN_SURELY_UNSET_42"));
    }

    @Test
    void tooManyHeadersAreRefused() throws Exception {
        HttpRequest.Builder b = pdp.req("/emqx/authz").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(AUTHZ));
        for (int i = 0; i < 100; i++) b.header("X-Filler-" + i, "x");
        int status;
        try {
            status = pdp.send(b.build()).statusCode();
        } catch (IOException closed) {
            status = -1;
        }
        assertTrue(status == -1 || status >= 400, "more than 64 headers: " + status);
        HttpRequest.Builder fine = pdp.req("/emqx/authz").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(AUTHZ));
        for (int i = 0; i < 40; i++) fine.header("X-Filler-" + i, "x");
        assertEquals(200, pdp.send(fine.build()).statusCode(), "40 headers are fine");
    }

    @Test
    void aSlowClientIsCutOffAfterTheRequestTimeout() throws Exception {
        // the JDK server reads sun.net.httpserver.maxReqTime once per JVM; PdpServer sets it (default 10 s) unless given
        long limit = Long.parseLong(System.getProperty("sun.net.httpserver.maxReqTime"));
        SSLContext ctx = Pki.client(false);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", pdp.server.port())) {
            s.setSoTimeout((int) (limit + 5) * 1000);
            s.startHandshake();
            OutputStream out = s.getOutputStream();
            out.write("POST /emqx/authz HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long t0 = System.nanoTime();
            InputStream in = s.getInputStream();
            int b;
            try {
                b = in.read();
            } catch (IOException closed) {
                b = -1;
            }
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(-1, b, "the server closes the connection instead of answering a half request");
            assertTrue(waited < (limit + 3) * 1000, "closed after " + waited + " ms");
        }
    }
}
