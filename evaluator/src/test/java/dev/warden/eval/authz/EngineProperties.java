package dev.warden.eval.authz;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.dsl.ir.AuthzPolicy.Action;
import dev.warden.model.types.TopicFilter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trie engine against a brute-force reading of the same compiled rules with the model's exact topic-filter
 * semantics ({@link TopicFilter#matches}, {@code within}, {@code overlaps}): same verdict and same deciding rule
 * (the lowest-numbered one) for generated policies, clients and requests.
 */
class EngineProperties {

    static final List<String> PATTERN_LEVELS = List.of("a", "b", "", "+", "${client.id}", "${username}", "$s");
    static final List<String> REQUEST_LEVELS = List.of("a", "b", "", "c1", "u", "$s", "+");

    /** Levels joined into a pattern: {@code $s} only as the first level, {@code /#} appended when asked, never empty. */
    static String joinPattern(List<String> ls, boolean hash) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < ls.size(); i++) {
            String l = ls.get(i);
            if (l.equals("$s") && i > 0) l = "s";
            if (i > 0) b.append('/');
            b.append(l);
        }
        if (hash) b.append(ls.isEmpty() ? "#" : "/#");
        return b.length() == 0 ? "a" : b.toString();
    }

    @Provide
    Arbitrary<String> pattern() {
        Arbitrary<List<String>> levels = Arbitraries.of(PATTERN_LEVELS).list().ofMinSize(1).ofMaxSize(3);
        return Combinators.combine(levels, Arbitraries.of(false, true)).as(EngineProperties::joinPattern)
                .injectDuplicates(0.1).edgeCases(e -> e.add("#"));
    }

    @Provide
    Arbitrary<String> rule() {
        Arbitrary<String> action = Arbitraries.of("publish", "subscribe", "receive");
        Arbitrary<Boolean> allow = Arbitraries.of(true, true, false);
        Arbitrary<String> opt = Arbitraries.of("", " qos 0", " qos 1..2", " retain false", " when client.username == \"u\"");
        return Combinators.combine(allow, action, pattern(), opt).as((al, ac, p, o) -> {
            String extra = o;
            if (!al && !o.startsWith(" when")) extra = "";
            if (o.startsWith(" retain") && !(al && ac.equals("publish"))) extra = "";
            if (o.startsWith(" qos") && ac.equals("receive")) extra = "";
            return (al ? "allow " : "deny ") + ac + " \"" + p + "\"" + extra;
        });
    }

    @Provide
    Arbitrary<List<String>> rules() { return rule().list().ofMinSize(1).ofMaxSize(6); }

    @Provide
    Arbitrary<String> request() {
        return Arbitraries.of(REQUEST_LEVELS).list().ofMinSize(1).ofMaxSize(4).map(ls -> String.join("/", ls));
    }

    @Provide
    Arbitrary<String> filter() {
        return Combinators.combine(request(), Arbitraries.of("", "/#", "#"), Arbitraries.of("", "", "$share/g/"))
                .as((r, tail, share) -> share + (tail.equals("#") ? "#" : r + tail));
    }

    @Provide
    Arbitrary<ClientInfo> client() {
        return Combinators.combine(Arbitraries.of("c1", "a", "b"), Arbitraries.of("u", "a").injectNull(0.3))
                .as((id, user) -> ClientInfo.of(id, user, "127.0.0.1"));
    }

    static AuthzPolicy compile(List<String> rules) {
        String text = "authorize p {\n  " + String.join("\n  ", rules) + "\n}\n";
        PolicyCompiler.Result r = PolicyCompiler.compile(new PolicyCompiler.Source("p.warden", text));
        assertTrue(r.ok(), () -> text + r.diagnostics());
        return r.policySet().get().authorizations().get(0);
    }

    static Enforcer enforcer(List<String> rules) {
        String text = "authorize p {\n  " + String.join("\n  ", rules) + "\n}\n";
        return Enforcer.builder().sources(List.of(new PolicyCompiler.Source("p.warden", text))).build();
    }

    /** The rule's pattern for this client, or null when it names a value the client lacks. */
    static TopicFilter bound(AuthzPolicy.Rule r, ClientInfo c) {
        Map<String, String> b = new HashMap<>();
        b.put("client.id", c.id());
        if (c.username() != null) b.put("username", c.username());
        for (String v : r.pattern().variables()) if (!b.containsKey(v)) return null;
        return r.pattern().substitute(b);
    }

    static boolean active(AuthzPolicy.Rule r, ClientInfo c) {
        if (r.when().isEmpty()) return true;
        return "u".equals(c.username()); // the only generated condition
    }

    static int lowest(AuthzPolicy p, ClientInfo c, Predicate<AuthzPolicy.Rule> which, Predicate<TopicFilter> test) {
        for (AuthzPolicy.Rule r : p.rules()) {
            if (!which.test(r) || !active(r, c)) continue;
            TopicFilter t = bound(r, c);
            if (t != null && test.test(t)) return r.index();
        }
        return -1;
    }

    @Property(tries = 1500)
    void publishAgrees(@ForAll("rules") List<String> rules, @ForAll("client") ClientInfo c, @ForAll("request") String topic,
                       @ForAll("qos") int qos, @ForAll boolean retain) {
        if (topic.contains("+")) return;
        AuthzPolicy p = compile(rules);
        try (Enforcer e = enforcer(rules)) {
            Session s = e.connect(c);
            Decision d = e.publish(s, topic, qos, retain, 10);
            int deny = lowest(p, c, r -> !r.allow() && r.action() == Action.PUBLISH, t -> t.matches(topic));
            int allow = lowest(p, c, r -> r.allow() && r.action() == Action.PUBLISH && r.admits(qos, retain), t -> t.matches(topic));
            String ctx = rules + " " + c + " " + topic + " qos " + qos + " retain " + retain + " -> " + d;
            if (deny >= 0) {
                assertEquals(Decision.Reason.DENIED_BY_RULE, d.reason(), ctx);
                assertEquals(deny, d.rule(), ctx);
            } else if (allow >= 0) {
                assertEquals(Decision.Reason.ALLOWED_BY_RULE, d.reason(), ctx);
                assertEquals(allow, d.rule(), ctx);
            } else {
                assertEquals(false, d.allowed(), ctx);
            }
        }
    }

    @Provide
    Arbitrary<Integer> qos() { return Arbitraries.integers().between(0, 2); }

    @Property(tries = 1500)
    void subscribeAgrees(@ForAll("rules") List<String> rules, @ForAll("client") ClientInfo c, @ForAll("filter") String filter,
                         @ForAll("qos") int qos) {
        AuthzPolicy p = compile(rules);
        String inner = filter.startsWith("$share/g/") ? filter.substring(9) : filter;
        TopicFilter req = TopicFilter.tryParse(inner);
        try (Enforcer e = enforcer(rules)) {
            Session s = e.connect(c);
            Decision d = e.subscribe(s, filter, qos);
            String ctx = rules + " " + c + " " + filter + " qos " + qos + " -> " + d;
            if (req == null) {
                assertEquals(Decision.Reason.INVALID_TOPIC, d.reason(), ctx);
                return;
            }
            int deny = lowest(p, c, r -> !r.allow() && r.action() != Action.PUBLISH, t -> req.overlaps(t));
            int allow = lowest(p, c, r -> r.allow() && r.action() == Action.SUBSCRIBE && r.admits(qos, false), t -> req.within(t));
            if (deny >= 0) {
                assertEquals(Decision.Reason.DENIED_BY_RULE, d.reason(), ctx);
                assertEquals(deny, d.rule(), ctx);
            } else if (allow >= 0) {
                assertEquals(Decision.Reason.ALLOWED_BY_RULE, d.reason(), ctx);
                assertEquals(allow, d.rule(), ctx);
            } else {
                assertEquals(false, d.allowed(), ctx);
            }
        }
    }

    @Property(tries = 400)
    void receiveAgrees(@ForAll("rules") List<String> rules, @ForAll("client") ClientInfo c, @ForAll("request") String topic) {
        if (topic.contains("+")) return;
        AuthzPolicy p = compile(rules);
        try (Enforcer e = enforcer(rules)) {
            Session s = e.connect(c);
            Decision d = e.receive(s, topic);
            int deny = lowest(p, c, r -> !r.allow() && r.action() != Action.PUBLISH, t -> t.matches(topic));
            int allow = lowest(p, c, r -> r.allow() && r.action() != Action.PUBLISH, t -> t.matches(topic));
            String ctx = rules + " " + c + " " + topic + " -> " + d;
            if (deny >= 0) assertEquals(deny, d.rule(), ctx);
            else if (allow >= 0) assertEquals(allow, d.rule(), ctx);
            assertEquals(deny < 0 && allow >= 0, d.allowed(), ctx);
        }
    }

    // ------------------------------------------------------------------ flat publish walk

    /** Levels with a hash collision ({@code "Aa"} and {@code "BB"}) and sibling literals, so literal tables grow and probe. */
    static final List<String> FLAT_PATTERN_LEVELS = List.of("a", "b", "c", "Aa", "BB", "", "+", "${client.id}", "${username}", "$s", "c1");
    static final List<String> FLAT_REQUEST_LEVELS = List.of("a", "b", "c", "Aa", "BB", "", "c1", "u", "$s", "s");

    @Provide
    Arbitrary<String> flatRule() {
        Arbitrary<String> pattern = Combinators.combine(Arbitraries.of(FLAT_PATTERN_LEVELS).list().ofMinSize(1).ofMaxSize(4),
                Arbitraries.of(false, false, true)).as(EngineProperties::joinPattern).injectDuplicates(0.1).edgeCases(e -> e.add("#"));
        Arbitrary<String> opt = Arbitraries.of("", "", " qos 0", " qos 1..2", " qos 2", " retain false", " retain true",
                " when client.username == \"u\"", " qos 0 retain false");
        Arbitrary<Boolean> allow = Arbitraries.of(true, true, false);
        Arbitrary<String> action = Arbitraries.of("publish", "publish", "publish", "subscribe");
        return Combinators.combine(allow, action, pattern, opt).as((al, ac, p, o) -> {
            String extra = o;
            if (!al && !o.startsWith(" when")) extra = "";
            if (o.contains("retain") && !(al && ac.equals("publish"))) extra = "";
            return (al ? "allow " : "deny ") + ac + " \"" + p + "\"" + extra;
        });
    }

    @Provide
    Arbitrary<List<String>> flatRules() { return flatRule().list().ofMinSize(1).ofMaxSize(24); }

    @Provide
    Arbitrary<String> flatTopic() {
        return Arbitraries.of(FLAT_REQUEST_LEVELS).list().ofMinSize(1).ofMaxSize(5).map(ls -> String.join("/", ls))
                .filter(Topics::validName);
    }

    @Provide
    Arbitrary<ClientInfo> flatClient() {
        return Combinators.combine(Arbitraries.of("c1", "a", "Aa", "BB", "$s", ""), Arbitraries.of("u", "a", "BB", "x/y").injectNull(0.3))
                .as((id, user) -> ClientInfo.of(id, user, "127.0.0.1"));
    }

    /**
     * The flat publish walk ({@link FlatTrie}) against the node walk ({@link TopicTrie#matchBoth}) and the brute-force
     * model, half by half: lowest active deny, lowest active allow admitting the QoS and retain flag, and lowest active
     * allow whatever it admits.
     */
    @Property(tries = 3000)
    void flatPublishWalkAgrees(@ForAll("flatRules") List<String> rules, @ForAll("flatClient") ClientInfo c, @ForAll("flatTopic") String topic,
                               @ForAll("qos") int qos, @ForAll boolean retain) {
        AuthzPolicy p = compile(rules);
        AuthzEngine engine = AuthzEngine.of(p, Map.of());
        Session.Binding b = engine.bind(c, null);
        PublishWalks w = PublishWalks.of(p);
        long viaFlat = w.flat().matchBoth(topic, b, FlatTrie.need(qos, retain));
        long viaNodes = w.viaNodes(topic, b, qos, retain);
        long anyAllow = w.flat().matchBoth(topic, b, FlatTrie.ALLOW);
        String ctx = rules + " " + c + " " + topic + " qos " + qos + " retain " + retain;
        assertEquals(viaNodes, viaFlat, ctx);
        assertEquals(w.nodes().covering(topic, 0, b, (r, bb, q, t) -> bb.active(r) && p.rules().get(r).allow(), qos, retain),
                TopicTrie.low(anyAllow), ctx);
        if (c.username() != null && c.username().contains("/")) return; // the model would substitute it as two levels
        int deny = lowest(p, c, r -> !r.allow() && r.action() == Action.PUBLISH, t -> t.matches(topic));
        int admit = lowest(p, c, r -> r.allow() && r.action() == Action.PUBLISH && r.admits(qos, retain), t -> t.matches(topic));
        int any = lowest(p, c, r -> r.allow() && r.action() == Action.PUBLISH, t -> t.matches(topic));
        assertEquals(deny < 0 ? TopicTrie.NONE : deny, TopicTrie.high(viaFlat), ctx);
        assertEquals(admit < 0 ? TopicTrie.NONE : admit, TopicTrie.low(viaFlat), ctx);
        assertEquals(any < 0 ? TopicTrie.NONE : any, TopicTrie.low(anyAllow), ctx);
    }
}
