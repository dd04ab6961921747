package dev.warden.eval.authz;

import dev.warden.model.types.TopicFilter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rule patterns indexed by topic level. Children of a node: literal levels (an open-addressed table probed with a
 * character range of the request, so no substring is made), {@code +}, one slot per template variable, and the
 * rules whose pattern continues with {@code #}. Searches walk the request string by index and return the lowest
 * matching rule index ({@link Integer#MAX_VALUE} for none); they allocate nothing and take no lock.
 */
final class TopicTrie {
    static final int NONE = Integer.MAX_VALUE;
    static final int END = -1;
    private static final int[] EMPTY = new int[0];

    /** Decides whether rule {@code r} counts for the current question (active for the client, admits QoS...). */
    interface RuleFilter {
        boolean test(int rule, Session.Binding b, int qos, boolean retain);
    }

    static final class Node {
        String[] keys = new String[0];
        Node[] kids = new Node[0];
        int size;
        Node plus;
        final Node[] vars = new Node[3];
        int[] terminal = EMPTY;
        int[] hash = EMPTY;
        int[] subtree = EMPTY;

        /** Full hash of each key (compared before the characters). */
        int[] hashes = new int[0];

        Node literal(String s, int from, int to) {
            if (size == 0) return null;
            int mask = keys.length - 1;
            int h = hash(s, from, to);
            for (int i = h & mask; ; i = (i + 1) & mask) {
                String k = keys[i];
                if (k == null) return null;
                if (hashes[i] == h && sameChars(k, s, from, to)) return kids[i];
            }
        }

        Node addLiteral(String k) {
            Node found = literal(k, 0, k.length());
            if (found != null) return found;
            if ((size + 1) * 2 > keys.length) rehash(Math.max(4, keys.length * 2));
            Node n = new Node();
            put(k, n);
            return n;
        }

        private void put(String k, Node n) {
            int mask = keys.length - 1;
            int h = hash(k, 0, k.length());
            int i = h & mask;
            while (keys[i] != null) i = (i + 1) & mask;
            keys[i] = k;
            kids[i] = n;
            hashes[i] = h;
            size++;
        }

        private void rehash(int cap) {
            String[] ok = keys;
            Node[] on = kids;
            keys = new String[cap];
            kids = new Node[cap];
            hashes = new int[cap];
            size = 0;
            for (int i = 0; i < ok.length; i++) if (ok[i] != null) put(ok[i], on[i]);
        }
    }

    /** Whether {@code k} equals {@code s[from, to)}. */
    static boolean sameChars(String k, String s, int from, int to) {
        int n = to - from;
        if (k.length() != n) return false;
        for (int i = 0; i < n; i++) if (k.charAt(i) != s.charAt(from + i)) return false;
        return true;
    }

    static int hash(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) h = 31 * h + s.charAt(i);
        return h ^ (h >>> 16);
    }

    private final Node root = new Node();

    /** Variable slot of each template variable name. */
    static int slot(String variable) {
        return switch (variable) {
            case "client.id" -> 0;
            case "username" -> 1;
            case "cert.cn" -> 2;
            default -> throw new IllegalArgumentException("unknown template variable " + variable);
        };
    }

    TopicTrie(List<Integer> ruleIndices, List<TopicFilter> patterns) {
        for (int k = 0; k < patterns.size(); k++) {
            int rule = ruleIndices.get(k);
            Node n = root;
            boolean hash = false;
            for (TopicFilter.Level lv : patterns.get(k).levels()) {
                if (lv instanceof TopicFilter.Hash) {
                    hash = true;
                    break;
                }
                if (lv instanceof TopicFilter.Plus) {
                    if (n.plus == null) n.plus = new Node();
                    n = n.plus;
                } else {
                    TopicFilter.Lit lit = (TopicFilter.Lit) lv;
                    if (lit.isPlain()) {
                        n = n.addLiteral(lit.text());
                    } else {
                        int s = slot(((TopicFilter.Var) lit.parts().get(0)).name());
                        if (n.vars[s] == null) n.vars[s] = new Node();
                        n = n.vars[s];
                    }
                }
            }
            if (hash) n.hash = add(n.hash, rule);
            else n.terminal = add(n.terminal, rule);
        }
        subtree(root);
    }

    private static int[] add(int[] a, int v) {
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = v;
        Arrays.sort(b);
        return b;
    }

    private static int[] subtree(Node n) {
        List<int[]> parts = new ArrayList<>();
        parts.add(n.terminal);
        parts.add(n.hash);
        for (Node k : n.kids) if (k != null) parts.add(subtree(k));
        if (n.plus != null) parts.add(subtree(n.plus));
        for (Node v : n.vars) if (v != null) parts.add(subtree(v));
        n.subtree = parts.stream().flatMapToInt(Arrays::stream).distinct().sorted().toArray();
        return n.subtree;
    }

    boolean isEmpty() { return root.subtree.length == 0; }

    /** The root node (for {@link FlatTrie}). */
    Node root() { return root; }

    /** Lowest rule in {@code rules} (sorted) that the filter accepts. */
    private static int first(int[] rules, RuleFilter f, Session.Binding b, int qos, boolean retain) {
        for (int r : rules) if (f.test(r, b, qos, retain)) return r;
        return NONE;
    }

    /** Index just past the level starting at {@code s}. */
    private static int levelEnd(String t, int s) {
        int e = t.indexOf('/', s);
        return e < 0 ? t.length() : e;
    }

    private static int next(String t, int e) {
        return e < t.length() ? e + 1 : END;
    }

    private static boolean isChar(String t, int s, int e, char c) {
        return e - s == 1 && t.charAt(s) == c;
    }

    /**
     * The lowest rule whose pattern contains the request: a topic name (matching) or a topic filter (containment,
     * with the request's {@code +} and {@code #} covered only by the pattern's own wildcards). {@code from} is
     * where the request's first level starts (after a {@code $share/<group>/} prefix).
     */
    int covering(String req, int from, Session.Binding b, RuleFilter f, int qos, boolean retain) {
        return covering(root, req, from, from, true, b, f, qos, retain);
    }

    private static int covering(Node n, String req, int from, int s, boolean top, Session.Binding b, RuleFilter f, int qos, boolean retain) {
        int best = NONE;
        boolean dollar = top && s != END && s < req.length() && req.charAt(s) == '$';
        if (n.hash.length > 0 && !dollar) best = first(n.hash, f, b, qos, retain);
        if (s == END) return Math.min(best, first(n.terminal, f, b, qos, retain));
        int e = levelEnd(req, s);
        int nx = next(req, e);
        if (isChar(req, s, e, '#')) {
            // `P/#` matches P itself and everything below; when P is the empty topic (no level, or one empty level)
            // P is not a topic name, so `P/+/#` covers all that `P/#` matches
            boolean emptyParent = top || (s == from + 1 && req.charAt(from) == '/');
            if (emptyParent && n.plus != null && n.plus.hash.length > 0) best = Math.min(best, first(n.plus.hash, f, b, qos, retain));
            return best;
        }
        if (isChar(req, s, e, '+')) {
            if (n.plus != null) best = Math.min(best, covering(n.plus, req, from, nx, false, b, f, qos, retain));
            return best;
        }
        Node lit = n.literal(req, s, e);
        if (lit != null) best = Math.min(best, covering(lit, req, from, nx, false, b, f, qos, retain));
        if (n.plus != null && !dollar) best = Math.min(best, covering(n.plus, req, from, nx, false, b, f, qos, retain));
        for (int v = 0; v < 3; v++) {
            Node vn = n.vars[v];
            if (vn == null) continue;
            String val = b.values[v];
            if (val != null && sameChars(val, req, s, e))
                best = Math.min(best, covering(vn, req, from, nx, false, b, f, qos, retain));
        }
        return best;
    }

    /** Both halves absent. */
    static final long PAIR_NONE = pack(NONE, NONE);

    static long pack(int high, int low) { return ((long) high << 32) | (low & 0xffffffffL); }

    static int high(long p) { return (int) (p >>> 32); }

    static int low(long p) { return (int) p; }

    private static long minPair(long x, long y) {
        return pack(Math.min(high(x), high(y)), Math.min(low(x), low(y)));
    }

    /**
     * One walk for a topic name over a trie holding allow and deny rules: the lowest active deny rule (high half)
     * and the lowest active allow rule that admits the QoS and retain flag (low half), each {@link #NONE} when absent.
     */
    long matchBoth(String topic, Session.Binding b, boolean[] allow, RuleFilter admits, int qos, boolean retain) {
        return matchBoth(root, topic, 0, true, b, allow, admits, qos, retain);
    }

    private static long matchBoth(Node n, String t, int s, boolean top, Session.Binding b, boolean[] allow, RuleFilter admits,
                                  int qos, boolean retain) {
        long best = PAIR_NONE;
        boolean dollar = top && s != END && t.charAt(s) == '$';
        if (n.hash.length > 0 && !dollar) best = firstPair(n.hash, b, allow, admits, qos, retain);
        if (s == END) return n.terminal.length == 0 ? best : minPair(best, firstPair(n.terminal, b, allow, admits, qos, retain));
        int e = levelEnd(t, s);
        int nx = next(t, e);
        Node lit = n.literal(t, s, e);
        if (lit != null) best = minPair(best, matchBoth(lit, t, nx, false, b, allow, admits, qos, retain));
        if (n.plus != null && !dollar) best = minPair(best, matchBoth(n.plus, t, nx, false, b, allow, admits, qos, retain));
        for (int v = 0; v < 3; v++) {
            Node vn = n.vars[v];
            if (vn == null) continue;
            String val = b.values[v];
            if (val != null && sameChars(val, t, s, e))
                best = minPair(best, matchBoth(vn, t, nx, false, b, allow, admits, qos, retain));
        }
        return best;
    }

    private static long firstPair(int[] rules, Session.Binding b, boolean[] allow, RuleFilter admits, int qos, boolean retain) {
        int d = NONE, a = NONE;
        for (int r : rules) {
            if (!b.active(r)) continue;
            if (!allow[r]) {
                if (d == NONE) d = r;
            } else if (a == NONE && admits.test(r, b, qos, retain)) {
                a = r;
            }
            if (d != NONE && a != NONE) break;
        }
        return pack(d, a);
    }

    /** The lowest rule whose pattern has a topic in common with the request filter. */
    int overlapping(String req, int from, Session.Binding b, RuleFilter f) {
        return overlapping(root, req, from, from, true, false, b, f);
    }

    /** {@code emptyTopic}: the levels matched so far can only form the empty topic (one empty level), which is no topic name. */
    private static int overlapping(Node n, String req, int from, int s, boolean top, boolean emptyTopic, Session.Binding b, RuleFilter f) {
        int best = NONE;
        if (s == END) return emptyTopic ? NONE : Math.min(first(n.terminal, f, b, 0, false), first(n.hash, f, b, 0, false));
        int e = levelEnd(req, s);
        int nx = next(req, e);
        boolean reqDollar = top && req.charAt(s) == '$';
        boolean multi = isChar(req, s, e, '#');
        boolean single = isChar(req, s, e, '+');
        if (n.hash.length > 0 && !reqDollar) best = first(n.hash, f, b, 0, false);
        if (multi) {
            // `#` matches this level's parent and everything below: every rule at or under this node; but at the top
            // level it matches no `$` topic, and when the parent is the empty topic (no level, or one empty level)
            // the parent is not a topic name, so rules ending at this node do not overlap
            boolean emptyParent = top || (s == from + 1 && req.charAt(from) == '/');
            if (!emptyParent) return Math.min(best, first(n.subtree, f, b, 0, false));
            for (int i = 0; i < n.keys.length; i++) {
                if (n.keys[i] != null && !(top && n.keys[i].startsWith("$"))) best = Math.min(best, first(n.kids[i].subtree, f, b, 0, false));
            }
            if (n.plus != null) best = Math.min(best, first(n.plus.subtree, f, b, 0, false));
            for (int v = 0; v < 3; v++) {
                String val = b.values[v];
                if (n.vars[v] != null && val != null && !(top && val.startsWith("$"))) best = Math.min(best, first(n.vars[v].subtree, f, b, 0, false));
            }
            return best;
        }
        if (single) {
            for (int i = 0; i < n.keys.length; i++) {
                if (n.keys[i] == null || (top && n.keys[i].startsWith("$"))) continue;
                best = Math.min(best, overlapping(n.kids[i], req, from, nx, false, top && n.keys[i].isEmpty(), b, f));
            }
        } else {
            Node lit = n.literal(req, s, e);
            if (lit != null) best = Math.min(best, overlapping(lit, req, from, nx, false, top && e == s, b, f));
        }
        if (n.plus != null && !reqDollar) best = Math.min(best, overlapping(n.plus, req, from, nx, false, top && !single && e == s, b, f));
        for (int v = 0; v < 3; v++) {
            Node vn = n.vars[v];
            String val = b.values[v];
            if (vn == null || val == null) continue;
            boolean ok = single ? !(top && val.startsWith("$")) && val.indexOf('/') < 0
                    : sameChars(val, req, s, e);
            if (ok) best = Math.min(best, overlapping(vn, req, from, nx, false, top && val.isEmpty(), b, f));
        }
        return best;
    }
}
