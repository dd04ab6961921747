package dev.warden.model.fact;

import dev.warden.model.Origin;
import dev.warden.model.types.ByteSize;
import dev.warden.model.types.Cidr;
import dev.warden.model.types.PortSet;
import dev.warden.model.types.TopicFilter;
import dev.warden.model.types.Version;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fact value with its origin. {@link Null} means "not set" (a real, known absence, e.g. no size limit);
 * {@link Unknown} means the value could not be collected, and every check over it is UNKNOWN.
 */
public sealed interface Value {

    Origin origin();

    /** Human-readable rendering for messages. */
    String display();

    /** A string. */
    record Str(String v, Origin origin) implements Value { public String display() { return v; } }

    /** An integer. */
    record Int(long v, Origin origin) implements Value { public String display() { return Long.toString(v); } }

    /** A boolean. */
    record Bool(boolean v, Origin origin) implements Value { public String display() { return Boolean.toString(v); } }

    /** A byte size. */
    record Size(ByteSize v, Origin origin) implements Value { public String display() { return v.toString(); } }

    /** A duration. */
    record Dur(Duration v, Origin origin) implements Value {
        /** Whole units and spans under a day stay exact ({@code 30d}, {@code 65535s}, {@code 1500ms}); longer spans show their two largest units ({@code 9d 21h}). */
        public String display() {
            long ms = v.toMillis();
            String sign = ms < 0 ? "-" : "";
            ms = Math.abs(ms);
            if (ms % 1000 != 0 && ms < 60_000) return sign + ms + "ms";
            long s = ms / 1000;
            if (s == 0) return "0s";
            long[] sizes = {86400, 3600, 60, 1};
            String[] units = {"d", "h", "m", "s"};
            for (int i = 0; i < sizes.length - 1; i++) if (s % sizes[i] == 0) return sign + s / sizes[i] + units[i];
            if (s < 86400) return sign + s + "s"; // configured limits stay exact (`max_keepalive 65535` is 65535s)
            StringBuilder b = new StringBuilder(sign);
            int shown = 0;
            for (int i = 0; i < sizes.length && shown < 2; i++) {
                long n = s / sizes[i];
                if (n == 0 && shown == 0) continue;
                if (n > 0) b.append(shown > 0 ? " " : "").append(n).append(units[i]);
                s -= n * sizes[i];
                shown++;
            }
            return b.toString();
        }
    }

    /** A version. */
    record Ver(Version v, Origin origin) implements Value { public String display() { return v.toString(); } }

    /** An address range. */
    record Net(Cidr v, Origin origin) implements Value { public String display() { return v.toString(); } }

    /** A port set. */
    record Ports(PortSet v, Origin origin) implements Value { public String display() { return v.toString(); } }

    /**
     * A topic filter; {@code bindings} fixes template variables known in the fact's context
     * (e.g. {@code username} for an ACL line under {@code user alice}).
     */
    record Topic(TopicFilter v, Map<String, String> bindings, Origin origin) implements Value {
        public Topic { bindings = Collections.unmodifiableMap(new LinkedHashMap<>(bindings)); }
        public Topic(TopicFilter v, Origin origin) { this(v, Map.of(), origin); }
        public String display() { return v.toString(); }
    }

    /** A list. */
    record Items(List<Value> items, Origin origin) implements Value {
        public Items { items = List.copyOf(items); }
        public String display() {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < items.size(); i++) { if (i > 0) b.append(", "); b.append(items.get(i).display()); }
            return b.append(']').toString();
        }
    }

    /** An object of a schema type, identified by a resource id. */
    record Obj(String type, String id, Map<String, Value> fields, Origin origin) implements Value {
        public Obj { fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields)); }
        /** The field's value; a field that was never collected is {@link Unknown}. */
        public Value get(String name) {
            Value v = fields.get(name);
            return v != null ? v : new Unknown("`" + name + "` was not collected for " + id, origin);
        }
        public String display() { return id; }
    }

    /** Known to be not set. */
    record Null(Origin origin) implements Value { public String display() { return "not set"; } }

    /** Could not be collected; {@code reason} says why. */
    record Unknown(String reason, Origin origin) implements Value { public String display() { return "unknown"; } }

    static Str str(String v, Origin o) { return new Str(v, o); }

    static Int num(long v, Origin o) { return new Int(v, o); }

    static Bool bool(boolean v, Origin o) { return new Bool(v, o); }

    /** {@code v} as a string, or {@link Null} when v is null. */
    static Value strOrNull(String v, Origin o) { return v == null ? new Null(o) : new Str(v, o); }
}
