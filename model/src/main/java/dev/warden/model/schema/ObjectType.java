package dev.warden.model.schema;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A named object type of the fact schema. */
public final class ObjectType {
    private final String name;
    private final String doc;
    private final Map<String, FieldSpec> fields;

    public ObjectType(String name, String doc, List<FieldSpec> fields) {
        this.name = name;
        this.doc = doc;
        Map<String, FieldSpec> m = new LinkedHashMap<>();
        for (FieldSpec f : fields) if (m.put(f.name(), f) != null) throw new IllegalArgumentException("duplicate field " + name + "." + f.name());
        this.fields = Collections.unmodifiableMap(m);
    }

    public String name() { return name; }

    public String doc() { return doc; }

    public Map<String, FieldSpec> fields() { return fields; }

    public Optional<FieldSpec> field(String n) { return Optional.ofNullable(fields.get(n)); }
}
