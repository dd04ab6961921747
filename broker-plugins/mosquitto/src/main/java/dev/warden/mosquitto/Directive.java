package dev.warden.mosquitto;

import dev.warden.model.Origin;

/**
 * One configuration line split like mosquitto's {@code strtok_r(line, " ")}: words are separated by spaces only
 * (a tab is part of a word), and the value readers consume the rest of the line as mosquitto does.
 */
final class Directive {
    private final String name;
    private final String line;
    private final Origin origin;
    private int pos;

    private Directive(String name, String line, int pos, Origin origin) {
        this.name = name;
        this.line = line;
        this.pos = pos;
        this.origin = origin;
    }

    /** The directive of a line, or null for a line mosquitto skips (comment in column 1, blank, spaces only). */
    static Directive parse(String text, Origin origin) {
        if (text.isEmpty() || text.charAt(0) == '#') return null;
        int i = 0;
        while (i < text.length() && text.charAt(i) == ' ') i++;
        if (i == text.length()) return null;
        int j = i;
        while (j < text.length() && text.charAt(j) != ' ') j++;
        return new Directive(text.substring(i, j), text, Math.min(j + 1, text.length()), origin);
    }

    String name() { return name; }

    Origin origin() { return origin; }

    /** The next space-separated word, or null ({@code strtok_r(NULL, " ")}). */
    String next() {
        int i = pos;
        while (i < line.length() && line.charAt(i) == ' ') i++;
        if (i >= line.length()) { pos = line.length(); return null; }
        int j = i;
        while (j < line.length() && line.charAt(j) != ' ') j++;
        pos = Math.min(j + 1, line.length());
        return line.substring(i, j);
    }

    /** The rest of the line untouched, or null when nothing is left ({@code strtok_r(NULL, "")}). */
    String restRaw() {
        if (pos >= line.length()) return null;
        String r = line.substring(pos);
        pos = line.length();
        return r;
    }

    /** The rest of the line with blanks trimmed, or null when empty (mosquitto's string values). */
    String restTrimmed() {
        String r = restRaw();
        if (r == null) return null;
        r = ConfText.trimBlanks(r);
        return r.isEmpty() ? null : r;
    }

    /** True when words are left that mosquitto will silently ignore (a {@code #...} tail is not counted). */
    boolean hasIgnoredTail() {
        int save = pos;
        String w = next();
        pos = save;
        return w != null && !w.startsWith("#");
    }

    /** C {@code atoi}: optional blanks and sign, then digits; anything else stops the number. */
    static long atoi(String s) {
        int i = 0;
        while (i < s.length() && ConfText.isSpace(s.charAt(i))) i++;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) { neg = s.charAt(i) == '-'; i++; }
        long v = 0;
        while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            v = v * 10 + (s.charAt(i) - '0');
            if (v > Integer.MAX_VALUE + 1L) { v = Integer.MAX_VALUE + 1L; }
            i++;
        }
        long r = neg ? -v : v;
        return Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, r));
    }

    /** True when {@code s} is a plain decimal integer (what {@code atoi} reads completely). */
    static boolean isPlainInt(String s) {
        return s.matches("[+-]?\\d{1,10}");
    }
}
