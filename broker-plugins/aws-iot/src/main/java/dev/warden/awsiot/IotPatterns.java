package dev.warden.awsiot;

import dev.warden.model.types.TopicFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * MQTT topic filters as AWS IoT policy resource globs. In a policy, {@code *} (any characters, across levels) and
 * {@code ?} are the only wildcards and {@code +}, {@code #} are literal, so: a literal level is copied with
 * {@code *}, {@code ?} and a {@code $} that would open a variable escaped ({@code ${*}}, {@code ${?}}, {@code ${$}});
 * {@code +} becomes {@code *} (over-approximation: it crosses levels); a trailing {@code #} becomes the parent
 * level itself plus {@code parent/*} (exact); {@code #} alone becomes {@code *}.
 */
final class IotPatterns {
    private IotPatterns() {}

    /** The globs of one filter and how exact they are; {@code globs} is empty when a variable could not be resolved. */
    record Conversion(List<String> globs, boolean plus, boolean rootWildcard, String unresolved) {
        boolean ok() { return unresolved == null; }
    }

    /**
     * Converts a filter; {@code vars} maps a template variable name ({@code client.id}, {@code username},
     * {@code cert.cn}) to IoT policy text (an IoT variable or an escaped value), or null when it has none.
     */
    static Conversion convert(TopicFilter f, Function<String, String> vars) {
        List<TopicFilter.Level> levels = f.levels();
        StringBuilder b = new StringBuilder();
        boolean plus = false;
        for (int i = 0; i < levels.size(); i++) {
            TopicFilter.Level l = levels.get(i);
            if (l instanceof TopicFilter.Hash) {
                boolean root = i == 0;
                if (root) return new Conversion(List.of("*"), plus, true, null);
                String parent = b.toString();
                List<String> out = new ArrayList<>();
                // `a/#` also matches `a`; an empty parent (`/#`) is the empty string, not a topic name
                if (!parent.isEmpty()) out.add(parent);
                out.add(parent + "/*");
                return new Conversion(out, plus, false, null);
            }
            if (i > 0) b.append('/');
            if (l instanceof TopicFilter.Plus) {
                b.append('*');
                plus = true;
            } else {
                for (TopicFilter.Part p : ((TopicFilter.Lit) l).parts()) {
                    if (p instanceof TopicFilter.Text t) {
                        append(b, escape(t.s()));
                    } else {
                        String name = ((TopicFilter.Var) p).name();
                        String v = vars.apply(name);
                        if (v == null) return new Conversion(List.of(), plus, false, name);
                        append(b, v);
                    }
                }
            }
        }
        boolean rootWildcard = levels.get(0) instanceof TopicFilter.Plus;
        return new Conversion(List.of(b.toString()), plus, rootWildcard, null);
    }

    /** Appends, escaping a literal {@code $} that the next chunk would turn into the start of a variable. */
    private static void append(StringBuilder b, String chunk) {
        int n = b.length();
        if (n > 0 && b.charAt(n - 1) == '$' && !chunk.isEmpty() && (chunk.charAt(0) == '{' || chunk.charAt(0) == '(')) {
            b.setLength(n - 1);
            b.append("${$}");
        }
        b.append(chunk);
    }

    /** Literal text for an IoT policy resource: {@code *}, {@code ?} and a {@code $} before {@code {} or {@code (} escaped. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?') b.append("${").append(c).append('}');
            else if (c == '$' && i + 1 < s.length() && (s.charAt(i + 1) == '{' || s.charAt(i + 1) == '(')) b.append("${$}");
            else b.append(c);
        }
        return b.toString();
    }

    /**
     * A client's own value substituted into a pattern: null when the runtime engine would never match it as one whole
     * level (absent, empty, or containing {@code /}, {@code +}, {@code #}).
     */
    static String value(String v) {
        if (v == null || v.isEmpty() || v.indexOf('/') >= 0 || v.indexOf('+') >= 0 || v.indexOf('#') >= 0) return null;
        return escape(v);
    }
}
