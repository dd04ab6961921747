package dev.warden.model.fact;

import dev.warden.model.Diagnostic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything collected for one scan: for each schema root (e.g. {@code broker}) the targets found,
 * plus the diagnostics raised while collecting (malformed input, unreadable files, API errors).
 */
public record FactSet(Map<String, List<Value>> roots, List<Diagnostic> diagnostics) {

    public FactSet {
        Map<String, List<Value>> m = new LinkedHashMap<>();
        roots.forEach((k, v) -> m.put(k, List.copyOf(v)));
        roots = Collections.unmodifiableMap(m);
        diagnostics = List.copyOf(diagnostics);
    }

    public static FactSet empty() { return new FactSet(Map.of(), List.of()); }

    /** The targets of a root; empty when nothing of that kind was in scope. */
    public List<Value> targets(String root) { return roots.getOrDefault(root, List.of()); }

    /** Both fact sets together. */
    public FactSet merge(FactSet o) {
        Map<String, List<Value>> m = new LinkedHashMap<>();
        roots.forEach((k, v) -> m.put(k, new ArrayList<>(v)));
        o.roots.forEach((k, v) -> m.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        List<Diagnostic> d = new ArrayList<>(diagnostics);
        d.addAll(o.diagnostics);
        return new FactSet(m, d);
    }
}
