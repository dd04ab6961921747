package dev.warden.aws.iot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * An AWS IoT (IAM-style) policy glob, decided exactly with a small NFA.
 *
 * <p>Syntax: {@code *} matches any sequence of characters, including {@code /} and the empty string; {@code ?}
 * matches exactly one character; {@code ${name}} is a policy variable; the escapes {@code $(*)}, {@code $(?)},
 * {@code $($)} (as written in the AWS IoT Core guide) and their IAM spellings {@code ${*}}, {@code ${?}},
 * {@code ${$}} stand for the literal characters. Every other character, in particular the MQTT wildcards
 * {@code +} and {@code #}, is literal. A {@code ${} without a closing brace is read literally.
 *
 * <p>Variables are symbols: one variable name is one unknown value (so {@code ${iot:ClientId}} twice is the same
 * string). Decisions with variables:
 * <ul>
 *   <li>{@link #matches(String)} matches a concrete string; a variable token matches only the same variable
 *       written in the subject string ({@code ${name}}), never concrete text.</li>
 *   <li>{@link #subset} is <em>sound</em>: when it says yes, every string of A is a string of B for every value of
 *       every variable. A's variables are opaque symbols; B may cover them with {@code *} or the same variable,
 *       never with {@code ?} or literal text. It is exact when A and B have no variables.</li>
 *   <li>{@link #intersects} over-approximates: each variable is read as {@code *}. It is exact without variables.</li>
 * </ul>
 * Both return a witness string when one exists, so tests can check them independently.
 */
public final class IotGlob {

    /** A token of the glob. */
    public sealed interface Tok permits Lit, Star, One, Var {}

    /** A literal character. */
    public record Lit(char c) implements Tok {}

    /** {@code *}: any sequence. */
    public record Star() implements Tok {}

    /** {@code ?}: exactly one character. */
    public record One() implements Tok {}

    /** A policy variable {@code ${name}}. */
    public record Var(String name) implements Tok {}

    private static final Star STAR = new Star();
    private static final One ONE = new One();

    private final List<Tok> toks;

    private IotGlob(List<Tok> toks) {
        this.toks = List.copyOf(toks);
    }

    /** Parses a glob; never throws (malformed escapes are literal text). */
    public static IotGlob parse(String s) {
        List<Tok> out = new ArrayList<>();
        if (s == null) return new IotGlob(out);
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '$' && i + 3 < s.length() && s.charAt(i + 1) == '('
                    && s.charAt(i + 3) == ')' && "*?$".indexOf(s.charAt(i + 2)) >= 0) {
                out.add(new Lit(s.charAt(i + 2)));
                i += 4;
            } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                int close = s.indexOf('}', i + 2);
                if (close < 0) {
                    out.add(new Lit(c));
                    i++;
                    continue;
                }
                String name = s.substring(i + 2, close);
                if (name.length() == 1 && "*?$".contains(name)) out.add(new Lit(name.charAt(0)));
                else out.add(new Var(name));
                i = close + 1;
            } else if (c == '*') {
                out.add(STAR);
                i++;
            } else if (c == '?') {
                out.add(ONE);
                i++;
            } else {
                out.add(new Lit(c));
                i++;
            }
        }
        return new IotGlob(out);
    }

    /** Builds a glob from tokens. */
    public static IotGlob of(List<Tok> toks) {
        return new IotGlob(toks);
    }

    public List<Tok> tokens() {
        return toks;
    }

    /** True when the glob has a {@code *} or {@code ?}. */
    public boolean hasWildcard() {
        return toks.stream().anyMatch(t -> t instanceof Star || t instanceof One);
    }

    /** Variable names in order of first use. */
    public List<String> variables() {
        Set<String> names = new java.util.LinkedHashSet<>();
        for (Tok t : toks) if (t instanceof Var v) names.add(v.name());
        return List.copyOf(names);
    }

    /** The glob written back, escaping literal {@code *}, {@code ?} and an ambiguous {@code $}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < toks.size(); i++) {
            Tok t = toks.get(i);
            if (t instanceof Star) b.append('*');
            else if (t instanceof One) b.append('?');
            else if (t instanceof Var v) b.append("${").append(v.name()).append('}');
            else {
                char c = ((Lit) t).c();
                if (c == '*' || c == '?') b.append("$(").append(c).append(')');
                else if (c == '$' && i + 1 < toks.size() && toks.get(i + 1) instanceof Lit n && (n.c() == '(' || n.c() == '{'))
                    b.append("$($)");
                else b.append(c);
            }
        }
        return b.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof IotGlob g && g.toks.equals(toks);
    }

    @Override
    public int hashCode() {
        return toks.hashCode();
    }

    // ---------------------------------------------------------------- NFA

    /** Symbols: chars are {@code >= 0}; variables are negative ids from a per-decision table. */
    private static final class Syms {
        final Map<String, Integer> ids = new HashMap<>();
        final List<String> names = new ArrayList<>();

        int var(String name) {
            return ids.computeIfAbsent(name, n -> {
                names.add(n);
                return -names.size();
            });
        }

        String render(List<Integer> word) {
            StringBuilder b = new StringBuilder();
            for (int s : word) {
                if (s >= 0) b.append((char) s);
                else b.append("${").append(names.get(-s - 1)).append('}');
            }
            return b.toString();
        }
    }

    private BitSet closure(BitSet set) {
        BitSet out = (BitSet) set.clone();
        for (int i = out.nextSetBit(0); i >= 0 && i < toks.size(); i = out.nextSetBit(i + 1)) {
            if (toks.get(i) instanceof Star) out.set(i + 1);
        }
        return out;
    }

    private BitSet start() {
        BitSet s = new BitSet();
        s.set(0);
        return closure(s);
    }

    private boolean accepts(BitSet set) {
        return set.get(toks.size());
    }

    /**
     * One step. {@code starTakesVars}: a {@code *} may consume a variable symbol (true when this glob is the
     * covering side of a subset test or a plain matcher; false when it generates strings of concrete characters).
     */
    private BitSet step(BitSet set, int sym, Syms syms, boolean starTakesVars) {
        BitSet next = new BitSet();
        for (int i = set.nextSetBit(0); i >= 0 && i < toks.size(); i = set.nextSetBit(i + 1)) {
            Tok t = toks.get(i);
            if (t instanceof Star) {
                if (sym >= 0 || starTakesVars) next.set(i);
            } else if (t instanceof One) {
                if (sym >= 0) next.set(i + 1);
            } else if (t instanceof Lit l) {
                if (sym == l.c()) next.set(i + 1);
            } else if (t instanceof Var v) {
                if (sym < 0 && sym == syms.var(v.name())) next.set(i + 1);
            }
        }
        return closure(next);
    }

    /** Whether the concrete string (in which {@code ${name}} stands for that variable) is matched. */
    public boolean matches(String subject) {
        if (subject == null) return false;
        Syms syms = new Syms();
        for (Tok t : toks) if (t instanceof Var v) syms.var(v.name());
        BitSet cur = start();
        // The subject's '*' and '?' are literal characters, '${x}' a variable symbol.
        for (int sym : symbolsLiteral(subject, syms)) {
            cur = step(cur, sym, syms, true);
            if (cur.isEmpty()) return false;
        }
        return accepts(cur);
    }

    private static List<Integer> symbolsLiteral(String s, Syms syms) {
        List<Integer> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '{') {
                int close = s.indexOf('}', i + 2);
                if (close > 0) {
                    out.add(syms.var(s.substring(i + 2, close)));
                    i = close + 1;
                    continue;
                }
            }
            out.add((int) c);
            i++;
        }
        return out;
    }

    private Set<Integer> literalChars() {
        Set<Integer> out = new TreeSet<>();
        for (Tok t : toks) if (t instanceof Lit l) out.add((int) l.c());
        return out;
    }

    private static int freshChar(Set<Integer> used) {
        for (char c : "xyzqkw0123456789XYZQ_".toCharArray()) if (!used.contains((int) c)) return c;
        for (int c = 0x100; ; c++) if (!used.contains(c)) return c;
    }

    private IotGlob varsAsStars() {
        List<Tok> out = new ArrayList<>();
        for (Tok t : toks) out.add(t instanceof Var ? STAR : t);
        return new IotGlob(out);
    }

    // ---------------------------------------------------------------- decisions

    /** Every string {@code a} matches is matched by {@code b} (sound with variables, exact without). */
    public static boolean subset(IotGlob a, IotGlob b) {
        return subsetCounterexample(a, List.of(b)).isEmpty();
    }

    /** Every string {@code a} matches is matched by one of {@code bs}. */
    public static boolean subset(IotGlob a, List<IotGlob> bs) {
        return subsetCounterexample(a, bs).isEmpty();
    }

    /** A shortest string of {@code a} that none of {@code bs} matches, if there is one (variables as {@code ${name}}). */
    public static Optional<String> subsetCounterexample(IotGlob a, List<IotGlob> bs) {
        Syms syms = new Syms();
        Set<Integer> chars = new TreeSet<>(a.literalChars());
        for (IotGlob b : bs) chars.addAll(b.literalChars());
        List<Integer> alphabet = new ArrayList<>(chars);
        alphabet.add(freshChar(chars));
        for (Tok t : a.toks) if (t instanceof Var v) alphabet.add(syms.var(v.name()));
        for (IotGlob b : bs) for (Tok t : b.toks) if (t instanceof Var v) syms.var(v.name());

        record Node(BitSet a, List<BitSet> bs) {}
        Node init = new Node(a.start(), bs.stream().map(IotGlob::start).toList());
        Map<Node, Node> parent = new HashMap<>();
        Map<Node, Integer> via = new HashMap<>();
        ArrayDeque<Node> queue = new ArrayDeque<>();
        Set<Node> seen = new HashSet<>();
        queue.add(init);
        seen.add(init);
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            boolean covered = false;
            for (int k = 0; k < bs.size(); k++) if (bs.get(k).accepts(n.bs().get(k))) covered = true;
            if (a.accepts(n.a()) && !covered) {
                List<Integer> word = new ArrayList<>();
                for (Node cur = n; parent.containsKey(cur); cur = parent.get(cur)) word.add(via.get(cur));
                Collections.reverse(word);
                return Optional.of(syms.render(word));
            }
            for (int sym : alphabet) {
                BitSet na = a.step(n.a(), sym, syms, false);
                if (na.isEmpty()) continue;
                List<BitSet> nbs = new ArrayList<>();
                for (int k = 0; k < bs.size(); k++) nbs.add(bs.get(k).step(n.bs().get(k), sym, syms, true));
                Node m = new Node(na, nbs);
                if (seen.add(m)) {
                    parent.put(m, n);
                    via.put(m, sym);
                    queue.add(m);
                }
            }
        }
        return Optional.empty();
    }

    /** Some string is matched by both (variables read as {@code *}: an over-approximation with variables). */
    public static boolean intersects(IotGlob a, IotGlob b) {
        return intersection(a, b).isPresent();
    }

    /** A shortest string matched by both, if any (variables read as {@code *}). */
    public static Optional<String> intersection(IotGlob a0, IotGlob b0) {
        IotGlob a = a0.varsAsStars();
        IotGlob b = b0.varsAsStars();
        Syms syms = new Syms();
        Set<Integer> chars = new TreeSet<>(a.literalChars());
        chars.addAll(b.literalChars());
        List<Integer> alphabet = new ArrayList<>(chars);
        alphabet.add(freshChar(chars));
        record Node(BitSet a, BitSet b) {}
        Node init = new Node(a.start(), b.start());
        Map<Node, Node> parent = new HashMap<>();
        Map<Node, Integer> via = new HashMap<>();
        ArrayDeque<Node> queue = new ArrayDeque<>(List.of(init));
        Set<Node> seen = new HashSet<>(List.of(init));
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            if (a.accepts(n.a()) && b.accepts(n.b())) {
                List<Integer> word = new ArrayList<>();
                for (Node cur = n; parent.containsKey(cur); cur = parent.get(cur)) word.add(via.get(cur));
                Collections.reverse(word);
                return Optional.of(syms.render(word));
            }
            for (int sym : alphabet) {
                BitSet na = a.step(n.a(), sym, syms, true);
                if (na.isEmpty()) continue;
                BitSet nb = b.step(n.b(), sym, syms, true);
                if (nb.isEmpty()) continue;
                Node m = new Node(na, nb);
                if (seen.add(m)) {
                    parent.put(m, n);
                    via.put(m, sym);
                    queue.add(m);
                }
            }
        }
        return Optional.empty();
    }

    /** The globs from {@code list} that no other (earlier-kept or later) glob of the list contains. */
    public static List<IotGlob> minimal(List<IotGlob> list) {
        List<IotGlob> unique = new ArrayList<>(new java.util.LinkedHashSet<>(list));
        List<IotGlob> out = new ArrayList<>();
        for (int i = 0; i < unique.size(); i++) {
            boolean dominated = false;
            for (int j = 0; j < unique.size() && !dominated; j++) {
                if (i == j) continue;
                if (subset(unique.get(i), unique.get(j)) && (!subset(unique.get(j), unique.get(i)) || j < i)) dominated = true;
            }
            if (!dominated) out.add(unique.get(i));
        }
        return out;
    }

    // ---------------------------------------------------------------- ARN residuals

    /**
     * The resource-name patterns this glob (a whole resource ARN glob, or {@code *}) allows for resources of the
     * given type: the exact set of {@code x} such that the glob matches {@code arn:<partition>:iot:<region>:<account>:<type>/x}
     * for some colon-free partition, region and account, as a union of suffix globs. Empty when it matches no
     * resource of that type.
     */
    public List<IotGlob> residualFor(String type) {
        List<IotGlob> fast = residualFast(type);
        return fast != null ? fast : residualGeneral(type);
    }

    /**
     * The common shapes, answered without the automaton: {@code *}, and an ARN whose five colon-separated prefix
     * fields are written out literally. Null when the glob has another shape.
     */
    List<IotGlob> residualFast(String type) {
        int n = toks.size();
        if (n == 1 && toks.get(0) instanceof Star) return List.of(this);
        int[] colon = new int[5];
        int colons = 0;
        int i = 0;
        for (; i < n && colons < 5; i++) {
            if (!(toks.get(i) instanceof Lit l)) return null;
            if (l.c() == ':') colon[colons++] = i;
        }
        if (colons < 5) return null;
        // arn:<partition>:iot:<region>:<account>: with colon-free fields; the first and third are fixed words
        if (!literalEquals(0, colon[0], "arn") || !literalEquals(colon[1] + 1, colon[2], "iot")) return List.of();
        String want = type + "/";
        for (int k = 0; k < want.length(); k++, i++) {
            if (i >= n) return List.of();
            if (!(toks.get(i) instanceof Lit l)) return null;
            if (l.c() != want.charAt(k)) return List.of();
        }
        return List.of(new IotGlob(toks.subList(i, n)));
    }

    /** True when tokens [from, to) are the literal characters of {@code s}. */
    private boolean literalEquals(int from, int to, String s) {
        if (to - from != s.length()) return false;
        for (int k = 0; k < s.length(); k++) if (!(toks.get(from + k) instanceof Lit l) || l.c() != s.charAt(k)) return false;
        return true;
    }

    /** The exact construction behind {@link #residualFor}, for any glob shape. */
    List<IotGlob> residualGeneral(String type) {
        // Prefix automaton: tokens where null stands for "any run of non-colon characters".
        List<Object> p = new ArrayList<>();
        for (char c : "arn:".toCharArray()) p.add(c);
        p.add(null);
        for (char c : ":iot:".toCharArray()) p.add(c);
        p.add(null);
        p.add(':');
        p.add(null);
        p.add(':');
        for (char c : (type + "/").toCharArray()) p.add(c);
        int pn = p.size();

        Syms syms = new Syms();
        Set<Integer> chars = new TreeSet<>(literalChars());
        for (Object o : p) if (o != null) chars.add((int) (Character) o);
        List<Integer> alphabet = new ArrayList<>(chars);
        alphabet.add(freshChar(chars));
        for (Tok t : toks) if (t instanceof Var v) alphabet.add(syms.var(v.name()));

        record Pair(int p, int g) {}
        ArrayDeque<Pair> queue = new ArrayDeque<>();
        Set<Pair> seen = new HashSet<>();
        java.util.function.Consumer<Pair> push = new java.util.function.Consumer<>() {
            @Override public void accept(Pair pr) {
                if (!seen.add(pr)) return;
                queue.add(pr);
                if (pr.p() < pn && p.get(pr.p()) == null) accept(new Pair(pr.p() + 1, pr.g()));
                if (pr.g() < toks.size() && toks.get(pr.g()) instanceof Star) accept(new Pair(pr.p(), pr.g() + 1));
            }
        };
        push.accept(new Pair(0, 0));
        TreeSet<Integer> finals = new TreeSet<>();
        while (!queue.isEmpty()) {
            Pair pr = queue.poll();
            if (pr.p() == pn) {
                finals.add(pr.g());
                continue;
            }
            for (int sym : alphabet) {
                List<Integer> ps = new ArrayList<>();
                Object pt = p.get(pr.p());
                if (pt == null) {
                    if (sym != ':') ps.add(pr.p());
                } else if (sym == (int) (Character) pt) ps.add(pr.p() + 1);
                if (ps.isEmpty()) continue;
                BitSet gs = new BitSet();
                if (pr.g() < toks.size()) {
                    Tok t = toks.get(pr.g());
                    if (t instanceof Star) gs.set(pr.g());
                    else if (t instanceof One) { if (sym >= 0) gs.set(pr.g() + 1); }
                    else if (t instanceof Lit l) { if (sym == l.c()) gs.set(pr.g() + 1); }
                    else if (t instanceof Var v) { if (sym == syms.var(v.name()) && pt == null) gs.set(pr.g() + 1); }
                }
                for (int np : ps) for (int g = gs.nextSetBit(0); g >= 0; g = gs.nextSetBit(g + 1)) push.accept(new Pair(np, g));
            }
        }
        List<IotGlob> out = new ArrayList<>();
        for (int g : finals) out.add(new IotGlob(toks.subList(g, toks.size())));
        return minimal(out);
    }

    /** Renders several globs. */
    public static List<String> render(List<IotGlob> globs) {
        return globs.stream().map(Object::toString).toList();
    }
}
