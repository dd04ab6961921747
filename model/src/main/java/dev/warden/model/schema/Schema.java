package dev.warden.model.schema;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A fact schema: root names (e.g. {@code broker}) and the object types reachable from them. */
public final class Schema {
    private final Map<String, FieldSpec> roots;
    private final Map<String, ObjectType> types;

    private Schema(Map<String, FieldSpec> roots, Map<String, ObjectType> types) {
        this.roots = Collections.unmodifiableMap(roots);
        this.types = Collections.unmodifiableMap(types);
        for (ObjectType t : types.values()) for (FieldSpec f : t.fields().values()) check(f.type(), t.name() + "." + f.name());
        for (FieldSpec f : roots.values()) check(f.type(), f.name());
    }

    private void check(Type t, String where) {
        if (t instanceof Type.ListOf l) check(l.element(), where);
        if (t instanceof Type.Ref r && !types.containsKey(r.name())) throw new IllegalStateException(where + " refers to unknown type " + r.name());
    }

    public Map<String, FieldSpec> roots() { return roots; }

    public Optional<FieldSpec> root(String name) { return Optional.ofNullable(roots.get(name)); }

    public Map<String, ObjectType> types() { return types; }

    public ObjectType type(String name) {
        ObjectType t = types.get(name);
        if (t == null) throw new IllegalArgumentException("unknown object type " + name);
        return t;
    }

    public static Builder builder() { return new Builder(); }

    /** Builds a schema. */
    public static final class Builder {
        private final Map<String, FieldSpec> roots = new LinkedHashMap<>();
        private final Map<String, ObjectType> types = new LinkedHashMap<>();
        private String current;
        private String currentDoc;
        private List<FieldSpec> fields;

        public Builder root(String name, Type type, String doc) {
            roots.put(name, new FieldSpec(name, type, false, doc));
            return this;
        }

        public Builder type(String name, String doc) {
            flush();
            current = name;
            currentDoc = doc;
            fields = new ArrayList<>();
            return this;
        }

        public Builder field(String name, Type type, String doc) {
            fields.add(new FieldSpec(name, type, false, doc));
            return this;
        }

        public Builder optional(String name, Type type, String doc) {
            fields.add(new FieldSpec(name, type, true, doc));
            return this;
        }

        private void flush() {
            if (current != null) types.put(current, new ObjectType(current, currentDoc, fields));
            current = null;
        }

        public Schema build() {
            flush();
            return new Schema(roots, types);
        }
    }
}
