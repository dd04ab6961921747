package dev.warden.mosquitto;

import dev.warden.model.Diagnostic;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.Value;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helpers: write configuration trees, collect them, and look values up by path. */
final class Facts {
    private Facts() {}

    /** Writes {@code files} (relative name → text) under {@code root}. */
    static void write(Path root, Map<String, String> files) {
        try {
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = root.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static FactSet collect(Path root, String main) {
        return MosquittoCollector.collect(root.resolve(main), MosquittoCollector.Options.ofRoot(root));
    }

    static Value.Obj broker(FactSet fs) {
        return (Value.Obj) fs.targets("broker").get(0);
    }

    /** Looks up {@code listeners[0].auth.anonymous}-style paths. */
    static Value at(Value v, String path) {
        Value cur = v;
        for (String part : path.split("\\.")) {
            String name = part;
            int idx = -1;
            int br = part.indexOf('[');
            if (br >= 0) {
                name = part.substring(0, br);
                idx = Integer.parseInt(part.substring(br + 1, part.length() - 1));
            }
            if (!name.isEmpty()) {
                if (!(cur instanceof Value.Obj o)) throw new AssertionError("not an object at " + part + " of " + path + ": " + cur);
                cur = o.get(name);
            }
            if (idx >= 0) {
                if (!(cur instanceof Value.Items items)) throw new AssertionError("not a list at " + part + " of " + path + ": " + cur);
                if (idx >= items.items().size()) throw new AssertionError("no element " + idx + " at " + path + " (size " + items.items().size() + ")");
                cur = items.items().get(idx);
            }
        }
        return cur;
    }

    /** A compact rendering of a value, for assertions: {@code true}, {@code 1883}, {@code [a, b]}, {@code null}, {@code unknown}. */
    static String show(Value v) {
        if (v instanceof Value.Null) return "null";
        if (v instanceof Value.Unknown) return "unknown";
        if (v instanceof Value.Items items) {
            List<String> parts = new ArrayList<>();
            for (Value e : items.items()) parts.add(show(e));
            return parts.toString();
        }
        if (v instanceof Value.Topic t && !t.bindings().isEmpty()) return t.display() + " " + t.bindings();
        return v.display();
    }

    /** Origin display with note kind, e.g. {@code mosquitto.conf:3} or {@code default}. */
    static String where(Value v) {
        return switch (v.origin().kind()) {
            case FILE -> v.origin().display();
            case DEFAULT -> "default";
            case API -> "api:" + v.origin().source();
            default -> v.origin().kind().name().toLowerCase();
        };
    }

    /** Every leaf as {@code path = value @ origin}, for debugging. */
    static Map<String, String> flatten(Value v) {
        Map<String, String> out = new LinkedHashMap<>();
        flatten("", v, out);
        return out;
    }

    private static void flatten(String prefix, Value v, Map<String, String> out) {
        if (v instanceof Value.Obj o) {
            for (Map.Entry<String, Value> f : o.fields().entrySet()) flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
        } else if (v instanceof Value.Items items && items.items().stream().anyMatch(i -> i instanceof Value.Obj)) {
            for (int i = 0; i < items.items().size(); i++) flatten(prefix + "[" + i + "]", items.items().get(i), out);
        } else {
            out.put(prefix, show(v) + " @ " + where(v) + (v instanceof Value.Unknown u ? " (" + u.reason() + ")" : ""));
        }
    }

    static List<String> codes(FactSet fs) {
        List<String> out = new ArrayList<>();
        for (Diagnostic d : fs.diagnostics()) out.add(d.code() + "@" + d.at().display());
        return out;
    }
}
