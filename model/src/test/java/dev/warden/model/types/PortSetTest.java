package dev.warden.model.types;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PortSetTest {

    private static PortSet p(String s) { return PortSet.parse(s); }

    private static PortSet.Range r(int lo, int hi) { return new PortSet.Range(lo, hi); }

    @Test
    void parsesSinglesRangesAndLists() {
        assertEquals(List.of(r(1883, 1883)), p("1883").ranges());
        assertEquals(List.of(r(1024, 65535)), p("1024..65535").ranges());
        assertEquals(List.of(r(1024, 65535)), p("1024-65535").ranges());
        assertEquals(List.of(r(1883, 1883), r(8883, 8883)), p("8883, 1883").ranges(), "sorted");
        assertEquals(List.of(r(0, 65535)), p(" 0 .. 65535 ").ranges());
        assertEquals(PortSet.ALL, p("0..65535"));
    }

    @Test
    void normalisesOverlapsAndNeighbours() {
        assertEquals(List.of(r(1, 20)), p("1..10,11..20").ranges(), "adjacent ranges merge");
        assertEquals(List.of(r(1, 20)), p("5..20,1..10").ranges());
        assertEquals(List.of(r(1, 10), r(12, 20)), p("1..10,12..20").ranges());
        assertEquals(List.of(r(1, 30)), p("1..30,5..6,7").ranges());
        assertEquals(p("1883"), p("1883,1883"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", ",", "1,", ",1", "1,,2", "-1", "65536", "0..65536", "10..5", "10-5", "1..2..3", "1-2-3", "a", "1883a", "+80",
            "1..", "..1", "99999999999", "١٨٨٣", "1883 8883", "0x50"})
    void rejectsMalformedInput(String s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortSet.parse(s));
        assertTrue(e.getMessage().startsWith("`"), e.getMessage());
    }

    @Test
    void rangeValidatesItsBounds() {
        assertThrows(IllegalArgumentException.class, () -> r(-1, 5));
        assertThrows(IllegalArgumentException.class, () -> r(5, 65536));
        assertThrows(IllegalArgumentException.class, () -> r(6, 5));
        assertEquals("80", r(80, 80).toString());
        assertEquals("80..90", r(80, 90).toString());
    }

    @Test
    void unionContainsAndSize() {
        PortSet u = p("1883").union(p("8883..8885"));
        assertEquals(List.of(r(1883, 1883), r(8883, 8885)), u.ranges());
        assertEquals(4, u.size());
        assertTrue(u.contains(1883));
        assertTrue(u.contains(8884));
        assertFalse(u.contains(1884));
        assertFalse(u.contains(-1));
        assertEquals(65536, PortSet.ALL.size());
        assertTrue(PortSet.EMPTY.isEmpty());
        assertEquals(PortSet.EMPTY, PortSet.EMPTY.union(PortSet.EMPTY));
        assertEquals(u, u.union(PortSet.EMPTY));
        assertEquals(p("1..10"), p("1..4").union(p("5..10")), "union merges neighbours");
    }

    @Test
    void containsAllAndOverlaps() {
        PortSet s = p("1000..2000,3000..4000");
        assertTrue(s.containsAll(p("1500..1600,3000")));
        assertFalse(s.containsAll(p("1500..3500")), "the gap 2001..2999 is not in the set");
        assertTrue(s.containsAll(PortSet.EMPTY));
        assertTrue(PortSet.ALL.containsAll(s));
        assertFalse(PortSet.EMPTY.containsAll(s));
        assertTrue(s.overlaps(p("2000..2500")));
        assertTrue(s.overlaps(p("2500..3000")));
        assertFalse(s.overlaps(p("2001..2999")));
        assertFalse(s.overlaps(PortSet.EMPTY));
        assertTrue(PortSet.single(80).overlaps(PortSet.range(1, 1024)));
    }

    @Test
    void printsCompactly() {
        assertEquals("1883", p("1883").toString());
        assertEquals("1024..65535", p("1024-65535").toString());
        assertEquals("[1883, 8883]", p("1883,8883").toString());
        assertEquals("[]", PortSet.EMPTY.toString());
    }

    @Test
    void rangesAreImmutable() {
        assertThrows(UnsupportedOperationException.class, () -> p("1").ranges().add(r(2, 2)));
    }
}
