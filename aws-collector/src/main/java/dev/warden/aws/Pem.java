package dev.warden.aws;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;

/** Reads the key algorithm and size from a certificate PEM, then drops the PEM: snapshots never hold it. */
final class Pem {
    private Pem() {}

    static final String KEY_ALGORITHM = "keyAlgorithm";
    static final String KEY_SIZE = "keySize";

    /** Removes {@code certificatePem} (and any private key member) from a certificate description, keeping what was learnt from it. */
    static ObjectNode strip(ObjectNode d) {
        String pem = d.path("certificatePem").asText(null);
        d.remove("certificatePem");
        d.remove("keyPair");
        d.remove("privateKey");
        if (pem == null || pem.isBlank()) {
            d.withObjectProperty(AwsSnapshot.UNKNOWN).put(KEY_ALGORITHM, "the certificate PEM was not returned");
            return d;
        }
        try {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            PublicKey k = c.getPublicKey();
            d.put(KEY_ALGORITHM, k.getAlgorithm());
            if (k instanceof RSAPublicKey r) d.put(KEY_SIZE, r.getModulus().bitLength());
            else if (k instanceof ECPublicKey e) d.put(KEY_SIZE, e.getParams().getCurve().getField().getFieldSize());
            ObjectNode v = d.withObjectProperty("validity");
            if (!v.has("notBefore")) v.put("notBefore", c.getNotBefore().toInstant().toString());
            if (!v.has("notAfter")) v.put("notAfter", c.getNotAfter().toInstant().toString());
        } catch (Exception e) {
            d.withObjectProperty(AwsSnapshot.UNKNOWN).put(KEY_ALGORITHM, "the certificate PEM could not be parsed: " + e.getMessage());
        }
        return d;
    }
}
