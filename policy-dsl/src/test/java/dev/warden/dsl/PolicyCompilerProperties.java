package dev.warden.dsl;

import dev.warden.dsl.ast.Span;
import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.dsl.parse.ParseResult;
import dev.warden.dsl.parse.PolicyParser;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The parser and the compiler never throw: whatever the text, they answer with diagnostics, each with a {@code dsl.*}
 * code, a message and a location inside the file. Inputs: arbitrary unicode, soups of the language's tokens, and
 * mutations (deleting, duplicating, swapping characters and tokens) of the valid conformance policies. Every input
 * that compiles yields a deeply immutable {@link CompiledPolicySet}.
 */
class PolicyCompilerProperties {

    static final String FILE = "fuzz.warden";

    // ------------------------------------------------------------------ checks

    /** Compiles and checks the answer; returns it for further checks. */
    static PolicyCompiler.Result compileChecked(String text) {
        return compileChecked(text, PolicyCompiler.Options.defaults().withFactSources(Set.of("mosquitto")));
    }

    static PolicyCompiler.Result compileChecked(String text, PolicyCompiler.Options options) {
        ParseResult parsed;
        PolicyCompiler.Result r;
        try {
            parsed = PolicyParser.parse(FILE, text);
            r = PolicyCompiler.compile(List.of(new PolicyCompiler.Source(FILE, text)), options);
        } catch (RuntimeException | Error e) {
            throw new AssertionError("threw on input:\n" + text, e);
        }
        assertEquals(parsed.file().isPresent(), parsed.diagnostics().stream().noneMatch(Diagnostic::isError),
                "a parse yields a file exactly when it has no error");
        for (Diagnostic d : parsed.diagnostics()) wellFormed(d, text);
        for (Diagnostic d : r.diagnostics()) wellFormed(d, text);
        assertEquals(r.ok(), r.errors().isEmpty(), "a policy set comes out exactly when there is no error");
        assertTrue(r.diagnostics().containsAll(parsed.diagnostics()), "the compiler reports the parser's diagnostics");
        List<Diagnostic> sorted = new ArrayList<>(r.diagnostics());
        sorted.sort(Diagnostic.ORDER);
        assertEquals(sorted, r.diagnostics(), "diagnostics come sorted");
        r.policySet().ifPresent(PolicyCompilerProperties::deeplyImmutable);
        return r;
    }

    static void wellFormed(Diagnostic d, String text) {
        assertTrue(d.code().startsWith("dsl.") && d.code().length() > 4, "code: " + d);
        assertFalse(d.message().isBlank(), "message: " + d);
        assertFalse(d.message().endsWith("."), "no final period: " + d);
        assertTrue(Character.isLowerCase(d.message().charAt(0)) || d.message().charAt(0) == '`', "lowercase: " + d);
        if (d.at().kind() == Origin.Kind.API) return; // --param values: no file position
        assertEquals(Origin.Kind.FILE, d.at().kind(), "located in a file: " + d);
        assertEquals(FILE, d.at().source(), d.toString());
        // ANTLR counts lines by `\n` and columns in code points; a column may sit just past the end of its line
        String[] lines = text.split("\n", -1);
        assertTrue(d.at().line() >= 1 && d.at().line() <= lines.length, "line inside the file: " + d);
        String line = lines[d.at().line() - 1];
        assertTrue(d.at().column() >= 1 && d.at().column() <= line.length() + 1, "column inside the line: " + d + " in `" + line + "`");
        String rendered = dev.warden.model.DiagnosticRenderer.render(d, s -> Optional.of(text));
        assertTrue(rendered.startsWith("error[") || rendered.startsWith("warning["), rendered);
    }

    /** Every collection reachable from the set (through records) refuses changes. */
    static void deeplyImmutable(CompiledPolicySet set) {
        walk(set.controls(), new IdentityHashMap<>());
        walk(set.params(), new IdentityHashMap<>());
        walk(set.tests(), new IdentityHashMap<>());
        walk(set.files(), new IdentityHashMap<>());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void walk(Object o, IdentityHashMap<Object, Boolean> seen) {
        if (o == null || seen.put(o, Boolean.TRUE) != null) return;
        if (o instanceof List l) {
            assertThrows(UnsupportedOperationException.class, () -> l.add(null), "mutable list " + l);
            l.forEach(x -> walk(x, seen));
        } else if (o instanceof Set s) {
            assertThrows(UnsupportedOperationException.class, () -> s.add(null), "mutable set " + s);
            s.forEach(x -> walk(x, seen));
        } else if (o instanceof Map m) {
            assertThrows(UnsupportedOperationException.class, () -> m.put(null, null), "mutable map " + m);
            m.forEach((k, v) -> { walk(k, seen); walk(v, seen); });
        } else if (o instanceof Optional opt) {
            opt.ifPresent(x -> walk(x, seen));
        } else if (o instanceof dev.warden.model.types.TopicFilter t) {
            walk(t.levels(), seen);
        } else if (o instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    walk(c.getAccessor().invoke(r), seen);
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    // ------------------------------------------------------------------ inputs

    static List<String> validCorpus() {
        Path dir = ConformanceTest.dir();
        List<String> out = new ArrayList<>();
        for (Path p : ConformanceTest.cases()) {
            if (!p.getFileName().toString().startsWith("ok_")) continue;
            try {
                out.add(Files.readString(p, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertFalse(out.isEmpty(), "no valid corpus in " + dir);
        return out;
    }

    private static final List<String> CORPUS = validCorpus();

    static final List<String> TOKENS = List.of(
            // keywords
            "package", "title", "param", "control", "severity", "tags", "description", "remediation", "references", "for", "in",
            "where", "when", "let", "require", "forbid", "else", "test", "given", "with", "expect", "at", "and", "or", "not", "is",
            "within", "overlaps", "contains", "matches", "any", "all", "none", "count", "true", "false",
            // operators and punctuation
            "==", "!=", "<=", ">=", "<", ">", "=", "..", ".", ",", ":", "(", ")", "{", "}", "[", "]",
            // literals
            "0", "1883", "99999999999999999999", "1024..65535", "70000..1", "256KiB", "99999999999TiB", "30s", "1h", "10.0.0.0/8",
            "999.1.1.1/40", "\"2.0.21\"", "\"devices/#\"", "\"a/#/b\"", "\"(\"", "\"x {l.port} y\"", "\"{\"", "\"{}\"", "\"{{\"",
            "\"\"\"\n  text {broker.kind}\n  \"\"\"", "\"\"\"", "\"", "\"unterminated",
            // names, including ones the schema knows
            "broker", "listeners", "l", "x", "BRK-TLS-001", "tls", "enabled", "port", "topic", "version", "cidr", "len", "level",
            "set", "empty", "wildcard", "internet", "mosquitto", "fail", "pass", "high", "info", "list", "int", "ports",
            // trivia and junk
            " ", "\n", "\t", "// comment\n", "# comment\n", "\r\n", "@", ";", "&&", "!", "≥", "\u0000", "é", "😀");

    @Provide
    Arbitrary<String> tokenSoup() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(60).map(l -> String.join(" ", l));
    }

    @Provide
    Arbitrary<String> denseTokenSoup() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(40).map(l -> String.join("", l));
    }

    /** A policy that starts like a control, so that the soup reaches the checker more often. */
    @Provide
    Arbitrary<String> controlSoup() {
        return Arbitraries.of(TOKENS).list().ofMaxSize(30)
                .map(l -> "control F-1 \"fuzz\" {\n  severity low\n  for l in broker.listeners\n  require " + String.join(" ", l) + "\n}\n");
    }

    /** One edit of a valid policy, on characters or on whitespace-separated tokens. */
    @Provide
    Arbitrary<String> mutant() {
        Arbitrary<String> base = Arbitraries.of(CORPUS);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 7);
        Arbitrary<Integer> a = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Integer> b = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Integer> rounds = Arbitraries.integers().between(1, 3);
        Arbitrary<String> token = Arbitraries.of(TOKENS);
        return Combinators.combine(base, rounds, kind.list().ofSize(3), a.list().ofSize(3), b.list().ofSize(3), token.list().ofSize(3))
                .as((text, n, kinds, as, bs, tokens) -> {
                    String t = text;
                    for (int i = 0; i < n; i++) t = mutate(t, kinds.get(i), as.get(i), bs.get(i), tokens.get(i));
                    return t;
                });
    }

    static String mutate(String text, int kind, int a, int b, String token) {
        if (text.isEmpty()) return token;
        int i = a % text.length(), j = b % text.length();
        int lo = Math.min(i, j), hi = Math.max(i, j);
        hi = Math.min(hi, lo + 20);
        List<String> words = new ArrayList<>(List.of(text.split("(?<=\\s)|(?=\\s)")));
        int wi = a % words.size(), wj = b % words.size();
        switch (kind) {
            case 0: // delete a character range
                return text.substring(0, lo) + text.substring(hi);
            case 1: // duplicate a character range
                return text.substring(0, hi) + text.substring(lo, hi) + text.substring(hi);
            case 2: { // swap two characters
                char[] c = text.toCharArray();
                char x = c[i]; c[i] = c[j]; c[j] = x;
                return new String(c);
            }
            case 3: // delete a token
                words.remove(wi);
                return String.join("", words);
            case 4: // duplicate a token
                words.add(wi, words.get(wi));
                return String.join("", words);
            case 5: { // swap two tokens
                String x = words.get(wi);
                words.set(wi, words.get(wj));
                words.set(wj, x);
                return String.join("", words);
            }
            case 6: // replace a token by one of the language
                words.set(wi, token);
                return String.join("", words);
            default: // insert a token of the language
                words.add(wi, " " + token + " ");
                return String.join("", words);
        }
    }

    /** Syntactically valid expressions over the schema, of random (mostly wrong) types, to exercise the checker. */
    static Arbitrary<String> expression(int depth) {
        Arbitrary<String> leaf = Arbitraries.of("l", "l.port", "l.tls", "l.tls.enabled", "l.tls.min_version", "l.bind", "l.auth.plugins",
                "l.max_connections", "broker", "broker.version", "broker.kind", "broker.listeners", "broker.acl_grants",
                "broker.limits.max_packet_size", "broker.limits.max_keepalive", "broker.logging.types", "broker.sys_interval", "broker.nope",
                "l.tls.nope", "nope", "p", "1883", "0", "70000", "1024..65535", "5..1", "256KiB", "30s", "10.0.0.0/8", "\"2.0.21\"",
                "\"a/+/#\"", "\"a/#/b\"", "\"10.0.0.0/33\"", "\"x\"", "\"(\"", "true", "false", "[]", "[1, 2]", "[\"a\", 1]",
                "count(x in broker.listeners)");
        if (depth == 0) return leaf;
        Arbitrary<String> sub = expression(depth - 1);
        return Arbitraries.frequencyOf(
                Tuple.of(4, leaf),
                Tuple.of(3, Combinators.combine(sub, Arbitraries.of("==", "!=", "<", "<=", ">", ">=", "in", "not in", "within", "overlaps",
                        "contains", "matches", "and", "or"), sub).as((a, op, b) -> "(" + a + " " + op + " " + b + ")")),
                Tuple.of(1, Combinators.combine(Arbitraries.of("not ", ""), sub, Arbitraries.of("set", "not set", "empty", "internet",
                        "loopback", "private", "wildcard", "defaulted", "bogus")).as((n, a, t) -> "(" + n + a + " is " + t + ")")),
                Tuple.of(1, Combinators.combine(Arbitraries.of("any", "all", "none"), sub, sub)
                        .as((q, src, body) -> "(" + q + " x in " + src + ": " + body + ")")),
                Tuple.of(2, Combinators.combine(Arbitraries.of("count(x in ", "len(", "lower(", "upper(", "version(", "cidr(", "topic(", "ports(",
                        "size(", "duration(", "starts_with(", "ends_with(", "nope("), sub.list().ofMaxSize(3))
                        .as((f, args) -> f + String.join(", ", args) + ")")),
                Tuple.of(1, sub.list().ofMaxSize(3).map(l -> "[" + String.join(", ", l) + "]")),
                Tuple.of(1, sub.map(e -> "(" + e + ").port")),
                Tuple.of(1, sub.map(e -> "not " + e)));
    }

    @Provide
    Arbitrary<String> expression() { return expression(3); }

    @Provide
    Arbitrary<String> typedPolicy() {
        return Combinators.combine(expression(), expression(), expression(), Arbitraries.of("require", "forbid", "when", "let v =", "for y in"))
                .as((src, cond, msg, clause) -> "param p = " + msg + "\n"
                        + "control F-1 \"fuzz\" {\n  severity low\n  for l in " + src + "\n  " + clause + " " + cond
                        + "\n  require " + cond + " else \"value {" + msg + "}\"\n}\n"
                        + "test \"t\" {\n  with p = " + msg + "\n  expect fail F-1\n}\n");
    }

    // ------------------------------------------------------------------ properties

    @Property(tries = 1000)
    void typedExpressionsNeverThrow(@ForAll("typedPolicy") String text) {
        PolicyCompiler.Result r = compileChecked(text);
        Statistics.label("outcome").collect(r.ok() ? "compiles" : r.errors().isEmpty() ? "warnings" : r.errors().get(0).code());
    }

    @Property(tries = 500)
    void arbitraryUnicodeNeverThrows(@ForAll String text) {
        compileChecked(text);
    }

    @Property(tries = 500)
    void tokenSoupNeverThrows(@ForAll("tokenSoup") String text) {
        compileChecked(text);
    }

    @Property(tries = 300)
    void denseTokenSoupNeverThrows(@ForAll("denseTokenSoup") String text) {
        compileChecked(text);
    }

    @Property(tries = 800)
    void controlSoupNeverThrows(@ForAll("controlSoup") String text) {
        PolicyCompiler.Result r = compileChecked(text);
        Statistics.label("outcome").collect(r.ok() ? "compiles" : r.diagnostics().get(0).code());
    }

    @Property(tries = 1000)
    void mutationsOfValidPoliciesNeverThrow(@ForAll("mutant") String text) {
        PolicyCompiler.Result r = compileChecked(text);
        Statistics.label("outcome").collect(r.ok() ? "compiles" : "diagnostics");
    }

    @Property(tries = 200)
    void parseExpressionNeverThrows(@ForAll("tokenSoup") String text) {
        List<Diagnostic> diags = new ArrayList<>();
        try {
            PolicyParser.parseExpression(text, new Span("--param x", 1, 1, 1, text.length() + 1), diags);
        } catch (RuntimeException | Error e) {
            fail("threw on `" + text + "`", e);
        }
        for (Diagnostic d : diags) assertTrue(d.code().startsWith("dsl.") && !d.message().isBlank(), d.toString());
    }

    @Provide
    Arbitrary<String> paramValue() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(20), tokenSoup().map(s -> s.length() > 40 ? s.substring(0, 40) : s));
    }

    @Property(tries = 300)
    void paramOverridesNeverThrow(@ForAll("paramValue") String value, @ForAll("paramName") String name) {
        String policy = CORPUS.stream().filter(s -> s.contains("package params.demo")).findFirst().orElseThrow();
        PolicyCompiler.Options opts = PolicyCompiler.Options.defaults().withFactSources(Set.of("mosquitto")).withParams(Map.of(name, value));
        PolicyCompiler.Result r = compileChecked(policy, opts);
        for (Diagnostic d : r.diagnostics()) {
            if (d.at().kind() == Origin.Kind.API) assertTrue(d.code().equals("dsl.bad_param_value") || d.code().equals("dsl.unknown_param"), d.toString());
        }
    }

    @Provide
    Arbitrary<String> paramName() {
        return Arbitraries.of("min_tls", "max_packet", "max_keepalive", "namespace", "trusted", "allowed_ports", "port_range", "max_conn",
                "strict", "product", "log_types", "plain_ports", "versions", "params.demo.max_conn", "no_such_param");
    }

    @Property(tries = 100)
    void validCorpusCompilesWhateverTheLineEndings(@ForAll("corpusIndex") int i, @ForAll("lineEnding") String eol) {
        String text = CORPUS.get(i).replace("\r\n", "\n").replace("\n", eol);
        PolicyCompiler.Result r = compileChecked(text);
        assertTrue(r.ok(), () -> r.diagnostics().toString());
    }

    @Provide
    Arbitrary<Integer> corpusIndex() { return Arbitraries.integers().between(0, CORPUS.size() - 1); }

    @Provide
    Arbitrary<String> lineEnding() { return Arbitraries.of("\n", "\r\n", "\n\n", "\n  \t"); }

}
