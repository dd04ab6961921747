package dev.warden.model.types;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The parsers of the value types reject bad input with {@link IllegalArgumentException} (carrying a message) and
 * nothing else, on arbitrary strings and on strings built from the characters each format uses.
 */
class TypeParserProperties {

    private static final List<Function<String, Object>> PARSERS = List.of(
            TopicFilter::parse, Cidr::parse, PortSet::parse, Version::parse, ByteSize::parse);

    private static void onlyIllegalArgument(Function<String, Object> parser, String s) {
        try {
            parser.apply(s);
        } catch (IllegalArgumentException e) {
            assertFalse(e.getMessage() == null || e.getMessage().isBlank(), "an empty message for `" + s + "`");
        } catch (RuntimeException | StackOverflowError e) {
            fail("`" + s + "` threw " + e, e);
        }
    }

    private static void allParsers(String s) {
        for (Function<String, Object> p : PARSERS) onlyIllegalArgument(p, s);
    }

    @Property(tries = 500)
    void arbitraryUnicode(@ForAll String s) { allParsers(s); }

    @Provide
    Arbitrary<String> formatSoup() {
        return Arbitraries.strings().withChars("0123456789abcdefABCDEFvx.:/-+#$%{}_~,KMGTiB \t\0").ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> tokenSoup() {
        return Arbitraries.of("1", "255", "256", "0", "65535", "65536", "99999999999999999999", ".", "..", ":", "::", "/", "/32", "/129", "-", ",",
                        "+", "#", "$", "$share/", "${", "}", "${x}", "KiB", "MB", "TiB", "v", "rc", "ffff", "1.2.3.4", "", " ", "٣")
                .list().ofMaxSize(10).map(l -> String.join("", l));
    }

    @Property(tries = 1000)
    void charactersOfTheFormats(@ForAll("formatSoup") String s) { allParsers(s); }

    @Property(tries = 1000)
    void tokensOfTheFormats(@ForAll("tokenSoup") String s) { allParsers(s); }

    // --- round trips and laws on valid values

    @Property(tries = 300)
    void byteSizePrintsWhatItParses(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long bytes) {
        ByteSize b = new ByteSize(bytes);
        assertEquals(b, ByteSize.parse(b.toString()));
    }

    @Provide
    Arbitrary<PortSet> portSets() {
        Arbitrary<PortSet.Range> range = Arbitraries.integers().between(0, 65535).tuple2()
                .map(t -> new PortSet.Range(Math.min(t.get1(), t.get2()), Math.max(t.get1(), t.get2())));
        return range.list().ofMaxSize(5).map(PortSet::of);
    }

    @Property(tries = 300)
    void portSetLaws(@ForAll("portSets") PortSet a, @ForAll("portSets") PortSet b, @ForAll("port") int port) {
        PortSet u = a.union(b);
        assertEquals(a.contains(port) || b.contains(port), u.contains(port));
        assertTrue(u.containsAll(a) && u.containsAll(b));
        assertEquals(u, b.union(a));
        if (!a.isEmpty() && !b.isEmpty()) {
            assertEquals(a.overlaps(b), b.overlaps(a));
            if (a.containsAll(b)) assertTrue(a.overlaps(b));
        }
        if (!a.isEmpty()) assertEquals(a, PortSet.parse(String.join(",", a.ranges().stream().map(PortSet.Range::toString).toList())));
        for (int i = 1; i < u.ranges().size(); i++) {
            assertTrue(u.ranges().get(i - 1).hi() + 1 < u.ranges().get(i).lo(), "sorted, disjoint, not adjacent");
        }
    }

    @Provide
    Arbitrary<Integer> port() { return Arbitraries.integers().between(0, 65535); }

    @Provide
    Arbitrary<Version> versions() {
        Arbitrary<String> nums = Arbitraries.integers().between(0, 12).list().ofMinSize(1).ofMaxSize(4)
                .map(l -> String.join(".", l.stream().map(String::valueOf).toList()));
        Arbitrary<String> qual = Arbitraries.of("", "-rc1", "-rc.2", "-rc.10", "-alpha", "-alpha.1", "-beta", "~b2");
        return nums.flatMap(n -> qual.map(q -> Version.parse(n + q)));
    }

    @Property(tries = 500)
    void versionOrderIsATotalOrderConsistentWithEquals(@ForAll("versions") Version a, @ForAll("versions") Version b,
                                                       @ForAll("versions") Version c) {
        assertEquals(Integer.signum(a.compareTo(b)), -Integer.signum(b.compareTo(a)));
        if (a.compareTo(b) <= 0 && b.compareTo(c) <= 0) assertTrue(a.compareTo(c) <= 0, a + " <= " + b + " <= " + c);
        assertEquals(a.compareTo(b) == 0, a.equals(b));
        if (a.equals(b)) assertEquals(a.hashCode(), b.hashCode());
    }

    @Provide
    Arbitrary<Cidr> cidrs() {
        Arbitrary<Cidr> v4 = Arbitraries.integers().between(0, 255).list().ofSize(4).flatMap(o -> Arbitraries.integers().between(0, 32)
                .map(p -> Cidr.parse(o.get(0) + "." + o.get(1) + "." + o.get(2) + "." + o.get(3) + "/" + p)));
        Arbitrary<Cidr> v6 = Arbitraries.integers().between(0, 0xffff).list().ofSize(8).flatMap(g -> Arbitraries.integers().between(0, 128)
                .map(p -> Cidr.parse(String.join(":", g.stream().map(Integer::toHexString).toList()) + "/" + p)));
        return Arbitraries.oneOf(v4, v6);
    }

    @Property(tries = 500)
    void cidrContainmentLaws(@ForAll("cidrs") Cidr a, @ForAll("cidrs") Cidr b) {
        assertEquals(a.overlaps(b), b.overlaps(a));
        if (a.contains(b)) assertTrue(a.overlaps(b));
        // two CIDR blocks of one family either nest or are disjoint
        if (a.v6() == b.v6()) assertEquals(a.overlaps(b), a.contains(b) || b.contains(a));
        assertTrue(a.contains(a));
        assertEquals(a, Cidr.parse(a.toString()));
    }
}
