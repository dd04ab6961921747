package dev.warden.dsl.parse;

/** Decoding of string literals: escapes and triple-quoted blocks. */
final class Strings {
    private Strings() {}

    /** Decodes a quoted token ({@code "..."} or {@code """..."""}). */
    static String decode(String token) {
        if (token.startsWith("\"\"\"")) return block(token.substring(3, token.length() - 3));
        String body = token.substring(1, token.length() - 1);
        StringBuilder b = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                char n = body.charAt(++i);
                switch (n) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    default -> b.append(n);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** A text block: drops the first line break and the common indentation, keeps a final newline. */
    static String block(String raw) {
        String s = raw.replace("\r\n", "\n");
        if (s.startsWith("\n")) s = s.substring(1);
        String[] lines = s.split("\n", -1);
        int indent = Integer.MAX_VALUE;
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            boolean last = i == lines.length - 1;
            if (l.isBlank() && !last) continue;
            int n = 0;
            while (n < l.length() && (l.charAt(n) == ' ' || l.charAt(n) == '\t')) n++;
            if (last && l.isBlank()) { indent = Math.min(indent, n); continue; }
            indent = Math.min(indent, n);
        }
        if (indent == Integer.MAX_VALUE) indent = 0;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            boolean last = i == lines.length - 1;
            if (last && l.isBlank()) break;
            b.append(l.length() >= indent ? l.substring(indent) : l.strip());
            if (!last) b.append('\n');
        }
        return b.toString();
    }
}
