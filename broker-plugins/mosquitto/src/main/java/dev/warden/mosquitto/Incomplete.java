package dev.warden.mosquitto;

import dev.warden.model.Origin;
import dev.warden.model.fact.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Marks what a part of the configuration that could not be read (a missing {@code include_dir}, an unreadable
 * included file) may have changed: every broker-wide value that is only a documented default becomes unknown,
 * and each collection (listeners, ACL grants, plugins) gets an unknown element, so controls over them are
 * UNKNOWN for what is missing while what was read is still checked. Listener-local defaults stay: an included
 * file cannot reach a listener of another file.
 */
final class Incomplete {
    private Incomplete() {}

    private static final Set<String> KEEP = Set.of("id", "kind", "version", "config_file");
    private static final Set<String> COLLECTIONS = Set.of("listeners", "acl_grants", "plugins");

    static Value.Obj mark(Value.Obj broker, List<String> reasons) {
        if (reasons.isEmpty()) return broker;
        String reason = "the configuration is incomplete: " + String.join("; ", reasons);
        Map<String, Value> fields = new LinkedHashMap<>();
        for (Map.Entry<String, Value> e : broker.fields().entrySet()) {
            String k = e.getKey();
            Value v = e.getValue();
            if (KEEP.contains(k)) fields.put(k, v);
            else if (COLLECTIONS.contains(k) && v instanceof Value.Items items) {
                List<Value> out = new ArrayList<>();
                for (Value item : items.items()) out.add(k.equals("listeners") && item instanceof Value.Obj l ? listener(l, reason) : item);
                out.add(new Value.Unknown(reason, broker.origin()));
                fields.put(k, new Value.Items(out, items.origin()));
            } else {
                fields.put(k, defaults(v, reason));
            }
        }
        return new Value.Obj(broker.type(), broker.id(), fields, broker.origin());
    }

    /** Only a listener's authentication comes from broker-wide settings that an included file may set. */
    private static Value.Obj listener(Value.Obj l, String reason) {
        Map<String, Value> fields = new LinkedHashMap<>(l.fields());
        fields.computeIfPresent("auth", (k, v) -> defaults(v, reason));
        return new Value.Obj(l.type(), l.id(), fields, l.origin());
    }

    private static Value defaults(Value v, String reason) {
        if (v.origin().kind() == Origin.Kind.DEFAULT) return new Value.Unknown(reason, v.origin());
        if (v instanceof Value.Obj o) {
            Map<String, Value> fields = new LinkedHashMap<>();
            o.fields().forEach((k, x) -> fields.put(k, k.equals("id") ? x : defaults(x, reason)));
            return new Value.Obj(o.type(), o.id(), fields, o.origin());
        }
        return v;
    }
}
