package dev.warden.mosquitto;

import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;

import java.util.ArrayList;
import java.util.List;

/** Collects the diagnostics of one collection run. */
final class Diags {
    private final List<Diagnostic> list = new ArrayList<>();

    void error(String code, Origin at, String message, String help) {
        list.add(Diagnostic.error(code, at, message, help));
    }

    void warning(String code, Origin at, String message, String help) {
        list.add(Diagnostic.warning(code, at, message, help));
    }

    void info(String code, Origin at, String message, String help) {
        list.add(new Diagnostic(Diagnostic.Level.INFO, code, at, 1, message, help));
    }

    List<Diagnostic> all() { return list; }

    /** Wraps user input in backticks, shortened and without control characters, for messages. */
    static String q(String s) {
        String t = s == null ? "" : s;
        StringBuilder b = new StringBuilder(Math.min(t.length(), 80) + 2).append('`');
        int n = 0;
        for (int i = 0; i < t.length() && n < 80; i++, n++) {
            char c = t.charAt(i);
            if (c == '\t') b.append("\\t");
            else if (c == '\r') b.append("\\r");
            else if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else if (c == '`') b.append('\'');
            else b.append(c);
        }
        if (t.length() > 80) b.append('…');
        return b.append('`').toString();
    }
}
