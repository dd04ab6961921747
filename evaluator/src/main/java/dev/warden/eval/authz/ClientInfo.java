package dev.warden.eval.authz;

import dev.warden.model.Origin;
import dev.warden.model.fact.ObjBuilder;
import dev.warden.model.fact.Value;
import dev.warden.model.schema.WardenSchema;

import java.util.List;

/**
 * What a broker knows about a connecting client. {@code username}, {@code certCn} and {@code certIssuer} are null
 * when absent; {@code auth} is {@code certificate}, {@code password}, {@code token} or {@code anonymous}. Never holds
 * a password or a key.
 */
public record ClientInfo(String id, String username, String certCn, List<String> certSans, String certIssuer,
                         String ip, String auth, String protocol, int listener) {
    public ClientInfo {
        id = id == null ? "" : id;
        certSans = certSans == null ? List.of() : List.copyOf(certSans);
        ip = ip == null ? "" : ip;
        auth = auth == null ? "anonymous" : auth;
        protocol = protocol == null ? "" : protocol;
    }

    /** A client with just an id, a user name (may be null) and a source address. */
    public static ClientInfo of(String id, String username, String ip) {
        return new ClientInfo(id, username, null, List.of(), null, ip, username == null ? "anonymous" : "password", "5", 0);
    }

    /** The same client presenting a certificate with this common name. */
    public ClientInfo withCert(String cn, List<String> sans) {
        return new ClientInfo(id, username, cn, sans, certIssuer, ip, "certificate", protocol, listener);
    }

    /** The value of a topic template variable ({@code client.id}, {@code username}, {@code cert.cn}); null when absent. */
    public String variable(int slot) {
        return switch (slot) {
            case 0 -> id;
            case 1 -> username;
            default -> certCn;
        };
    }

    /** The {@code client} fact that runtime conditions are evaluated against. */
    public Value.Obj fact() {
        Origin o = Origin.api("client " + id, "connect");
        ObjBuilder b = new ObjBuilder(WardenSchema.RUNTIME, "Client", "client " + id, o);
        b.set("id", new Value.Str(id, o));
        b.set("username", username == null ? new Value.Null(o) : new Value.Str(username, o));
        if (certCn == null) {
            b.set("cert", new Value.Null(o));
        } else {
            ObjBuilder c = new ObjBuilder(WardenSchema.RUNTIME, "ClientCert", "certificate of " + id, o);
            c.set("cn", new Value.Str(certCn, o));
            c.set("sans", new Value.Items(certSans.stream().map(s -> (Value) new Value.Str(s, o)).toList(), o));
            c.set("issuer", certIssuer == null ? new Value.Null(o) : new Value.Str(certIssuer, o));
            b.set("cert", c.build());
        }
        b.set("ip", new Value.Str(ip, o));
        b.set("auth", new Value.Str(auth, o));
        b.set("protocol", new Value.Str(protocol, o));
        b.set("listener", new Value.Int(listener, o));
        return b.build();
    }
}
