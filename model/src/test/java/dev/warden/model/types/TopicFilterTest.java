package dev.warden.model.types;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TopicFilterTest {

    private static TopicFilter f(String s) { return TopicFilter.parse(s); }

    private static boolean within(String a, String b) { return f(a).within(f(b)); }

    private static boolean overlaps(String a, String b) {
        boolean ab = f(a).overlaps(f(b)), ba = f(b).overlaps(f(a));
        assertEquals(ab, ba, "overlaps must be symmetric for `" + a + "`, `" + b + "`");
        return ab;
    }

    // ------------------------------------------------------------------ parsing

    @Test
    void parsesLevelsIncludingEmptyOnes() {
        TopicFilter t = f("/a//+/#");
        assertEquals(5, t.levels().size());
        assertEquals("", t.levels().get(0).toString());
        assertEquals("a", t.levels().get(1).toString());
        assertEquals("", t.levels().get(2).toString());
        assertTrue(t.levels().get(3) instanceof TopicFilter.Plus);
        assertTrue(t.levels().get(4) instanceof TopicFilter.Hash);
        assertTrue(t.hasWildcard());
        assertEquals("/a//+/#", t.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a/#/b", "#/a", "a#", "a/b#", "+a", "a/+b/c", "a/${x", "a/${1x}", "a/${}", "a\0b", "$share/", "$share//a",
            "$share/g", "$share/g/", "$share/g+/a", "$share/#/a"})
    void rejectsInvalidFilters(String s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopicFilter.parse(s));
        assertFalse(e.getMessage().isEmpty());
        assertNull(TopicFilter.tryParse(s));
    }

    @ParameterizedTest
    @ValueSource(strings = {"#", "+", "/", "//", "a/+/#", "$SYS/#", "a b/c", "ünï/cødé", "a/$/b", "a/${client.id}/b", "dev-${username}-x/#"})
    void acceptsValidFilters(String s) {
        assertEquals(s, f(s).toString());
    }

    @Test
    void sharedSubscriptionPrefixIsStripped() {
        TopicFilter t = f("$share/workers/jobs/+");
        assertEquals("workers", t.shareGroup());
        assertEquals(2, t.levels().size());
        assertEquals("jobs", t.levels().get(0).toString());
        assertTrue(t.within(f("jobs/#")));
        assertTrue(f("jobs/a").within(t));
        assertTrue(t.overlaps(f("jobs/x")));
        assertFalse(t.isRootWildcard(), "the share prefix is not a level");
        assertNull(f("jobs/+").shareGroup());
        assertFalse(t.equals(f("jobs/+")), "a shared subscription differs from the plain one");
        assertEquals(f("$share/workers/jobs/+"), t);
        assertEquals(f("$share/workers/jobs/+").hashCode(), t.hashCode());
        // `$share` alone (no trailing slash) is an ordinary `$` topic
        assertNull(f("$share").shareGroup());
    }

    @Test
    void variablesAreParsedInsideLevels() {
        TopicFilter t = f("devices/dev-${client.id}-${username}/#");
        assertTrue(t.hasVariables());
        assertEquals(List.of("client.id", "username"), t.variables());
        TopicFilter.Lit lit = (TopicFilter.Lit) t.levels().get(1);
        assertFalse(lit.isPlain());
        assertEquals(List.of(new TopicFilter.Text("dev-"), new TopicFilter.Var("client.id"), new TopicFilter.Text("-"),
                new TopicFilter.Var("username")), lit.parts());
        assertFalse(f("a/$x").hasVariables(), "a lone `$` is text");
        assertEquals(List.of("x"), f("${x}/${x}").variables(), "each name once");
    }

    @Test
    void rootWildcardAndMatchesEverything() {
        assertTrue(f("#").matchesEverything());
        assertTrue(f("#").isRootWildcard());
        assertTrue(f("+/a").isRootWildcard());
        assertFalse(f("+/a").matchesEverything());
        assertFalse(f("a/#").isRootWildcard());
    }

    // ------------------------------------------------------------------ matches (concrete topics)

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "sport/tennis/#      | sport/tennis           | true",   // `#` matches the parent level
            "sport/tennis/#      | sport/tennis/p1/r1     | true",
            "sport/tennis/#      | sport/tennisx          | false",
            "sport/#             | sport                  | true",
            "sport/+             | sport                  | false",
            "sport/+             | sport/                 | true",   // `+` matches an empty level
            "+/+                 | /finance               | true",
            "/+                  | /finance               | true",
            "+                   | /finance               | false",
            "#                   | /                      | true",
            "#                   | $SYS/uptime            | false",  // leading wildcards never match `$` topics
            "+/monitor/Clients   | $SYS/monitor/Clients   | false",
            "$SYS/#              | $SYS/monitor/Clients   | true",
            "$SYS/monitor/+      | $SYS/monitor/Clients   | true",
            "a/$x                | a/$x                   | true",   // `$` only matters at the first level
            "a/+                 | a/$x                   | true",
            "a//b                | a//b                   | true",
            "a/+/b               | a//b                   | true",
            "a/b                 | a/b/                   | false",
            "a                   | $share/g/a             | false",  // a topic name is literal: this is a `$` topic
            "#                   | a/${x                  | true",   // `${` is plain text in a topic name
    })
    void matchesConcreteTopics(String filter, String topic, boolean expected) {
        assertEquals(expected, f(filter).matches(topic), filter + " matches " + topic);
    }

    @Test
    void matchesRejectsFiltersAndEmptyNames() {
        assertThrows(IllegalArgumentException.class, () -> f("#").matches("a/+"));
        assertThrows(IllegalArgumentException.class, () -> f("#").matches("a/#"));
        assertFalse(f("#").matches(""), "the empty string is not a topic name");
    }

    // ------------------------------------------------------------------ within

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a/b        | a/b        | true",
            "a/b        | a/+        | true",
            "a/b        | a/#        | true",
            "a          | a/#        | true",   // `#` covers the parent
            "a          | a/+        | false",
            "a/+        | a/#        | true",
            "a/#        | a/+        | false",
            "a/#        | a/#        | true",
            "a/#        | #          | true",
            "#          | +/#        | true",   // every topic has at least one level
            "+/#        | #          | true",
            "/#         | /+/#       | true",   // the parent `/`-less topic would be empty: no such name
            "a/#        | a/+/#      | false",  // but here `a` is a real topic
            "+          | #          | true",
            "#          | +          | false",
            "a/+/c      | a/+/+      | true",
            "a/+/+      | a/+/c      | false",
            "a//c       | a/+/c      | true",
            "a/b        | a/b/c      | false",
            "a/b/c      | a/b        | false",
            "$SYS/a     | #          | false",
            "$SYS/a     | +/a        | false",
            "$SYS/a     | $SYS/#     | true",
            "$SYS/#     | #          | false",
            "#          | $SYS/#     | false",
            "a/$SYS     | a/+        | true",
            "$share/g/a/b | a/#      | true",
            "a/b        | $share/g/a/+ | true",
    })
    void withinFollowsMqttSemantics(String a, String b, boolean expected) {
        assertEquals(expected, within(a, b), a + " within " + b);
    }

    @Test
    void variablesAreUniversalInWithin() {
        // for every client id, the client's own subtree is inside the devices tree
        assertTrue(within("devices/${client.id}/#", "devices/+/#"));
        assertTrue(within("devices/${client.id}/#", "devices/#"));
        // the same variable on both sides stands for the same value
        assertTrue(within("devices/${client.id}/telemetry", "devices/${client.id}/#"));
        assertTrue(within("devices/dev-${client.id}", "devices/dev-${client.id}"));
        // ... but not for every value of a different variable, nor for a fixed name
        assertFalse(within("devices/${username}/x", "devices/${client.id}/#"));
        assertFalse(within("devices/alice/x", "devices/${client.id}/#"));
        assertFalse(within("devices/+/x", "devices/${client.id}/#"));
        assertFalse(within("devices/${client.id}/#", "devices/alice/#"));
        assertFalse(within("devices/dev-${client.id}", "devices/dev-${username}"));
    }

    // ------------------------------------------------------------------ overlaps

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a/b        | a/b        | true",
            "a/b        | a/c        | false",
            "a/+        | +/b        | true",
            "a/#        | a          | true",   // `a` is matched by both
            "a/+        | a          | false",
            "a/#        | +/+/c      | true",
            "#          | +          | true",
            "#          | /          | true",
            "/#         | +          | false",  // the only common candidate would be the empty string
            "/#         | /+         | true",
            "/#         | //#        | true",
            "+/a        | b/+        | true",
            "a/b/c      | a/b        | false",
            "a/b/c/#    | a/b        | false",
            "a/b/#      | a/b        | true",
            "$SYS/#     | #          | false",
            "$SYS/#     | +/#        | false",
            "$SYS/a     | $SYS/+     | true",
            "$x/#       | $x         | true",
            "a/$x       | a/+        | true",
            "$share/g/a/+ | a/b      | true",
    })
    void overlapsFollowsMqttSemantics(String a, String b, boolean expected) {
        assertEquals(expected, overlaps(a, b), a + " overlaps " + b);
    }

    @Test
    void variablesAreExistentialInOverlaps() {
        assertTrue(overlaps("devices/${client.id}/#", "devices/alice/status"));
        assertTrue(overlaps("devices/dev-${c}", "devices/dev-7"));
        assertFalse(overlaps("devices/dev-${c}", "devices/srv-7"));
        assertFalse(overlaps("devices/dev-${c}", "devices/dev-"), "a variable is never empty");
        assertFalse(overlaps("devices/${c}", "devices/a/b"), "a variable is one level");
        assertTrue(overlaps("devices/${c}/#", "devices/+/x"));
        assertTrue(overlaps("${a}-${b}", "x-y"));
        // the same variable has one value everywhere
        assertFalse(overlaps("${c}/${c}", "a/b"));
        assertTrue(overlaps("${c}/${c}", "a/a"));
        assertFalse(overlaps("u/${c}-${c}", "u/a-b"));
        assertTrue(overlaps("u/${c}-${c}", "u/ab-ab"));
        // two templates: some assignment makes them equal, unless their fixed ends disagree
        assertTrue(overlaps("devices/${client.id}", "devices/${username}"));
        assertTrue(overlaps("devices/a-${x}", "devices/${y}-b"));
        assertFalse(overlaps("devices/a${x}", "devices/b${y}"));
        assertFalse(overlaps("devices/${x}a", "devices/${y}b"));
        assertTrue(overlaps("devices/ab${x}", "devices/a${y}"));
    }

    // ------------------------------------------------------------------ substitute

    @Test
    void substituteReplacesBoundVariablesOnly() {
        TopicFilter t = f("devices/${client.id}/x-${username}/#");
        TopicFilter s = t.substitute(Map.of("client.id", "dev1"));
        assertEquals("devices/dev1/x-${username}/#", s.toString());
        assertEquals(List.of("username"), s.variables());
        assertTrue(s.hasVariables());
        TopicFilter all = t.substitute(Map.of("client.id", "dev1", "username", "bob"));
        assertEquals("devices/dev1/x-bob/#", all.toString());
        assertFalse(all.hasVariables());
        assertEquals(f("devices/dev1/x-bob/#"), all, "substituted text merges into one plain level");
        assertTrue(all.matches("devices/dev1/x-bob/a"));
        assertFalse(f("devices/dev1/status").within(all));
    }

    @Test
    void substituteKeepsShareGroupAndIdentityWhenNothingToDo() {
        TopicFilter t = f("$share/g/devices/${client.id}");
        TopicFilter s = t.substitute(Map.of("client.id", "c1"));
        assertEquals("$share/g/devices/c1", s.toString());
        assertEquals("g", s.shareGroup());
        TopicFilter plain = f("a/b");
        assertSame(plain, plain.substitute(Map.of("x", "y")));
        assertSame(t, t.substitute(Map.of()));
        assertEquals(t, t.substitute(Map.of("other", "v")));
    }

    @Test
    void substitutionDecidesRelationsConcretely() {
        TopicFilter grant = f("devices/${client.id}/#");
        assertTrue(grant.substitute(Map.of("client.id", "alice")).overlaps(f("devices/alice/x")));
        assertFalse(grant.substitute(Map.of("client.id", "alice")).overlaps(f("devices/bob/x")));
        assertTrue(f("devices/alice/x").within(grant.substitute(Map.of("client.id", "alice"))));
    }

    @Test
    void levelsAreImmutable() {
        TopicFilter t = f("a/b");
        assertThrows(UnsupportedOperationException.class, () -> t.levels().add(new TopicFilter.Plus()));
    }
}
