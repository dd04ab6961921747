package dev.warden.model.types;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CidrTest {

    private static Cidr c(String s) { return Cidr.parse(s); }

    @Test
    void parsesIpv4WithAndWithoutPrefix() {
        Cidr a = c("10.1.2.3");
        assertFalse(a.v6());
        assertEquals(32, a.prefix());
        assertEquals(BigInteger.valueOf(0x0a010203L), a.network());
        Cidr n = c("10.1.2.3/8");
        assertEquals(8, n.prefix());
        assertEquals(BigInteger.valueOf(0x0a000000L), n.network(), "host bits are masked off");
        assertEquals("10.1.2.3/8", n.toString(), "text is kept as written");
        assertEquals(c("10.0.0.0/8"), n);
        assertEquals(c("10.0.0.0/8").hashCode(), n.hashCode());
        assertEquals(c(" 192.168.0.0/16 "), c("192.168.0.0/16"), "surrounding blanks are ignored");
        assertEquals(BigInteger.ZERO, c("0.0.0.0/0").network());
        assertEquals(BigInteger.valueOf(0xffffffffL), c("255.255.255.255").network());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "::                         | 0",
            "::1                        | 1",
            "1::                        | 5192296858534827628530496329220096",
            "2001:db8::1                | 42540766411282592856903984951653826561",
            "2001:DB8:0:0:0:0:0:1       | 42540766411282592856903984951653826561",
            "::ffff:192.0.2.1           | 281473902969345",
            "::ffff:c000:201            | 281473902969345",
            "64:ff9b::192.0.2.1         | 524413980667603649783483184533471745",
            "1:2:3:4:5:6:1.2.3.4        | 5192455318486707404433266449711876",
            "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff | 340282366920938463463374607431768211455",
    })
    void parsesIpv6IncludingCompressionAndEmbeddedIpv4(String text, String value) {
        Cidr a = c(text);
        assertTrue(a.v6());
        assertEquals(128, a.prefix());
        assertEquals(new BigInteger(value), a.network());
    }

    @Test
    void ipv6PrefixMasksHostBits() {
        Cidr n = c("2001:db8::1/32");
        assertEquals(c("2001:db8::/32"), n);
        assertEquals(32, n.prefix());
        assertEquals(c("::/0"), c("ffff::/0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "/", "/8", "10.0.0", "10.0.0.0.0", "10.0.0.256", "10.0.0.-1", "10.0.0.1/33", "10.0.0.1/", "10.0.0.1/-1",
            "10.0.0.1/8/8", "10.0.0.1/1234", "a.b.c.d", "10..0.1", "1.2.3.4 /8", "١.٢.٣.٤", "::/129", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9",
            "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "12345::", "g::", "::1.2.3", "::1.2.3.4.5", "1.2.3.4::", "1:2:3:4:5:6:7:1.2.3.4",
            "fe80::1%eth0", ":1::", "1:", "::ffff:1.2.3.256", "localhost"})
    void rejectsMalformedInput(String s) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.parse(s));
        assertTrue(e.getMessage().contains("`"), "the message quotes the input: " + e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/8      | 10.1.0.0/16     | true  | true",
            "10.1.0.0/16     | 10.0.0.0/8      | false | true",
            "10.0.0.0/8      | 10.0.0.0/8      | true  | true",
            "10.0.0.0/8      | 11.0.0.0/8      | false | false",
            "10.0.0.0/8      | 10.255.255.255  | true  | true",
            "10.0.0.0/8      | 9.255.255.255   | false | false",
            "0.0.0.0/0       | 255.255.255.255 | true  | true",
            "192.168.1.0/24  | 192.168.1.128/25| true  | true",
            "192.168.1.0/25  | 192.168.1.128/25| false | false",
            "::/0            | 2001:db8::/32   | true  | true",
            "2001:db8::/32   | 2001:db9::/32   | false | false",
            "2001:db8::/31   | 2001:db9::/32   | true  | true",
            "0.0.0.0/0       | ::/0            | false | false",
            "::ffff:0:0/96   | 10.0.0.1        | false | false",
    })
    void containsAndOverlaps(String a, String b, boolean contains, boolean overlaps) {
        assertEquals(contains, c(a).contains(c(b)), a + " contains " + b);
        assertEquals(overlaps, c(a).overlaps(c(b)), a + " overlaps " + b);
        assertEquals(overlaps, c(b).overlaps(c(a)), "overlaps is symmetric");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0.0.0.0/0        | true",   // the whole address space
            "::/0             | true",
            "0.0.0.0/1        | true",
            "8.0.0.0/8        | true",   // a public /8 is "the internet" by default
            "8.0.0.0/9        | false",
            "8.8.8.8          | false",
            "10.0.0.0/8       | false",  // private
            "172.16.0.0/12    | false",
            "192.168.0.0/16   | false",
            "127.0.0.0/8      | false",  // loopback
            "100.64.0.0/10    | false",  // CGNAT
            "224.0.0.0/4      | false",  // multicast
            "240.0.0.0/4      | false",  // reserved
            "2000::/3         | true",
            "2001:4860::/32   | true",   // public /32 counts by default
            "2001:4860::/33   | false",
            "2001:db8::/32    | false",  // documentation
            "fc00::/7         | false",  // unique local
            "fe80::/10        | false",  // link-local
            "::1              | false",
    })
    void isInternetDefaults(String cidr, boolean expected) {
        assertEquals(expected, c(cidr).isInternet(), cidr);
    }

    @Test
    void isInternetThresholdsAreConfigurable() {
        assertTrue(c("8.8.0.0/16").isInternet(16, 48));
        assertFalse(c("8.8.0.0/16").isInternet(15, 48));
        assertTrue(c("2001:4860::/48").isInternet(8, 48));
        assertFalse(c("10.0.0.0/8").isInternet(32, 128), "non-public ranges never count");
    }

    @Test
    void loopbackAndNonPublic() {
        assertTrue(c("127.0.0.1").isLoopback());
        assertTrue(c("127.0.0.0/8").isLoopback());
        assertFalse(c("127.0.0.0/7").isLoopback());
        assertTrue(c("::1").isLoopback());
        assertFalse(c("::2").isLoopback());
        assertTrue(c("10.20.0.0/16").isNonPublic());
        assertFalse(c("0.0.0.0/0").isNonPublic());
        assertTrue(c("0.0.0.0/0").isAnyAddress());
        assertFalse(c("0.0.0.0/1").isAnyAddress());
    }

    @Test
    void equalityIgnoresFamilyOnlyWhenItShould() {
        assertNotEquals(c("0.0.0.0/0"), c("::/0"));
        assertNotEquals(c("10.0.0.0/8"), c("10.0.0.0/16"));
    }
}
