package dev.warden.pdp;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;

/**
 * Test-only key material made at run time with public JDK APIs (nothing is committed): self-signed EC P-256
 * certificates for the server (127.0.0.1), the broker (mutual TLS) and a device whose CN is a client id. A PKCS12 key
 * entry also serves as a trust anchor, so the key stores double as trust stores.
 */
final class Pki {
    static final char[] PASS = "test-only-pass".toCharArray();
    static final Path SERVER, SERVER_TRUST, CLIENT, CLIENT_TRUST;
    static final String DEVICE_D1_DER_B64;

    static {
        try {
            Path dir = Files.createTempDirectory("warden-pdp-pki");
            SERVER = SERVER_TRUST = store(dir.resolve("server.p12"), "server", selfSigned("warden-pdp-test", null, List.of("localhost"), List.of("127.0.0.1")));
            CLIENT = CLIENT_TRUST = store(dir.resolve("client.p12"), "broker", selfSigned("broker-test", null, List.of(), List.of()));
            DEVICE_D1_DER_B64 = Base64.getEncoder().encodeToString(selfSigned("d1", "Devices", List.of("d1.devices.example"), List.of()).cert.getEncoded());
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Pki() {}

    record Issued(KeyPair keys, X509Certificate cert) {}

    static Issued selfSigned(String cn, String org, List<String> dns, List<String> ips) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        byte[] sigAlg = seq(oid("1.2.840.10045.4.3.2"));
        byte[] name = org == null ? seq(rdn("2.5.4.3", cn)) : seq(rdn("2.5.4.10", org), rdn("2.5.4.3", cn));
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        byte[] validity = seq(utcTime(now.minusHours(1)), utcTime(now.plusDays(2)));
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        for (String d : dns) names.write(tlv(0x82, d.getBytes(StandardCharsets.US_ASCII)));
        for (String ip : ips) names.write(tlv(0x87, InetAddress.getByName(ip).getAddress()));
        byte[] ext = names.size() == 0 ? new byte[0]
                : tlv(0xa3, seq(seq(oid("2.5.29.17"), tlv(0x04, tlv(0x30, names.toByteArray())))));
        byte[] tbs = seq(tlv(0xa0, tlv(0x02, new byte[]{2})), tlv(0x02, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray()),
                sigAlg, name, validity, name, kp.getPublic().getEncoded(), ext);
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(kp.getPrivate());
        s.update(tbs);
        byte[] sig = s.sign();
        byte[] bits = new byte[sig.length + 1];
        System.arraycopy(sig, 0, bits, 1, sig.length);
        byte[] der = seq(tbs, sigAlg, tlv(0x03, bits));
        X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        c.verify(kp.getPublic());
        return new Issued(kp, c);
    }

    private static Path store(Path file, String alias, Issued i) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry(alias, i.keys.getPrivate(), PASS, new Certificate[]{i.cert});
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, PASS);
        }
        return file;
    }

    // ------------------------------------------------------------------ minimal DER

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(tag);
        int n = value.length;
        if (n < 0x80) {
            b.write(n);
        } else {
            int bytes = n > 0xffff ? 3 : n > 0xff ? 2 : 1;
            b.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) b.write(n >>> (8 * i));
        }
        b.writeBytes(value);
        return b.toByteArray();
    }

    private static byte[] seq(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) b.writeBytes(p);
        return tlv(0x30, b.toByteArray());
    }

    private static byte[] rdn(String oid, String value) {
        return tlv(0x31, seq(oid(oid), tlv(0x0c, value.getBytes(StandardCharsets.UTF_8))));
    }

    private static byte[] utcTime(ZonedDateTime t) {
        return tlv(0x17, t.format(DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'")).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] oid(String dotted) {
        String[] a = dotted.split("\\.");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(40 * Integer.parseInt(a[0]) + Integer.parseInt(a[1]));
        for (int i = 2; i < a.length; i++) {
            long v = Long.parseLong(a[i]);
            int groups = 1;
            for (long x = v >>> 7; x > 0; x >>>= 7) groups++;
            for (int k = groups - 1; k >= 0; k--) b.write((int) ((v >>> (7 * k)) & 0x7f) | (k > 0 ? 0x80 : 0));
        }
        return tlv(0x06, b.toByteArray());
    }

    // ------------------------------------------------------------------ use

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
