package dev.warden.model.types;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An MQTT topic filter with optional template variables ({@code ${client.id}}), decided exactly:
 * {@code +} is one level (possibly empty), {@code #} is the rest including the parent level,
 * a leading wildcard never matches a {@code $}-topic, and {@code $share/<group>/} prefixes are stripped.
 * Variables are universally quantified in {@link #within} and existentially in {@link #overlaps}.
 */
public final class TopicFilter {

    /** One level of a filter. */
    public sealed interface Level permits Plus, Hash, Lit {}

    /** The single-level wildcard. */
    public record Plus() implements Level { @Override public String toString() { return "+"; } }

    /** The multi-level wildcard. */
    public record Hash() implements Level { @Override public String toString() { return "#"; } }

    /** A literal level, possibly containing variables, e.g. {@code dev-${client.id}}. */
    public record Lit(List<Part> parts) implements Level {
        public Lit { parts = List.copyOf(parts); }
        public boolean isPlain() { return parts.stream().allMatch(p -> p instanceof Text); }
        public String text() {
            StringBuilder b = new StringBuilder();
            for (Part p : parts) b.append(p);
            return b.toString();
        }
        @Override public String toString() { return text(); }
    }

    /** Part of a literal level. */
    public sealed interface Part permits Text, Var {}

    /** Plain text inside a level. */
    public record Text(String s) implements Part { @Override public String toString() { return s; } }

    /** A template variable inside a level. */
    public record Var(String name) implements Part { @Override public String toString() { return "${" + name + "}"; } }

    private static final Pattern VAR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.:-]*");
    private static final Plus PLUS = new Plus();
    private static final Hash HASH = new Hash();

    private final String source;
    private final String shareGroup;
    private final List<Level> levels;

    private TopicFilter(String source, String shareGroup, List<Level> levels) {
        this.source = source;
        this.shareGroup = shareGroup;
        this.levels = Collections.unmodifiableList(levels);
    }

    /** Parses a filter; throws {@link IllegalArgumentException} with a user-readable reason when invalid. */
    public static TopicFilter parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) throw new IllegalArgumentException("a topic filter cannot be empty");
        if (text.indexOf('\0') >= 0) throw new IllegalArgumentException("a topic filter cannot contain NUL");
        String group = null;
        String rest = text;
        if (text.startsWith("$share/")) {
            int slash = text.indexOf('/', 7);
            if (slash < 0 || slash == 7) throw new IllegalArgumentException("`$share/` must be followed by a group name and a filter");
            group = text.substring(7, slash);
            if (group.contains("+") || group.contains("#")) throw new IllegalArgumentException("a share group name cannot contain wildcards");
            rest = text.substring(slash + 1);
            if (rest.isEmpty()) throw new IllegalArgumentException("`$share/" + group + "/` has no filter");
        }
        String[] raw = rest.split("/", -1);
        List<Level> levels = new ArrayList<>(raw.length);
        for (int i = 0; i < raw.length; i++) {
            String l = raw[i];
            if (l.equals("#")) {
                if (i != raw.length - 1) throw new IllegalArgumentException("`#` must be the last level");
                levels.add(HASH);
            } else if (l.equals("+")) {
                levels.add(PLUS);
            } else {
                if (l.indexOf('#') >= 0) throw new IllegalArgumentException("`#` must occupy a whole level");
                if (l.indexOf('+') >= 0) throw new IllegalArgumentException("`+` must occupy a whole level");
                levels.add(new Lit(parseParts(l)));
            }
        }
        return new TopicFilter(text, group, levels);
    }

    /** Parses, returning null instead of throwing. */
    public static TopicFilter tryParse(String text) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<Part> parseParts(String level) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        StringBuilder text = new StringBuilder();
        while (i < level.length()) {
            if (level.startsWith("${", i)) {
                int end = level.indexOf('}', i + 2);
                if (end < 0) throw new IllegalArgumentException("unterminated variable `" + level.substring(i) + "`");
                String name = level.substring(i + 2, end);
                if (!VAR_NAME.matcher(name).matches()) throw new IllegalArgumentException("invalid variable name `" + name + "`");
                if (text.length() > 0) { parts.add(new Text(text.toString())); text.setLength(0); }
                parts.add(new Var(name));
                i = end + 1;
            } else {
                text.append(level.charAt(i++));
            }
        }
        if (text.length() > 0 || parts.isEmpty()) parts.add(new Text(text.toString()));
        return parts;
    }

    public String source() { return source; }

    public List<Level> levels() { return levels; }

    /** The share group, or null when not a {@code $share} subscription. */
    public String shareGroup() { return shareGroup; }

    public boolean hasWildcard() { return levels.stream().anyMatch(l -> !(l instanceof Lit)); }

    public boolean hasVariables() {
        return levels.stream().anyMatch(l -> l instanceof Lit lit && !lit.isPlain());
    }

    /** True when the first level is a wildcard, i.e. the filter is not rooted in a namespace. */
    public boolean isRootWildcard() { return !(levels.get(0) instanceof Lit); }

    /** True when the filter matches every non-{@code $} topic. */
    public boolean matchesEverything() { return levels.get(0) instanceof Hash; }

    /** Names of variables used in this filter. */
    public List<String> variables() {
        List<String> out = new ArrayList<>();
        for (Level l : levels) if (l instanceof Lit lit) for (Part p : lit.parts()) if (p instanceof Var v && !out.contains(v.name())) out.add(v.name());
        return out;
    }

    /** Replaces the bound variables with their values; unbound variables stay symbolic. */
    public TopicFilter substitute(Map<String, String> bindings) {
        if (bindings.isEmpty() || !hasVariables()) return this;
        List<Level> out = new ArrayList<>(levels.size());
        for (Level l : levels) {
            if (l instanceof Lit lit && !lit.isPlain()) {
                List<Part> parts = new ArrayList<>();
                StringBuilder text = new StringBuilder();
                for (Part p : lit.parts()) {
                    String bound = p instanceof Var v ? bindings.get(v.name()) : null;
                    if (p instanceof Text t) text.append(t.s());
                    else if (bound != null) text.append(bound);
                    else { if (text.length() > 0) { parts.add(new Text(text.toString())); text.setLength(0); } parts.add(p); }
                }
                if (text.length() > 0 || parts.isEmpty()) parts.add(new Text(text.toString()));
                out.add(new Lit(parts));
            } else {
                out.add(l);
            }
        }
        StringBuilder src = new StringBuilder();
        if (shareGroup != null) src.append("$share/").append(shareGroup).append('/');
        for (int i = 0; i < out.size(); i++) { if (i > 0) src.append('/'); src.append(out.get(i)); }
        return new TopicFilter(src.toString(), shareGroup, new ArrayList<>(out));
    }

    private static boolean dollarLevel(Level l) {
        return l instanceof Lit lit && !lit.parts().isEmpty() && lit.parts().get(0) instanceof Text t && t.s().startsWith("$");
    }

    /**
     * True when every topic this filter can match is also matched by {@code other}, for every value of
     * the variables (each variable is one non-empty level fragment, equal on both sides).
     */
    public boolean within(TopicFilter other) {
        List<Level> a = levels, b = other.levels;
        if (!(b.get(0) instanceof Lit) && dollarLevel(a.get(0))) return false;
        int i = 0;
        for (; i < a.size(); i++) {
            Level la = a.get(i);
            if (i >= b.size()) return false;
            Level lb = b.get(i);
            if (lb instanceof Hash) return true;
            if (la instanceof Hash) return false;
            if (lb instanceof Plus) continue;
            if (la instanceof Plus) return false;
            if (!la.equals(lb)) return false;
        }
        // a is exhausted: b must also end, or continue with `#` (which matches the parent level)
        return i == b.size() || (i == b.size() - 1 && b.get(i) instanceof Hash);
    }

    /** True when some topic is matched by both filters, for some value of the variables. */
    public boolean overlaps(TopicFilter other) {
        List<Level> a = levels, b = other.levels;
        Level a0 = a.get(0), b0 = b.get(0);
        if (!(a0 instanceof Lit) && dollarLevel(b0)) return false;
        if (!(b0 instanceof Lit) && dollarLevel(a0)) return false;
        int n = Math.min(a.size(), b.size());
        for (int i = 0; i < n; i++) {
            Level la = a.get(i), lb = b.get(i);
            if (la instanceof Hash || lb instanceof Hash) return true;
            if (la instanceof Plus || lb instanceof Plus) continue;
            if (!litOverlap((Lit) la, (Lit) lb)) return false;
        }
        if (a.size() == b.size()) return true;
        List<Level> longer = a.size() > b.size() ? a : b;
        return longer.size() == n + 1 && longer.get(n) instanceof Hash;
    }

    private static boolean litOverlap(Lit x, Lit y) {
        if (x.isPlain() && y.isPlain()) return x.text().equals(y.text());
        if (x.equals(y)) return true;
        if (x.isPlain()) return toRegex(y).matcher(x.text()).matches();
        if (y.isPlain()) return toRegex(x).matcher(y.text()).matches();
        return true; // two templates: some assignment may make them equal
    }

    private static Pattern toRegex(Lit lit) {
        StringBuilder re = new StringBuilder();
        for (Part p : lit.parts()) re.append(p instanceof Text t ? Pattern.quote(t.s()) : "[^/+#]+");
        return Pattern.compile(re.toString());
    }

    /** True when this filter matches the concrete topic name (variables must be substituted first). */
    public boolean matches(String topic) {
        TopicFilter t = parse(topic.isEmpty() ? "/" : topic);
        if (t.hasWildcard()) throw new IllegalArgumentException("`" + topic + "` is a filter, not a topic name");
        return topic.isEmpty() ? false : t.within(this);
    }

    @Override public boolean equals(Object o) {
        return o instanceof TopicFilter t && Objects.equals(shareGroup, t.shareGroup) && levels.equals(t.levels);
    }

    @Override public int hashCode() { return Objects.hash(shareGroup, levels); }

    @Override public String toString() { return source; }
}
