package dev.warden.pdp;

import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

/** Reads the client certificate a broker forwards (base64 DER) or the subject it renders, for the connect rules. */
final class Certs {
    private Certs() {}

    /** The parts of a client certificate the policy language can see. */
    record Identity(String cn, List<String> sans, String issuer) {}

    static Identity fromBase64Der(String field, String b64) {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("PDP_BAD_CERT", field, "field `" + field + "` is not base64: " + e.getMessage(), "send the DER certificate base64-encoded");
        }
        X509Certificate c;
        try {
            c = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException | ClassCastException e) {
            throw new BadRequest("PDP_BAD_CERT", field, "field `" + field + "` is not an X.509 certificate", "send the client certificate as base64 DER");
        }
        List<String> sans = new ArrayList<>();
        try {
            Collection<List<?>> alt = c.getSubjectAlternativeNames();
            if (alt != null) for (List<?> a : alt) if (a.size() > 1 && a.get(1) instanceof String s) sans.add(s);
        } catch (CertificateParsingException e) {
            throw new BadRequest("PDP_BAD_CERT", field, "the subject alternative names of `" + field + "` cannot be read", "send a well-formed certificate");
        }
        return new Identity(cn(c.getSubjectX500Principal().getName(X500Principal.RFC2253)), sans, c.getIssuerX500Principal().getName(X500Principal.RFC2253));
    }

    /** The common name of an RFC 2253 / RFC 4514 distinguished name; null when it has none or cannot be read. */
    static String cn(String dn) {
        if (dn == null || dn.isEmpty()) return null;
        try {
            List<Rdn> rdns = new LdapName(dn).getRdns();
            for (int i = rdns.size() - 1; i >= 0; i--) {
                if (rdns.get(i).getType().equalsIgnoreCase("CN")) return String.valueOf(rdns.get(i).getValue());
            }
        } catch (InvalidNameException | IllegalArgumentException e) {
            return null;
        }
        return null;
    }
}
