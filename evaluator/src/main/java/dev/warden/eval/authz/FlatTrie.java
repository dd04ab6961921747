package dev.warden.eval.authz;

/**
 * The publish trie ({@link TopicTrie#matchBoth}) laid out flat for the hot path: every node with its own key, its
 * rule lists and its literal table in one {@code int[]} record, records in depth-first order, so that a walk touches
 * about one cache line per level and a subtree (e.g. one tenant's rules) is contiguous. Built once from the node
 * trie; immutable.
 *
 * <p>Record of the node at offset {@code n} ({@code 0} is the root, never a child, so a child reference is never 0):
 * <pre>
 *   a[n]     bits 0-15: length of the level that leads here from the parent's table (0 for the root, `+` and
 *            template children); bit 16: has a literal table; 17: a `+` child; 18-20: a child per template variable
 *            (client.id, username, cert.cn); 21: a `#` rule list; 22: a terminal rule list; bits 24-29: log2 of
 *            the table's capacity
 *   then, each only when present: the `+` child, the template children in slot order,
 *   the key's characters two per int (low half first),
 *   the `#` rule list, the terminal rule list (each: length, then (rule index, flags) pairs in ascending rule order),
 *   the literal table: capacity x (key hash, child), at most three quarters full, child 0 for an empty slot.
 * </pre>
 * The flags of a rule say what the walk needs without reading the rule: allow or deny, which QoS levels and whether
 * retained messages an allow rule admits, and whether the rule is active for every client that reaches it (no
 * {@code when} condition: its template values, if any, were matched against whole topic levels on the way, so they
 * are present and hold no {@code /}, {@code +} or {@code #}).
 */
final class FlatTrie {
    static final int KEYLEN = 0xffff, LIT = 1 << 16, PLUS = 1 << 17, VAR0 = 1 << 18, HASH = 1 << 21, TERM = 1 << 22, CAP_SHIFT = 24;

    /** Rule flags: allow rule; admits QoS 0 (1, 2: the next bits); admits retained messages; active for every client that reaches it. */
    static final int ALLOW = 1, QOS0 = 2, RETAIN_OK = 16, STATIC = 32;

    private static final int NONE = TopicTrie.NONE;
    private static final long PAIR_NONE = TopicTrie.PAIR_NONE;

    private final int[] a;

    /** Flattens the trie under {@code root}; {@code ruleFlags} by rule index. Throws IllegalArgumentException for a level longer than 65535 characters. */
    FlatTrie(TopicTrie.Node root, int[] ruleFlags) {
        Buf b = new Buf();
        emit(b, root, "", ruleFlags);
        a = java.util.Arrays.copyOf(b.a, b.size);
    }

    /** The {@code need} mask for a publish with this QoS (0..2) and retain flag: an allow rule admits it iff {@code (flags & need) == need}. */
    static int need(int qos, boolean retain) {
        return ALLOW | (QOS0 << qos) | (retain ? RETAIN_OK : 0);
    }

    /** The flags of one rule for {@link #FlatTrie}. */
    static int flags(dev.warden.dsl.ir.AuthzPolicy.Rule r) {
        int f = r.allow() ? ALLOW : 0;
        for (int q = 0; q <= 2; q++) if (r.admits(q, false)) f |= QOS0 << q;
        if (r.retain().isEmpty() || r.retain().get()) f |= RETAIN_OK;
        boolean wholeLevelVars = true;
        for (var lv : r.pattern().levels()) {
            if (lv instanceof dev.warden.model.types.TopicFilter.Lit lit && !lit.isPlain()) {
                wholeLevelVars &= lit.parts().size() == 1 && lit.parts().get(0) instanceof dev.warden.model.types.TopicFilter.Var;
            }
        }
        if (r.when().isEmpty() && wholeLevelVars) f |= STATIC;
        return f;
    }

    private static final class Buf {
        int[] a = new int[256];
        int size;

        int alloc(int n) {
            int at = size;
            if (size + n > a.length) a = java.util.Arrays.copyOf(a, Math.max(a.length * 2, size + n));
            size += n;
            return at;
        }
    }

    /** Table capacity for {@code size} keys: a power of two, at most three quarters full. */
    static int capacity(int size) {
        int cap = 2;
        while (size * 4 > cap * 3) cap <<= 1;
        return cap;
    }

    private static int emit(Buf b, TopicTrie.Node node, String key, int[] ruleFlags) {
        if (key.length() > KEYLEN) throw new IllegalArgumentException("topic level longer than " + KEYLEN + " characters");
        int head = key.length();
        int fields = 0;
        if (node.plus != null) {
            head |= PLUS;
            fields++;
        }
        for (int v = 0; v < 3; v++) {
            if (node.vars[v] != null) {
                head |= VAR0 << v;
                fields++;
            }
        }
        if (node.hash.length > 0) head |= HASH;
        if (node.terminal.length > 0) head |= TERM;
        int cap = 0;
        if (node.size > 0) {
            cap = capacity(node.size);
            head |= LIT | Integer.numberOfTrailingZeros(cap) << CAP_SHIFT;
        }
        int keyInts = (key.length() + 1) / 2;
        int n = b.alloc(1 + fields + keyInts + listInts(node.hash) + listInts(node.terminal) + 2 * cap);
        b.a[n] = head;
        int k = n + 1 + fields;
        for (int i = 0; i < key.length(); i++) b.a[k + (i >> 1)] |= key.charAt(i) << ((i & 1) << 4);
        int p = k + keyInts;
        p = list(b, p, node.hash, ruleFlags);
        p = list(b, p, node.terminal, ruleFlags);
        int tab = p, mask = cap - 1;
        // children follow the record; a call that may grow the buffer is made before `b.a` is read for the store
        for (int i = 0; i < node.keys.length; i++) {
            String lit = node.keys[i];
            if (lit == null) continue;
            int child = emit(b, node.kids[i], lit, ruleFlags);
            int h = TopicTrie.hash(lit, 0, lit.length());
            int j = h & mask;
            while (b.a[tab + 2 * j + 1] != 0) j = (j + 1) & mask;
            b.a[tab + 2 * j] = h;
            b.a[tab + 2 * j + 1] = child;
        }
        int f = n + 1;
        if (node.plus != null) {
            int c = emit(b, node.plus, "", ruleFlags);
            b.a[f++] = c;
        }
        for (int v = 0; v < 3; v++) {
            if (node.vars[v] == null) continue;
            int c = emit(b, node.vars[v], "", ruleFlags);
            b.a[f++] = c;
        }
        return n;
    }

    private static int listInts(int[] rules) {
        return rules.length == 0 ? 0 : 1 + 2 * rules.length;
    }

    private static int list(Buf b, int at, int[] rules, int[] ruleFlags) {
        if (rules.length == 0) return at;
        b.a[at] = rules.length;
        for (int i = 0; i < rules.length; i++) {
            b.a[at + 1 + 2 * i] = rules[i];
            b.a[at + 2 + 2 * i] = ruleFlags[rules[i]];
        }
        return at + 1 + 2 * rules.length;
    }

    /**
     * As {@link TopicTrie#matchBoth} for a valid topic name: the lowest deny rule active for the client (high half)
     * and the lowest active allow rule whose flags contain {@code need} (low half), {@link TopicTrie#NONE} when absent.
     */
    long matchBoth(String topic, Session.Binding b, int need) {
        return walk(a, 0, topic, 0, topic.length(), true, b.active, b.values, need);
    }

    private static long walk(int[] a, int n, String t, int s, int len, boolean top, long[] act, String[] vals, int need) {
        int head = a[n];
        int p = n + 1;
        int plus = 0;
        if ((head & PLUS) != 0) plus = a[p++];
        int vars = p;
        p += Integer.bitCount(head & (7 * VAR0));
        p += ((head & KEYLEN) + 1) >> 1;
        long best = PAIR_NONE;
        boolean dollar = top && t.charAt(s) == '$';
        if ((head & HASH) != 0) {
            if (!dollar) best = firstPair(a, p, act, need);
            p += 1 + 2 * a[p];
        }
        if (s < 0) return (head & TERM) == 0 ? best : minPair(best, firstPair(a, p, act, need));
        if ((head & TERM) != 0) p += 1 + 2 * a[p];
        int e;
        if ((head & LIT) != 0) {
            int h = 0;
            e = s;
            for (; e < len; e++) {
                char c = t.charAt(e);
                if (c == '/') break;
                h = 31 * h + c;
            }
            h ^= h >>> 16;
            int mask = (1 << (head >>> CAP_SHIFT)) - 1;
            for (int i = h & mask; ; i = (i + 1) & mask) {
                int slot = p + 2 * i;
                int c = a[slot + 1];
                if (c == 0) break;
                if (a[slot] == h && keyEquals(a, c, t, s, e)) {
                    best = minPair(best, walk(a, c, t, e < len ? e + 1 : -1, len, false, act, vals, need));
                    break;
                }
            }
        } else {
            e = t.indexOf('/', s);
            if (e < 0) e = len;
        }
        int nx = e < len ? e + 1 : -1;
        if (plus != 0 && !dollar) best = minPair(best, walk(a, plus, t, nx, len, false, act, vals, need));
        if ((head & (7 * VAR0)) != 0) {
            for (int v = 0; v < 3; v++) {
                if ((head & (VAR0 << v)) == 0) continue;
                int vn = a[vars++];
                String val = vals[v];
                if (val != null && val.length() == e - s && t.startsWith(val, s))
                    best = minPair(best, walk(a, vn, t, nx, len, false, act, vals, need));
            }
        }
        return best;
    }

    private static boolean keyEquals(int[] a, int node, String t, int s, int e) {
        int head = a[node];
        int n = e - s;
        if ((head & KEYLEN) != n) return false;
        int k = node + 1 + Integer.bitCount(head & (PLUS | 7 * VAR0));
        for (int i = 0; i < n; i++) {
            int w = a[k + (i >> 1)];
            char c = (char) ((i & 1) == 0 ? w : w >>> 16);
            if (c != t.charAt(s + i)) return false;
        }
        return true;
    }

    private static long minPair(long x, long y) {
        return TopicTrie.pack(Math.min(TopicTrie.high(x), TopicTrie.high(y)), Math.min(TopicTrie.low(x), TopicTrie.low(y)));
    }

    private static long firstPair(int[] a, int list, long[] act, int need) {
        int d = NONE, al = NONE;
        for (int i = list + 1, end = list + 1 + 2 * a[list]; i < end; i += 2) {
            int r = a[i], f = a[i + 1];
            if ((f & STATIC) == 0 && (act[r >>> 6] & (1L << r)) == 0) continue;
            if ((f & ALLOW) == 0) {
                if (d == NONE) d = r;
            } else if (al == NONE && (f & need) == need) {
                al = r;
            }
            if (d != NONE && al != NONE) break;
        }
        return TopicTrie.pack(d, al);
    }
}
