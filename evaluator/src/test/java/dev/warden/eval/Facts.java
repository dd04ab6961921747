package dev.warden.eval;

import dev.warden.model.Origin;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.ObjBuilder;
import dev.warden.model.fact.Value;
import dev.warden.model.schema.WardenSchema;
import dev.warden.model.types.ByteSize;
import dev.warden.model.types.TopicFilter;
import dev.warden.model.types.Version;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Hand-built broker facts for evaluator tests. */
final class Facts {
    private Facts() {}

    static final String F = "mosquitto.conf";

    static ObjBuilder b(String type, String id, Origin o) { return new ObjBuilder(WardenSchema.SCHEMA, type, id, o); }

    static Value.Obj listener(int port, int line, boolean tls, boolean anonymous, int anonLine) {
        Origin o = Origin.file(F, line);
        Value.Obj t = b("Tls", "tls", o).set("enabled", new Value.Bool(tls, tls ? Origin.file(F, line + 1) : Origin.defaulted(F, "default")))
                .set("psk", new Value.Bool(false, o)).set("require_certificate", new Value.Bool(false, o))
                .set("use_identity_as_username", new Value.Bool(false, o)).set("use_subject_as_username", new Value.Bool(false, o))
                .set("min_version", tls ? new Value.Ver(Version.parse("1.2"), o) : new Value.Null(o)).build();
        Value.Obj a = b("Auth", "auth", o).set("anonymous", new Value.Bool(anonymous, anonLine > 0 ? Origin.file(F, anonLine) : Origin.defaulted(F, "default")))
                .set("acl_enabled", new Value.Bool(true, o)).set("plugins", new Value.Items(List.of(), o)).build();
        return b("Listener", "listener " + port, o).set("port", new Value.Int(port, o)).set("tls", t).set("auth", a)
                .set("protocol", new Value.Str("mqtt", o)).set("loopback_only", new Value.Bool(false, o)).set("implicit", new Value.Bool(false, o))
                .set("bind", new Value.Null(o)).build();
    }

    static Value.Obj grant(int line, String topic, String user) {
        Origin o = Origin.file("acl", line);
        return b("AclGrant", "acl:acl:" + line, o).set("topic", new Value.Topic(TopicFilter.parse(topic), user == null ? Map.of() : Map.of("username", user), o))
                .set("access", new Value.Str("readwrite", o)).set("kind", new Value.Str(user == null ? "pattern" : "topic", o))
                .set("scope", new Value.Str(user == null ? "pattern" : "user", o)).set("user", user == null ? new Value.Null(o) : new Value.Str(user, o))
                .set("file", new Value.Str("acl", o)).build();
    }

    static FactSet broker(Value version, List<Value> listeners, Value grants, Value maxPacket) {
        Origin o = Origin.file(F, 0);
        Value.Obj limits = b("Limits", "limits", o).set("max_packet_size", maxPacket)
                .set("max_keepalive", new Value.Dur(Duration.ofSeconds(65535), Origin.defaulted(F, "default"))).build();
        Value.Obj broker = b("Broker", "mosquitto:" + F, o).set("kind", new Value.Str("mosquitto", o)).set("version", version)
                .set("listeners", new Value.Items(listeners, o)).set("acl_grants", grants).set("limits", limits).build();
        return new FactSet(Map.of("broker", List.of(broker)), List.of());
    }

    static Value.Size size(String s, int line) { return new Value.Size(ByteSize.parse(s), Origin.file(F, line)); }

    static Value.Ver ver(String s) { return new Value.Ver(Version.parse(s), Origin.api("command line", "--mosquitto-version")); }
}
