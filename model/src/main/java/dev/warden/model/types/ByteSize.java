package dev.warden.model.types;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A number of bytes; parses {@code 128KiB}, {@code 1MB}, {@code 512B} (SI units are powers of 1000, IEC of 1024). */
public record ByteSize(long bytes) implements Comparable<ByteSize> {

    private static final Pattern P = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?");

    public ByteSize {
        if (bytes < 0) throw new IllegalArgumentException("a size cannot be negative");
    }

    public static ByteSize parse(String s) {
        Matcher m = P.matcher(s.trim());
        if (!m.matches()) throw new IllegalArgumentException("`" + s + "` is not a size (e.g. `256KiB`, `1MB`)");
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("`" + s + "` is too large");
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        long mult = switch (unit) {
            case "B" -> 1L;
            case "KB" -> 1000L; case "MB" -> 1000_000L; case "GB" -> 1000_000_000L; case "TB" -> 1000_000_000_000L;
            case "KiB" -> 1L << 10; case "MiB" -> 1L << 20; case "GiB" -> 1L << 30; case "TiB" -> 1L << 40;
            default -> throw new IllegalArgumentException(unit);
        };
        try {
            return new ByteSize(Math.multiplyExact(n, mult));
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("`" + s + "` is too large");
        }
    }

    @Override public int compareTo(ByteSize o) { return Long.compare(bytes, o.bytes); }

    @Override public String toString() {
        String[] iec = {"B", "KiB", "MiB", "GiB", "TiB"};
        long v = bytes;
        int u = 0;
        while (u < iec.length - 1 && v != 0 && v % 1024 == 0) { v /= 1024; u++; }
        if (u == 0 && bytes != 0 && bytes % 1000 == 0) {
            String[] si = {"B", "KB", "MB", "GB", "TB"};
            v = bytes; int k = 0;
            while (k < si.length - 1 && v % 1000 == 0) { v /= 1000; k++; }
            return v + si[k];
        }
        return String.format(Locale.ROOT, "%d%s", v, iec[u]);
    }
}
