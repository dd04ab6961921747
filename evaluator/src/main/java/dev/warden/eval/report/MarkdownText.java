package dev.warden.eval.report;

/** Escaping for GitHub-flavoured Markdown: plain text, code spans, and table cells. */
final class MarkdownText {

    private MarkdownText() {}

    /**
     * Plain text with every Markdown-active character backslash-escaped (so backticks, emphasis, links, HTML tags
     * and table pipes show literally). Line breaks become {@code <br>} when {@code inTable}, else a Markdown hard
     * break; other control characters are shown as {@code \u001b}-style escapes.
     */
    static String text(String s, boolean inTable) {
        if (s == null || s.isEmpty()) return "";
        String t = s.replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder b = new StringBuilder(t.length() + 16);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            switch (c) {
                case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '&', '#', '!', '$' -> b.append('\\').append(c);
                case '\n' -> b.append(inTable ? "<br>" : "\\\n");
                case '\t' -> b.append(' ');
                default -> {
                    if (Character.isISOControl(c) || isBidiControl(c)) b.append(String.format("\\\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    /**
     * A code span that shows {@code s} literally, whatever backticks it holds: the fence is one backtick longer
     * than the longest run inside, padded with a space when needed. Pipes are escaped when {@code inTable}
     * (GFM removes that backslash before parsing the span). Line breaks become spaces.
     */
    static String code(String s, boolean inTable) {
        if (s == null || s.isEmpty()) return "";
        StringBuilder clean = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\n' || c == '\r' || c == '\t') clean.append(' ');
            else if (Character.isISOControl(c) || isBidiControl(c)) clean.append(String.format("\\u%04x", (int) c));
            else clean.append(c);
        }
        String body = clean.toString();
        int longest = 0, run = 0;
        for (int i = 0; i < body.length(); i++) {
            if (body.charAt(i) == '`') longest = Math.max(longest, ++run); else run = 0;
        }
        String fence = "`".repeat(longest + 1);
        boolean pad = body.startsWith("`") || body.endsWith("`") || (body.startsWith(" ") && body.endsWith(" ") && !body.isBlank());
        if (inTable) body = body.replace("|", "\\|");
        return pad ? fence + " " + body + " " + fence : fence + body + fence;
    }

    private static boolean isBidiControl(char ch) {
        return (ch >= '\u202a' && ch <= '\u202e') || (ch >= '\u2066' && ch <= '\u2069') || ch == '\u200e' || ch == '\u200f'
                || ch == '\u061c';
    }
}
