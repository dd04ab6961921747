package dev.warden.mosquitto.target;

import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code warden compile --target mosquitto}: turns one {@code authorize} block into what mosquitto 2.0 enforces by
 * itself (an {@code acl_file} and a {@code mosquitto.conf} with one listener), and reports every rule mosquitto
 * cannot enforce as a diagnostic at the rule's origin. Nothing is dropped silently.
 */
public final class MosquittoTarget {
    private MosquittoTarget() {}

    /**
     * TLS settings of the generated listener (file paths only: certificates and keys are never read).
     *
     * @param certfile              server certificate (PEM) path as mosquitto should read it
     * @param keyfile               server key path
     * @param cafile                CA that signs client certificates; required when {@code requireCertificate}
     * @param requireCertificate    clients must present a certificate signed by {@code cafile}
     * @param useIdentityAsUsername the certificate CN becomes the MQTT username ({@code %u}); needs {@code requireCertificate}
     * @param tlsVersion            {@code tlsv1.2} or {@code tlsv1.3}
     */
    public record Tls(String certfile, String keyfile, String cafile, boolean requireCertificate, boolean useIdentityAsUsername,
                      String tlsVersion) {
        /** Mutual TLS with the certificate CN as the username, TLS 1.2 or newer. */
        public static Tls mutualIdentity(String certfile, String keyfile, String cafile) {
            return new Tls(certfile, keyfile, cafile, true, true, "tlsv1.2");
        }
    }

    /**
     * What to generate.
     *
     * @param port           listener port
     * @param bindAddress    address to bind (null: all interfaces)
     * @param tls            TLS settings, or null for a plain listener
     * @param passwordFile   {@code password_file} path to reference (null: none; password-authenticated clients then cannot connect)
     * @param aclFile        name of the generated ACL file, as {@code acl_file} references it
     * @param maxConnections listener {@code max_connections} (null: not set)
     */
    public record Options(int port, String bindAddress, Tls tls, String passwordFile, String aclFile, Integer maxConnections) {
        public Options {
            aclFile = aclFile == null ? "acl" : aclFile;
        }

        /** A plain listener on {@code port}. */
        public static Options plain(int port) { return new Options(port, null, null, null, "acl", null); }

        /** A TLS listener on {@code port}. */
        public static Options tls(int port, Tls tls) { return new Options(port, null, tls, null, "acl", null); }

        public Options withBindAddress(String a) { return new Options(port, a, tls, passwordFile, aclFile, maxConnections); }

        public Options withPasswordFile(String f) { return new Options(port, bindAddress, tls, f, aclFile, maxConnections); }

        public Options withAclFile(String f) { return new Options(port, bindAddress, tls, passwordFile, f, maxConnections); }

        public Options withMaxConnections(Integer n) { return new Options(port, bindAddress, tls, passwordFile, aclFile, n); }

        /** True when the listener makes the certificate CN the username, so {@code ${cert.cn}} is {@code %u}. */
        public boolean cnIsUsername() { return tls != null && tls.requireCertificate() && tls.useIdentityAsUsername(); }
    }

    /**
     * The generated files and what mosquitto cannot enforce. When {@link #hasErrors()} (bad options), the texts are empty.
     *
     * @param aclFileName  the ACL file's name ({@link Options#aclFile()})
     * @param acl          {@code acl_file} text
     * @param mosquittoConf a complete {@code mosquitto.conf}
     * @param diagnostics  one per rule or limit mosquitto enforces differently or not at all, sorted by location
     */
    public record Result(String aclFileName, String acl, String mosquittoConf, List<Diagnostic> diagnostics) {
        public Result {
            diagnostics = List.copyOf(diagnostics);
        }

        /** File name → text, {@code mosquitto.conf} first. */
        public Map<String, String> files() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("mosquitto.conf", mosquittoConf);
            m.put(aclFileName, acl);
            return m;
        }

        public boolean hasErrors() { return diagnostics.stream().anyMatch(Diagnostic::isError); }

        /** Diagnostics with the given code. */
        public List<Diagnostic> withCode(String code) {
            return diagnostics.stream().filter(d -> d.code().equals(code)).toList();
        }
    }

    /** Compiles {@code policy} for mosquitto 2.0; never throws for bad options (they become {@code target.mosquitto.bad_option} errors). */
    public static Result compile(AuthzPolicy policy, Options options) {
        Objects.requireNonNull(policy, "policy");
        List<Diagnostic> bad = checkOptions(options);
        if (!bad.isEmpty()) return new Result(options == null ? "acl" : options.aclFile(), "", "", bad);
        return new Compilation(policy, options).run();
    }

    private static List<Diagnostic> checkOptions(Options o) {
        List<Diagnostic> out = new ArrayList<>();
        if (o == null) {
            out.add(Diagnostic.error(Codes.BAD_OPTION, Origin.api("options", "compile"), "no options given",
                    "pass `MosquittoTarget.Options.plain(port)` or `Options.tls(port, tls)`"));
            return out;
        }
        if (o.port() < 1 || o.port() > 65535) {
            out.add(badOption("port", "port `" + o.port() + "` is outside 1..65535", "choose a TCP port, e.g. 8883 for TLS or 1883"));
        }
        word(out, "bind address", o.bindAddress());
        word(out, "acl file", o.aclFile());
        word(out, "password file", o.passwordFile());
        if (o.aclFile().isEmpty()) out.add(badOption("acl file", "the acl file name is empty", "give a file name such as `acl`"));
        if (o.maxConnections() != null && o.maxConnections() < 1) {
            out.add(badOption("max connections", "max_connections `" + o.maxConnections() + "` must be at least 1",
                    "leave it unset for no listener limit"));
        }
        Tls t = o.tls();
        if (t != null) {
            if (t.certfile() == null || t.keyfile() == null) {
                out.add(badOption("tls", "a TLS listener needs both a certificate file and a key file", "set `certfile` and `keyfile`"));
            }
            word(out, "certfile", t.certfile());
            word(out, "keyfile", t.keyfile());
            word(out, "cafile", t.cafile());
            if (t.requireCertificate() && t.cafile() == null) {
                out.add(badOption("tls", "require_certificate needs a CA file to verify client certificates", "set `cafile`"));
            }
            if (t.useIdentityAsUsername() && !t.requireCertificate()) {
                out.add(badOption("tls", "use_identity_as_username needs require_certificate", "set `requireCertificate` too"));
            }
            if (t.tlsVersion() != null && !List.of("tlsv1.2", "tlsv1.3").contains(t.tlsVersion())) {
                out.add(badOption("tls", "tls version `" + t.tlsVersion() + "` is not `tlsv1.2` or `tlsv1.3`",
                        "older versions are broken; mosquitto 2.0 accepts `tlsv1.2` (1.2 and newer) or `tlsv1.3`"));
            }
        }
        return out;
    }

    private static void word(List<Diagnostic> out, String what, String v) {
        if (v == null) return;
        if (v.isBlank() || v.chars().anyMatch(c -> c < 0x20 || c == 0x7f) || !v.equals(v.strip())) {
            out.add(badOption(what, what + " `" + v.replaceAll("\\p{Cntrl}", "?") + "` is empty, has control characters or surrounding blanks",
                    "mosquitto.conf values are single words on one line"));
        }
    }

    private static Diagnostic badOption(String what, String message, String help) {
        return Diagnostic.error(Codes.BAD_OPTION, Origin.api("options", what), message, help);
    }
}
