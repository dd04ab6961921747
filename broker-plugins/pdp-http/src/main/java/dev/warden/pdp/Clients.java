package dev.warden.pdp;

import dev.warden.eval.authz.ClientInfo;
import dev.warden.eval.authz.Session;

import java.util.List;

/** Builds the engine's view of a client from what a contract sends, and finds or creates its session. */
final class Clients {
    private final PdpServer.Options opts;
    private final Sessions sessions;

    Clients(PdpServer.Options opts, Sessions sessions) {
        this.opts = opts;
        this.sessions = sessions;
    }

    PdpServer.Options options() { return opts; }

    /** A client; null/empty parts are unknown. The user name stands for the certificate CN when so configured. */
    ClientInfo client(String id, String username, Certs.Identity cert, String ip, String protocol, int listener) {
        String cn = cert == null ? null : cert.cn();
        List<String> sans = cert == null ? List.of() : cert.sans();
        String issuer = cert == null ? null : cert.issuer();
        if (cn == null && opts.usernameIsCertCn && username != null) cn = username;
        String auth = cn != null ? "certificate" : username != null ? "password" : "anonymous";
        return new ClientInfo(id, username, cn, sans, issuer, ip == null ? "" : ip, auth, protocol == null ? "" : protocol, listener);
    }

    /** A new connection: fresh session (the broker's authentication call). */
    Session connect(String mountpoint, ClientInfo c) {
        return sessions.connect(Sessions.key(mountpoint, c.id()), c);
    }

    /** The session for an authorization call, created if the PDP has none. */
    Session session(String mountpoint, ClientInfo c) {
        return sessions.lookup(Sessions.key(mountpoint, c.id()), c);
    }

    /** The decision's explanation; for a client refused at connect, with the connect rule that refused it. */
    static String explain(Session s, dev.warden.eval.authz.Decision d) {
        dev.warden.eval.authz.Decision c = s.connectDecision();
        if (!d.allowed() && d.reason() == dev.warden.eval.authz.Decision.Reason.CONNECT_REFUSED && !c.allowed()) return d.explain() + " (" + c.explain() + ")";
        return d.explain();
    }

    /** MQTT protocol level as the policy language names it. */
    static String protocol(String level) {
        if (level == null) return "";
        return switch (level.trim()) {
            case "3", "MQIsdp", "3.1" -> "3.1";
            case "4", "3.1.1", "v4" -> "3.1.1";
            case "5", "5.0", "v5" -> "5";
            default -> "";
        };
    }
}
