package dev.warden.aws.iot;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Combinators;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The glob decisions agree with brute force over a small alphabet. */
class IotGlobProperties {

    static final char[] ALPHABET = {'a', 'b', '/', '+', '#'};

    @Provide
    Arbitrary<String> globs() {
        return Arbitraries.strings().withChars('a', 'b', '/', '+', '#', '*', '?').ofMaxLength(6);
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings().withChars(ALPHABET).ofMaxLength(7);
    }

    static boolean reference(String glob, String s) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            if (c == '*') re.append(".*");
            else if (c == '?') re.append('.');
            else re.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL).matcher(s).matches();
    }

    static List<String> allWords(int maxLen) {
        List<String> out = new ArrayList<>(List.of(""));
        List<String> layer = List.of("");
        for (int n = 1; n <= maxLen; n++) {
            List<String> next = new ArrayList<>();
            for (String w : layer) for (char c : ALPHABET) next.add(w + c);
            out.addAll(next);
            layer = next;
        }
        return out;
    }

    static final List<String> WORDS = allWords(5);

    @Property(tries = 400)
    void matchAgreesWithRegex(@ForAll("globs") String glob, @ForAll("words") String s) {
        assertEquals(reference(glob, s), IotGlob.parse(glob).matches(s));
    }

    @Property(tries = 300)
    void subsetAgreesWithBruteForce(@ForAll("globs") String a, @ForAll("globs") String b) {
        IotGlob ga = IotGlob.parse(a), gb = IotGlob.parse(b);
        Optional<String> cex = IotGlob.subsetCounterexample(ga, List.of(gb));
        if (cex.isPresent()) {
            assertTrue(reference(a, cex.get()), "witness in A");
            assertFalse(reference(b, cex.get()), "witness not in B");
        } else {
            for (String w : WORDS) if (reference(a, w)) assertTrue(reference(b, w), () -> w + " in " + a + " not in " + b);
        }
        assertEquals(cex.isEmpty(), IotGlob.subset(ga, gb));
    }

    @Property(tries = 300)
    void intersectsAgreesWithBruteForce(@ForAll("globs") String a, @ForAll("globs") String b) {
        Optional<String> w = IotGlob.intersection(IotGlob.parse(a), IotGlob.parse(b));
        if (w.isPresent()) {
            assertTrue(reference(a, w.get()) && reference(b, w.get()), w.get());
        } else {
            for (String s : WORDS) assertFalse(reference(a, s) && reference(b, s), s);
        }
        assertEquals(w.isPresent(), IotGlob.intersects(IotGlob.parse(a), IotGlob.parse(b)));
    }

    @Property(tries = 200)
    void unionSubsetAgreesWithBruteForce(@ForAll("globs") String a, @ForAll("globs") String b, @ForAll("globs") String c) {
        Optional<String> cex = IotGlob.subsetCounterexample(IotGlob.parse(a), List.of(IotGlob.parse(b), IotGlob.parse(c)));
        if (cex.isPresent()) {
            assertTrue(reference(a, cex.get()));
            assertFalse(reference(b, cex.get()) || reference(c, cex.get()));
        } else {
            for (String w : WORDS) if (reference(a, w)) assertTrue(reference(b, w) || reference(c, w), w);
        }
    }

    @Property(tries = 200)
    void residualIsTheExactQuotient(@ForAll("globs") String tail, @ForAll("words") String name) {
        // a resource glob over the ARN: the residual for "topic" matches exactly the names the ARN glob covers
        String arnGlob = "arn:aws:iot:*:*:topic/" + tail;
        List<IotGlob> residual = IotGlob.parse(arnGlob).residualFor("topic");
        boolean viaArn = IotGlob.parse(arnGlob).matches("arn:aws:iot:us-east-1:123456789012:topic/" + name);
        boolean viaResidual = residual.stream().anyMatch(g -> g.matches(name));
        assertEquals(viaArn, viaResidual);
    }

    @Provide
    Arbitrary<String> arnGlobs() {
        Arbitrary<String> head = Arbitraries.of("arn:aws:iot:eu-west-1:123456789012:", "arn:aws-cn:iot:cn-north-1:1:",
                "arn:aws:iot:::", "arn:aws:iotx:a:b:", "arn:aws:iot:a:b:c:", "arn:aws:io:a:b:", "arm:aws:iot:a:b:",
                "arn:aws:iot:*:*:", "arn:aws:iot:?:1:", "arn:*:", "*", "", "arn:aws:iot:a:${iot:ClientId}:");
        Arbitrary<String> type = Arbitraries.of("topic/", "topicfilter/", "client/", "thing/", "topic", "top*", "topic?", "",
                "topic/${iot:ClientId}/", "t");
        return Combinators.combine(head, type, globs()).as((h, t, g) -> h + t + g);
    }

    @Property(tries = 500)
    void fastResidualAgreesWithTheAutomaton(@ForAll("arnGlobs") String arnGlob) {
        IotGlob g = IotGlob.parse(arnGlob);
        for (String type : List.of("topic", "topicfilter", "client", "thing")) {
            List<IotGlob> fast = g.residualFast(type);
            if (fast == null) continue;
            assertEquals(IotGlob.render(g.residualGeneral(type)), IotGlob.render(fast), arnGlob + " for " + type);
        }
    }

    @Provide
    Arbitrary<List<String>> globLists() {
        return globs().list().ofMinSize(1).ofMaxSize(3);
    }

    static String arns(List<String> globs, String type) {
        return "[" + String.join(",", globs.stream().map(g -> "\"arn:aws:iot:us-east-1:123456789012:" + type + "/" + g + "\"").toList()) + "]";
    }

    /** Deny overrides Allow, conservatively and without losing or inventing topics (brute force over short words). */
    @Property(tries = 200)
    void denyOverAllowIsConservative(@ForAll("globLists") List<String> allow, @ForAll("globLists") List<String> deny) {
        String doc = "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"Resource\":" + arns(allow, "topic") + "},"
                + "{\"Effect\":\"Deny\",\"Action\":\"iot:Publish\",\"Resource\":" + arns(deny, "topic") + "}]}";
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(doc);
        assertTrue(a.problems().isEmpty(), a.problems().toString());
        List<IotGlob> result = a.publishTopics().stream().map(IotGlob::parse).toList();
        for (String w : WORDS) {
            boolean allowed = allow.stream().anyMatch(g -> reference(g, w)) && deny.stream().noneMatch(g -> reference(g, w));
            boolean listed = result.stream().anyMatch(g -> g.matches(w));
            if (allowed) assertTrue(listed, () -> w + " is allowed but not listed in " + a.publishTopics());
            if (listed) assertTrue(allow.stream().anyMatch(g -> reference(g, w)), () -> w + " listed but never allowed");
        }
        // a pattern wholly inside the deny union is never listed
        for (IotGlob g : result) assertFalse(IotGlob.subset(g, deny.stream().map(IotGlob::parse).toList()), g.toString());
    }

    @Property(tries = 300)
    void renderRoundTrips(@ForAll String s) {
        IotGlob g = IotGlob.parse(s);
        assertEquals(g, IotGlob.parse(g.toString()));
    }

    @Property(tries = 300)
    void analyzeNeverThrowsOnArbitraryStrings(@ForAll String s) {
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(s);
        assertNotNull(a);
        assertNotNull(a.connectScope());
    }

    @Provide
    Arbitrary<String> policyish() {
        Arbitrary<String> atom = Arbitraries.of("\"iot:*\"", "\"*\"", "\"iot:Publish\"", "[\"iot:Connect\",\"iot:Subscribe\"]",
                "\"arn:aws:iot:us-east-1:1:topic/a/*\"", "\"arn:aws:iot:*:*:client/${iot:ClientId}\"", "[]", "null", "7",
                "{}", "\"arn:aws:iot:r:1:topicfilter/$(*)/+/#\"", "\"${\"", "[\"*\",3]", "{\"Bool\":{\"iot:Connection.Thing.IsAttached\":true}}");
        Arbitrary<String> key = Arbitraries.of("Effect", "Action", "NotAction", "Resource", "NotResource", "Condition", "Sid");
        Arbitrary<String> effect = Arbitraries.of("\"Allow\"", "\"Deny\"", "\"allow\"", "1");
        Arbitrary<String> stmt = Arbitraries.<String>oneOf(
                        key.flatMap(k -> atom.map(v -> "\"" + k + "\":" + v)), effect.map(e -> "\"Effect\":" + e))
                .list().ofMaxSize(6).map(l -> "{" + String.join(",", l) + "}");
        return stmt.list().ofMaxSize(4).flatMap(l -> Arbitraries.of(
                "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", l) + "]}",
                "{\"Statement\":" + (l.isEmpty() ? "{}" : l.get(0)) + "}",
                "[" + String.join(",", l) + "]"));
    }

    @Property(tries = 300)
    void analyzeNeverThrowsOnPolicyShapedJson(@ForAll("policyish") String doc) {
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(doc);
        assertNotNull(a);
        assertTrue(List.of("none", "thing_name", "pattern", "any").contains(a.connectScope()));
        assertTrue(a.problems().stream().noneMatch(p -> p.startsWith("internal error")), a.problems().toString());
    }
}
