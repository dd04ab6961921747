package dev.warden.dsl.check;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean" suggestions by edit distance. */
public final class Names {
    private Names() {}

    /** The closest candidate within a small edit distance, if any. */
    public static Optional<String> closest(String name, Collection<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(name.toLowerCase(), c.toLowerCase());
            if (d < bestD) { bestD = d; best = c; }
        }
        int limit = Math.max(2, name.length() / 3);
        if (best != null && bestD <= limit) return Optional.of(best);
        // a longer spelling of a short name, e.g. `length` for `len`, `lowercase` for `lower`
        String prefix = null;
        for (String c : candidates) {
            if (c.length() >= 3 && name.toLowerCase().startsWith(c.toLowerCase()) && (prefix == null || c.length() > prefix.length())) prefix = c;
        }
        return Optional.ofNullable(prefix);
    }

    /** A help line: "did you mean `x`?" or an empty string. */
    public static String didYouMean(String name, Collection<String> candidates) {
        return closest(name, candidates).map(c -> "did you mean `" + c + "`?").orElse("");
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
