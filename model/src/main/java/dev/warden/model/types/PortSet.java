package dev.warden.model.types;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** A set of TCP/UDP ports as sorted, disjoint, inclusive ranges within 0..65535. */
public record PortSet(List<Range> ranges) {

    /** An inclusive port range. */
    public record Range(int lo, int hi) {
        public Range {
            if (lo < 0 || hi > 65535 || lo > hi) throw new IllegalArgumentException("invalid port range " + lo + ".." + hi);
        }
        @Override public String toString() { return lo == hi ? Integer.toString(lo) : lo + ".." + hi; }
    }

    public static final PortSet ALL = of(List.of(new Range(0, 65535)));
    public static final PortSet EMPTY = new PortSet(List.of());

    public PortSet { ranges = List.copyOf(ranges); }

    public static PortSet single(int port) { return of(List.of(new Range(port, port))); }

    public static PortSet range(int lo, int hi) { return of(List.of(new Range(lo, hi))); }

    /** Normalises any collection of ranges (merging overlaps and neighbours). */
    public static PortSet of(Collection<Range> in) {
        List<Range> sorted = new ArrayList<>(in);
        sorted.sort(Comparator.comparingInt(Range::lo));
        List<Range> out = new ArrayList<>();
        for (Range r : sorted) {
            if (!out.isEmpty() && out.get(out.size() - 1).hi() + 1 >= r.lo()) {
                Range last = out.remove(out.size() - 1);
                out.add(new Range(last.lo(), Math.max(last.hi(), r.hi())));
            } else {
                out.add(r);
            }
        }
        return new PortSet(out);
    }

    /** Parses {@code 1883}, {@code 1024..65535}, {@code 1024-65535} or a comma-separated list of those. */
    public static PortSet parse(String s) {
        List<Range> rs = new ArrayList<>();
        for (String part : s.split(",", -1)) {
            String p = part.trim();
            String[] lohi = p.contains("..") ? p.split("\\.\\.", -1) : p.split("-", -1);
            try {
                if (lohi.length > 2) throw new IllegalArgumentException("`" + s + "` is not a port set (e.g. `1883`, `1024..65535`)");
                int lo = port(lohi[0]), hi = port(lohi[lohi.length - 1]);
                if (hi > 65535) throw new IllegalArgumentException("`" + s + "` has a port above 65535");
                if (lo > hi) throw new IllegalArgumentException("`" + s + "` has a range whose low end comes last");
                rs.add(new Range(lo, hi));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("`" + s + "` is not a port set (e.g. `1883`, `1024..65535`)");
            }
        }
        return of(rs);
    }

    /** A port number in ASCII digits (no sign, no other scripts' digits). */
    private static int port(String text) {
        String t = text.trim();
        if (!t.matches("[0-9]{1,9}")) throw new NumberFormatException(t);
        return Integer.parseInt(t);
    }

    public PortSet union(PortSet o) {
        List<Range> all = new ArrayList<>(ranges);
        all.addAll(o.ranges);
        return of(all);
    }

    public boolean contains(int port) {
        for (Range r : ranges) if (r.lo() <= port && port <= r.hi()) return true;
        return false;
    }

    /** True when every port of {@code o} is in this set. */
    public boolean containsAll(PortSet o) {
        outer:
        for (Range x : o.ranges) {
            for (Range r : ranges) if (r.lo() <= x.lo() && x.hi() <= r.hi()) continue outer;
            return false;
        }
        return true;
    }

    public boolean overlaps(PortSet o) {
        for (Range a : ranges) for (Range b : o.ranges) if (a.lo() <= b.hi() && b.lo() <= a.hi()) return true;
        return false;
    }

    public boolean isEmpty() { return ranges.isEmpty(); }

    public long size() {
        long n = 0;
        for (Range r : ranges) n += r.hi() - r.lo() + 1L;
        return n;
    }

    @Override public String toString() {
        if (ranges.size() == 1) return ranges.get(0).toString();
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < ranges.size(); i++) { if (i > 0) b.append(", "); b.append(ranges.get(i)); }
        return b.append(']').toString();
    }
}
