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
            // `#` also matches its parent level, which `+/#` does not; but when that parent would be the empty topic
            // (`#` at the root, or `/#`), there is no such topic name, so `#` ⊆ `+/#` and `/#` ⊆ `/+/#`
            if (la instanceof Hash) return lb instanceof Plus && i == b.size() - 2 && b.get(i + 1) instanceof Hash && emptyPrefix(a, i);
            if (lb instanceof Plus) continue;
            if (la instanceof Plus) return false;
            if (!la.equals(lb)) return false;
        }
        // a is exhausted: b must also end, or continue with `#` (which matches the parent level)
        return i == b.size() || (i == b.size() - 1 && b.get(i) instanceof Hash);
    }

    /** True when the first {@code n} levels of a filter spell only the empty string, which is not a topic name. */
    private static boolean emptyPrefix(List<Level> levels, int n) {
        return n == 0 || (n == 1 && emptyLevel(levels.get(0)));
    }

    private static boolean emptyLevel(Level l) {
        return l instanceof Lit lit && lit.isPlain() && lit.text().isEmpty();
    }

    /**
     * True when some topic is matched by both filters, for some value of the variables. A variable stands for the same
     * value everywhere it occurs; this is exact unless two different templates meet in one level (e.g.
     * {@code a-${x}} and {@code ${y}-b}), where only their fixed prefixes and suffixes are compared.
     */
    public boolean overlaps(TopicFilter other) {
        List<Level> a = levels, b = other.levels;
        Level a0 = a.get(0), b0 = b.get(0);
        if (!(a0 instanceof Lit) && dollarLevel(b0)) return false;
        if (!(b0 instanceof Lit) && dollarLevel(a0)) return false;
        int n = Math.min(a.size(), b.size());
        List<Lit[]> equations = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Level la = a.get(i), lb = b.get(i);
            if (la instanceof Hash || lb instanceof Hash) return solvable(equations);
            if (la instanceof Plus || lb instanceof Plus) continue;
            equations.add(new Lit[] {(Lit) la, (Lit) lb});
        }
        if (a.size() != b.size()) {
            List<Level> longer = a.size() > b.size() ? a : b;
            if (!(longer.size() == n + 1 && longer.get(n) instanceof Hash)) return false;
            // the common topic is the parent of `#`: the empty string (no topic name) when that is a single empty level
            if (n == 1 && (emptyLevel(a0) || emptyLevel(b0))) return false;
        }
        return solvable(equations);
    }

    /** True when some assignment of the variables (non-empty, without {@code /}, {@code +}, {@code #}) makes every pair equal. */
    private static boolean solvable(List<Lit[]> equations) {
        StringBuilder re = new StringBuilder(), subject = new StringBuilder();
        Map<String, String> groups = new java.util.HashMap<>();
        for (Lit[] e : equations) {
            Lit x = e[0], y = e[1];
            if (x.isPlain() && y.isPlain()) {
                if (!x.text().equals(y.text())) return false;
                continue;
            }
            if (x.equals(y)) continue; // the same template on both sides: equal for every value
            if (!x.isPlain() && !y.isPlain()) {
                if (!affixesAgree(x, y)) return false;
                continue; // over-approximation: two different templates may still be made equal
            }
            Lit template = x.isPlain() ? y : x;
            String text = x.isPlain() ? x.text() : y.text();
            if (subject.length() > 0 || re.length() > 0) { re.append('/'); subject.append('/'); }
            for (Part p : template.parts()) {
                if (p instanceof Text t) {
                    re.append(Pattern.quote(t.s()));
                } else {
                    String name = ((Var) p).name();
                    String g = groups.get(name);
                    if (g == null) {
                        g = "v" + groups.size();
                        groups.put(name, g);
                        re.append("(?<").append(g).append(">[^/+#]+)");
                    } else {
                        re.append("\\k<").append(g).append('>');
                    }
                }
            }
            subject.append(text);
        }
        return Pattern.compile(re.toString()).matcher(subject).matches();
    }

    private static boolean affixesAgree(Lit x, Lit y) {
        String px = lead(x.parts()), py = lead(y.parts());
        String sx = lead(reversed(x.parts())), sy = lead(reversed(y.parts()));
        return (px.startsWith(py) || py.startsWith(px)) && (sx.endsWith(sy) || sy.endsWith(sx));
    }

    private static String lead(List<Part> parts) { return parts.get(0) instanceof Text t ? t.s() : ""; }

    private static List<Part> reversed(List<Part> parts) {
        List<Part> r = new ArrayList<>(parts);
        Collections.reverse(r);
        return r;
    }

    /**
     * True when this filter matches the concrete topic name (variables must be substituted first). The name is taken
     * literally: {@code $share/} and {@code ${...}} have no special meaning in a topic name.
     */
    public boolean matches(String topic) {
        if (topic.isEmpty()) return false;
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) throw new IllegalArgumentException("`" + topic + "` is a filter, not a topic name");
        List<Level> ls = new ArrayList<>();
        for (String l : topic.split("/", -1)) ls.add(new Lit(List.of(new Text(l))));
        return new TopicFilter(topic, null, ls).within(this);
    }

    @Override public boolean equals(Object o) {
        return o instanceof TopicFilter t && Objects.equals(shareGroup, t.shareGroup) && levels.equals(t.levels);
    }

    @Override public int hashCode() { return Objects.hash(shareGroup, levels); }

    @Override public String toString() { return source; }
}
