package dev.warden.model.types;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-checks {@link TopicFilter#within} and {@link TopicFilter#overlaps} against brute force: a reference matcher
 * written straight from the MQTT 5 specification (§4.7), run over every concrete topic of a small universe.
 *
 * <p>Filters use levels from {@code {a, b, $x, ""}} plus {@code +} and {@code #}, up to depth 4. The topic universe
 * has the same literal levels plus {@code z} (a level no filter names, standing for "anything else") and {@code $y},
 * up to depth 5 (one more than the deepest filter, so {@code #} and {@code +} are told apart). That universe is
 * enough to witness any difference between two such filters.
 */
class TopicFilterProperties {

    private static final List<String> FILTER_LEVELS = List.of("a", "b", "$x", "", "+", "#");
    private static final List<String> TOPIC_LEVELS = List.of("a", "b", "$x", "", "z", "$y");
    private static final List<List<String>> TOPICS = topics(5);

    private static List<List<String>> topics(int maxDepth) {
        List<List<String>> out = new ArrayList<>();
        List<List<String>> frontier = List.of(List.of());
        for (int d = 1; d <= maxDepth; d++) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : frontier) {
                for (String l : TOPIC_LEVELS) {
                    List<String> t = new ArrayList<>(prefix);
                    t.add(l);
                    next.add(t);
                }
            }
            frontier = next;
            for (List<String> t : next) {
                if (!(t.size() == 1 && t.get(0).isEmpty())) out.add(t); // "" is not a topic name
            }
        }
        return out;
    }

    /** MQTT 5 §4.7: reference matcher of a filter (as levels) against a topic name (as levels). */
    static boolean refMatches(List<String> filter, List<String> topic) {
        if (topic.get(0).startsWith("$") && (filter.get(0).equals("+") || filter.get(0).equals("#"))) return false;
        for (int i = 0; i < filter.size(); i++) {
            String f = filter.get(i);
            if (f.equals("#")) return true; // matches the parent level and any number of children
            if (i >= topic.size()) return false;
            if (f.equals("+")) continue;
            if (!f.equals(topic.get(i))) return false;
        }
        return filter.size() == topic.size();
    }

    @Provide
    Arbitrary<List<String>> filters() {
        return Arbitraries.of(FILTER_LEVELS).list().ofMinSize(1).ofMaxSize(4)
                .filter(l -> !(l.size() == 1 && l.get(0).isEmpty()))
                .filter(l -> !l.subList(0, l.size() - 1).contains("#"));
    }

    private static TopicFilter parse(List<String> levels) {
        return TopicFilter.parse(String.join("/", levels));
    }

    @Property(tries = 1000)
    void withinAgreesWithBruteForce(@ForAll("filters") List<String> a, @ForAll("filters") List<String> b) {
        boolean expected = true;
        for (List<String> t : TOPICS) {
            if (refMatches(a, t) && !refMatches(b, t)) { expected = false; break; }
        }
        assertEquals(expected, parse(a).within(parse(b)), () -> "`" + String.join("/", a) + "` within `" + String.join("/", b) + "`");
    }

    @Property(tries = 1000)
    void overlapsAgreesWithBruteForce(@ForAll("filters") List<String> a, @ForAll("filters") List<String> b) {
        boolean expected = false;
        for (List<String> t : TOPICS) {
            if (refMatches(a, t) && refMatches(b, t)) { expected = true; break; }
        }
        assertEquals(expected, parse(a).overlaps(parse(b)), () -> "`" + String.join("/", a) + "` overlaps `" + String.join("/", b) + "`");
    }

    @Property(tries = 500)
    void matchesAgreesWithReference(@ForAll("filters") List<String> f, @ForAll("topicIndex") int i) {
        List<String> t = TOPICS.get(i);
        assertEquals(refMatches(f, t), parse(f).matches(String.join("/", t)),
                () -> "`" + String.join("/", f) + "` matches `" + String.join("/", t) + "`");
    }

    @Provide
    Arbitrary<Integer> topicIndex() { return Arbitraries.integers().between(0, TOPICS.size() - 1); }

    @Property(tries = 500)
    void overlapsIsSymmetricAndWithinImpliesOverlaps(@ForAll("filters") List<String> a, @ForAll("filters") List<String> b) {
        TopicFilter x = parse(a), y = parse(b);
        assertEquals(x.overlaps(y), y.overlaps(x));
        if (x.within(y)) assertTrue(x.overlaps(y), "within implies overlaps");
    }
}
