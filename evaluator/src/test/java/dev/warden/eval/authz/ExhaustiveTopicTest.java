package dev.warden.eval.authz;

import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.model.types.TopicFilter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every single-rule policy over a small alphabet against every short request: the engine's publish, subscribe and
 * receive verdicts equal the model's exact topic semantics (the random properties in {@link EngineProperties}
 * reach further, this reaches every corner of the small space: empty levels, `$` topics, `#` after an empty level).
 */
class ExhaustiveTopicTest {

    static List<String> words(List<String> alphabet, int maxLevels) {
        List<String> out = new ArrayList<>();
        List<String> layer = List.of("");
        for (int n = 1; n <= maxLevels; n++) {
            List<String> next = new ArrayList<>();
            for (String w : layer) for (String a : alphabet) next.add(n == 1 ? a : w + "/" + a);
            out.addAll(next);
            layer = next;
        }
        return out;
    }

    static List<String> withHash(List<String> ws) {
        List<String> out = new ArrayList<>(ws);
        for (String w : ws) out.add(w + "/#");
        out.add("#");
        return out;
    }

    @Test
    void engineEqualsModelOnEveryShortPatternAndRequest() {
        List<String> patterns = withHash(words(List.of("", "a", "+", "${client.id}", "$s"), 3)).stream()
                .filter(p -> TopicFilter.tryParse(p) != null && !p.isEmpty()).toList();
        List<String> names = words(List.of("", "a", "c1", "$s"), 3).stream().filter(t -> !t.isEmpty()).toList();
        List<String> filters = withHash(words(List.of("", "a", "c1", "+", "$s"), 3)).stream().filter(t -> !t.isEmpty()).toList();
        ClientInfo c = ClientInfo.of("c1", null, "127.0.0.1");
        int checked = 0;
        for (String p : patterns) {
            TopicFilter pat = TopicFilter.parse(p).substitute(java.util.Map.of("client.id", "c1"));
            try (Enforcer allowSub = EngineProperties.enforcer(List.of("allow subscribe \"" + p + "\""));
                 Enforcer allowPub = EngineProperties.enforcer(List.of("allow publish \"" + p + "\""));
                 Enforcer denyRecv = EngineProperties.enforcer(List.of("allow subscribe \"#\"", "allow subscribe \"$s/#\"", "deny receive \"" + p + "\""))) {
                Session s1 = allowSub.connect(c), s2 = allowPub.connect(c), s3 = denyRecv.connect(c);
                for (String t : names) {
                    boolean matches = pat.matches(t);
                    assertEquals(matches, allowPub.publish(s2, t, 0, false, 1).allowed(), () -> "publish " + t + " under " + p);
                    assertEquals(matches, allowSub.receive(s1, t).allowed(), () -> "receive " + t + " under " + p);
                    checked += 2;
                }
                for (String f : filters) {
                    TopicFilter req = TopicFilter.parse(f);
                    assertEquals(req.within(pat), allowSub.subscribe(s1, f, 0).allowed(), () -> "subscribe " + f + " within " + p);
                    boolean allowedByWide = req.within(TopicFilter.parse("#")) || req.within(TopicFilter.parse("$s/#"));
                    assertEquals(allowedByWide && !req.overlaps(pat), denyRecv.subscribe(s3, f, 0).allowed(), () -> "subscribe " + f + " against deny " + p);
                    checked += 2;
                }
            }
        }
        assertEquals(true, checked > 100_000, "checked " + checked);
    }
}
