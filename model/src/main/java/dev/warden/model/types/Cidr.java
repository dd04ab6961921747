package dev.warden.model.types;

import java.math.BigInteger;
import java.util.List;

/** An IPv4 or IPv6 address range in CIDR notation; a bare address is a /32 or /128. */
public record Cidr(boolean v6, BigInteger network, int prefix, String text) {

    private static final List<Cidr> NON_PUBLIC = List.of(
            parse("0.0.0.0/8"), parse("10.0.0.0/8"), parse("100.64.0.0/10"), parse("127.0.0.0/8"),
            parse("169.254.0.0/16"), parse("172.16.0.0/12"), parse("192.0.0.0/24"), parse("192.0.2.0/24"),
            parse("192.168.0.0/16"), parse("198.18.0.0/15"), parse("198.51.100.0/24"), parse("203.0.113.0/24"),
            parse("224.0.0.0/3"),
            parse("::/128"), parse("::1/128"), parse("fc00::/7"), parse("fe80::/10"), parse("ff00::/8"), parse("2001:db8::/32"));

    /** Parses {@code a.b.c.d[/n]} or an IPv6 address with optional {@code /n}. */
    public static Cidr parse(String s) {
        String t = s.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        boolean v6 = addr.indexOf(':') >= 0;
        int max = v6 ? 128 : 32;
        int prefix = max;
        if (slash >= 0) {
            String p = t.substring(slash + 1);
            if (!p.matches("\\d{1,3}")) throw new IllegalArgumentException("`" + s + "` has an invalid prefix length");
            prefix = Integer.parseInt(p);
            if (prefix > max) throw new IllegalArgumentException("`" + s + "` has a prefix longer than /" + max);
        }
        BigInteger value = v6 ? parseV6(addr, s) : parseV4(addr, s);
        BigInteger mask = BigInteger.ONE.shiftLeft(max).subtract(BigInteger.ONE)
                .xor(BigInteger.ONE.shiftLeft(max - prefix).subtract(BigInteger.ONE));
        return new Cidr(v6, value.and(mask), prefix, t);
    }

    private static BigInteger parseV4(String a, String orig) {
        String[] parts = a.split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("`" + orig + "` is not an IPv4 or IPv6 address");
        long v = 0;
        for (String p : parts) {
            if (!p.matches("\\d{1,3}")) throw new IllegalArgumentException("`" + orig + "` is not an IPv4 address");
            int n = Integer.parseInt(p);
            if (n > 255) throw new IllegalArgumentException("`" + orig + "` has an octet above 255");
            v = (v << 8) | n;
        }
        return BigInteger.valueOf(v);
    }

    private static BigInteger parseV6(String a, String orig) {
        String addr = a;
        long[] tail4 = null;
        int lastColon = addr.lastIndexOf(':');
        if (addr.indexOf('.') > lastColon && addr.indexOf('.') >= 0) {
            BigInteger v4 = parseV4(addr.substring(lastColon + 1), orig);
            tail4 = new long[] {v4.longValue() >>> 16, v4.longValue() & 0xffff};
            addr = addr.substring(0, lastColon + 1) + "0:0";
        }
        int dbl = addr.indexOf("::");
        if (dbl >= 0 && addr.indexOf("::", dbl + 1) >= 0) throw new IllegalArgumentException("`" + orig + "` has more than one `::`");
        String[] head, tail;
        if (dbl >= 0) {
            String h = addr.substring(0, dbl), tl = addr.substring(dbl + 2);
            head = h.isEmpty() ? new String[0] : h.split(":", -1);
            tail = tl.isEmpty() ? new String[0] : tl.split(":", -1);
            if (head.length + tail.length > 7) throw new IllegalArgumentException("`" + orig + "` is not an IPv6 address");
        } else {
            head = addr.split(":", -1);
            tail = new String[0];
            if (head.length != 8) throw new IllegalArgumentException("`" + orig + "` is not an IPv6 address");
        }
        long[] groups = new long[8];
        for (int i = 0; i < head.length; i++) groups[i] = group(head[i], orig);
        for (int i = 0; i < tail.length; i++) groups[8 - tail.length + i] = group(tail[i], orig);
        if (tail4 != null) { groups[6] = tail4[0]; groups[7] = tail4[1]; }
        BigInteger v = BigInteger.ZERO;
        for (long g : groups) v = v.shiftLeft(16).or(BigInteger.valueOf(g));
        return v;
    }

    private static long group(String g, String orig) {
        if (!g.matches("[0-9A-Fa-f]{1,4}")) throw new IllegalArgumentException("`" + orig + "` is not an IPv6 address");
        return Long.parseLong(g, 16);
    }

    private int bits() { return v6 ? 128 : 32; }

    /** First address outside the range. */
    private BigInteger end() { return network.add(BigInteger.ONE.shiftLeft(bits() - prefix)); }

    public boolean contains(Cidr other) {
        return v6 == other.v6 && prefix <= other.prefix && network.compareTo(other.network) <= 0 && other.end().compareTo(end()) <= 0;
    }

    public boolean overlaps(Cidr other) {
        return v6 == other.v6 && network.compareTo(other.end()) < 0 && other.network.compareTo(end()) < 0;
    }

    /** True for {@code 0.0.0.0/0} and {@code ::/0}. */
    public boolean isAnyAddress() { return prefix == 0; }

    /** True when the whole range is private, loopback, link-local, documentation or otherwise not globally routable. */
    public boolean isNonPublic() {
        for (Cidr c : NON_PUBLIC) if (c.contains(this)) return true;
        return false;
    }

    public boolean isLoopback() {
        return v6 ? parse("::1/128").contains(this) : parse("127.0.0.0/8").contains(this);
    }

    /**
     * True when the range stands for "the internet": the whole address space, or a publicly routable range at least
     * as wide as {@code /v4Prefix} (IPv4) or {@code /v6Prefix} (IPv6).
     */
    public boolean isInternet(int v4Prefix, int v6Prefix) {
        if (isAnyAddress()) return true;
        if (isNonPublic()) return false;
        return prefix <= (v6 ? v6Prefix : v4Prefix);
    }

    /** {@link #isInternet(int, int)} with the documented defaults /8 and /32. */
    public boolean isInternet() { return isInternet(8, 32); }

    @Override public boolean equals(Object o) { return o instanceof Cidr c && v6 == c.v6 && prefix == c.prefix && network.equals(c.network); }

    @Override public int hashCode() { return network.hashCode() * 31 + prefix; }

    @Override public String toString() { return text; }
}
