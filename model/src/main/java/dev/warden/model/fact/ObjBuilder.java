package dev.warden.model.fact;

import dev.warden.model.Origin;
import dev.warden.model.schema.FieldSpec;
import dev.warden.model.schema.ObjectType;
import dev.warden.model.schema.Schema;
import dev.warden.model.schema.Type;

import java.util.LinkedHashMap;
import java.util.Map;

/** Builds an {@link Value.Obj} checked against its schema type; misuse is a programming error. */
public final class ObjBuilder {
    private final Schema schema;
    private final ObjectType type;
    private final String id;
    private final Origin origin;
    private final Map<String, Value> fields = new LinkedHashMap<>();

    public ObjBuilder(Schema schema, String typeName, String id, Origin origin) {
        this.schema = schema;
        this.type = schema.type(typeName);
        this.id = id;
        this.origin = origin;
    }

    public ObjBuilder set(String field, Value v) {
        FieldSpec f = type.field(field).orElseThrow(() -> new IllegalArgumentException(type.name() + " has no field " + field));
        if (!conforms(f.type(), v, f.nullable())) {
            throw new IllegalArgumentException(type.name() + "." + field + " expects " + f.type().display() + ", got " + v);
        }
        fields.put(field, v);
        return this;
    }

    private boolean conforms(Type t, Value v, boolean nullable) {
        if (v instanceof Value.Unknown) return true;
        if (v instanceof Value.Null) return nullable;
        if (t instanceof Type.ListOf l) {
            if (!(v instanceof Value.Items items)) return false;
            for (Value e : items.items()) if (!conforms(l.element(), e, false)) return false;
            return true;
        }
        if (t instanceof Type.Ref r) return v instanceof Value.Obj o && o.type().equals(r.name());
        return switch ((Type.Prim) t) {
            case BOOL -> v instanceof Value.Bool;
            case INT -> v instanceof Value.Int;
            case STRING -> v instanceof Value.Str;
            case SIZE -> v instanceof Value.Size;
            case DURATION -> v instanceof Value.Dur;
            case VERSION -> v instanceof Value.Ver;
            case CIDR -> v instanceof Value.Net;
            case PORTS -> v instanceof Value.Ports;
            case TOPIC -> v instanceof Value.Topic;
            case NULL -> false;
            case ANY -> true;
        };
    }

    /** Fields never set become {@link Value.Unknown}: nothing is silently assumed. */
    public Value.Obj build() {
        for (String f : type.fields().keySet()) {
            fields.computeIfAbsent(f, k -> new Value.Unknown("`" + k + "` was not collected for " + id, origin));
        }
        return new Value.Obj(type.name(), id, fields, origin);
    }

    public Schema schema() { return schema; }
}
