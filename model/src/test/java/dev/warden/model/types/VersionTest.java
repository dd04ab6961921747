package dev.warden.model.types;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VersionTest {

    private static Version v(String s) { return Version.parse(s); }

    @Test
    void parsesNumbersAndQualifier() {
        Version x = v("v2.1.0-rc1");
        assertEquals(List.of(2, 1, 0), x.numbers());
        assertEquals("rc1", x.qualifier());
        assertEquals("v2.1.0-rc1", x.toString());
        assertEquals("", v("2.0.21").qualifier());
        assertEquals("beta", v("1.6beta").qualifier());
        assertEquals("rc.1", v("1.0.0~rc.1").qualifier());
        assertEquals(List.of(7), v("7").numbers());
    }

    @Test
    void trailingZerosDoNotMatter() {
        assertEquals(v("2.0"), v("2.0.0"));
        assertEquals(v("2.0").hashCode(), v("2.0.0").hashCode());
        assertEquals(0, v("2").compareTo(v("2.0.0.0")));
        assertEquals(v("v2.0"), v("2.0.0"));
        assertNotEquals(v("2.0.1"), v("2.0"));
    }

    @Test
    void ordersNumericallyNotLexically() {
        assertTrue(v("2.0.9").compareTo(v("2.0.10")) < 0);
        assertTrue(v("2.10").compareTo(v("2.9.9")) > 0);
        assertTrue(v("1.6.15").compareTo(v("2.0.0")) < 0);
        assertTrue(v("2.0.21").compareTo(v("2.1")) < 0);
    }

    @Test
    void preReleasesSortBeforeTheirRelease() {
        assertTrue(v("2.0.0-rc1").compareTo(v("2.0.0")) < 0);
        assertTrue(v("2.0-rc1").compareTo(v("2.0.0")) < 0, "padding applies before the qualifier");
        assertTrue(v("2.0.0-rc1").compareTo(v("1.9.9")) > 0);
        assertTrue(v("2.0.0-alpha").compareTo(v("2.0.0-beta")) < 0);
        assertTrue(v("2.0.0-rc.2").compareTo(v("2.0.0-rc.10")) < 0, "numeric identifiers compare as numbers");
        assertTrue(v("2.0.0-alpha").compareTo(v("2.0.0-alpha.1")) < 0, "more identifiers sort later");
        assertTrue(v("2.0.0-alpha.1").compareTo(v("2.0.0-alpha.beta")) < 0, "numeric before alphanumeric");
        assertNotEquals(v("2.0.0-rc.01"), v("2.0.0-rc.1"), "equal only when written alike, as hashCode requires");
    }

    @Test
    void semverPrecedenceExample() {
        // SemVer 2.0 §11
        List<String> ordered = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
                "1.0.0-rc.1", "1.0.0");
        List<Version> shuffled = new ArrayList<>(ordered.stream().map(Version::parse).toList());
        Collections.shuffle(shuffled, new Random(7));
        Collections.sort(shuffled);
        assertEquals(ordered, shuffled.stream().map(Version::toString).toList());
    }

    @Test
    void seriesPadsOrTruncates() {
        assertEquals("2.0", v("2.0.21").series(2).toString());
        assertEquals("2.0.0", v("2").series(3).toString());
        assertEquals(v("2.1"), v("2.1.7-rc1").series(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "v", "x2.0", "2.", ".2", "2..0", "2.0.", "2.0-", "2.0-1", "2.0.0-rc 1", "-2.0", "2,0", "99999999999",
            "1.99999999999.0", "٢.٠", "2.0 beta", "vv2"})
    void rejectsMalformedInput(String s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Version.parse(s));
        assertTrue(e.getMessage().startsWith("`"), e.getMessage());
    }
}
