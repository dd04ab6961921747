package dev.warden.model.types;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A dotted software version ({@code 2.0.21}, {@code v2.1.0-rc1}); pre-releases sort before their release. */
public record Version(List<Integer> numbers, String qualifier, String text) implements Comparable<Version> {

    private static final Pattern P = Pattern.compile("v?(\\d+(?:\\.\\d+)*)(?:[-~+]?([A-Za-z][0-9A-Za-z.-]*))?");

    public Version {
        numbers = List.copyOf(numbers);
        qualifier = qualifier == null ? "" : qualifier;
    }

    public static Version parse(String s) {
        Matcher m = P.matcher(s.trim());
        if (!m.matches()) throw new IllegalArgumentException("`" + s + "` is not a version (e.g. `2.0.21`)");
        List<Integer> nums = new ArrayList<>();
        for (String p : m.group(1).split("\\.")) {
            try {
                nums.add(Integer.parseInt(p));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("`" + s + "` has a version component that is too large");
            }
        }
        return new Version(nums, m.group(2), s.trim());
    }

    /** The first {@code n} components, zero-padded (e.g. {@code 2.0} of {@code 2.0.21}). */
    public Version series(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(i < numbers.size() ? numbers.get(i) : 0);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < out.size(); i++) { if (i > 0) b.append('.'); b.append(out.get(i)); }
        return new Version(out, "", b.toString());
    }

    @Override public int compareTo(Version o) {
        int n = Math.max(numbers.size(), o.numbers.size());
        for (int i = 0; i < n; i++) {
            int a = i < numbers.size() ? numbers.get(i) : 0;
            int b = i < o.numbers.size() ? o.numbers.get(i) : 0;
            if (a != b) return Integer.compare(a, b);
        }
        if (qualifier.isEmpty() != o.qualifier.isEmpty()) return qualifier.isEmpty() ? 1 : -1;
        int c = comparePreRelease(qualifier, o.qualifier);
        return c != 0 ? c : qualifier.compareTo(o.qualifier);
    }

    /** SemVer 2.0 §11: dot-separated identifiers; numeric ones compare as numbers and sort before alphanumeric ones. */
    private static int comparePreRelease(String a, String b) {
        String[] x = a.split("\\.", -1), y = b.split("\\.", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean nx = x[i].matches("\\d+"), ny = y[i].matches("\\d+");
            int c;
            if (nx && ny) c = new java.math.BigInteger(x[i]).compareTo(new java.math.BigInteger(y[i]));
            else if (nx != ny) c = nx ? -1 : 1;
            else c = x[i].compareTo(y[i]);
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    }

    @Override public boolean equals(Object o) { return o instanceof Version v && compareTo(v) == 0; }

    @Override public int hashCode() {
        List<Integer> trimmed = new ArrayList<>(numbers);
        while (!trimmed.isEmpty() && trimmed.get(trimmed.size() - 1) == 0) trimmed.remove(trimmed.size() - 1);
        return trimmed.hashCode() * 31 + qualifier.hashCode();
    }

    @Override public String toString() { return text; }
}
