package dev.warden.pdp;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Test-only key material generated at run time with the JDK's keytool (nothing is committed): a server key pair
 * for 127.0.0.1, a broker client certificate for mutual TLS and a device certificate whose CN is a client id.
 */
final class Pki {
    static final char[] PASS = "test-only-pass".toCharArray();
    static final Path DIR;
    static final Path SERVER, SERVER_TRUST, CLIENT, CLIENT_TRUST;
    static final String DEVICE_D1_DER_B64;

    static {
        try {
            DIR = Files.createTempDirectory("warden-pdp-pki");
            SERVER = DIR.resolve("server.p12");
            CLIENT = DIR.resolve("client.p12");
            Path device = DIR.resolve("d1.p12");
            // three keytool runs in parallel; a PKCS12 key entry also serves as a trust anchor, so no export/import
            List<Process> runs = List.of(
                    genkey(SERVER, "server", "CN=warden-pdp-test", "SAN=ip:127.0.0.1,dns:localhost"),
                    genkey(CLIENT, "broker", "CN=broker-test", null),
                    genkey(device, "d1", "CN=d1,O=Devices", "SAN=dns:d1.devices.example"));
            for (Process p : runs) {
                String out = new String(p.getInputStream().readAllBytes());
                if (p.waitFor() != 0) throw new IOException("keytool failed: " + out);
            }
            SERVER_TRUST = SERVER;
            CLIENT_TRUST = CLIENT;
            DEVICE_D1_DER_B64 = Base64.getEncoder().encodeToString(load(device).getCertificate("d1").getEncoded());
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Pki() {}

    private static Process genkey(Path store, String alias, String dn, String ext) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", new String(PASS),
                "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dn, "-validity", "2"));
        if (ext != null) { cmd.add("-ext"); cmd.add(ext); }
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    static KeyStore load(Path p) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, PASS);
        }
        return ks;
    }

    /** A client TLS context trusting the test server, optionally presenting the broker certificate. */
    static SSLContext client(boolean withCert) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(SERVER_TRUST));
        KeyManagerFactory kmf = null;
        if (withCert) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(CLIENT), PASS);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }
}
