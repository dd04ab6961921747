package dev.warden.model;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Renders diagnostics with the offending source line and a caret, rustc/Cedar style. */
public final class DiagnosticRenderer {
    private DiagnosticRenderer() {}

    /**
     * Renders one diagnostic; {@code source} returns the text of a file by its origin source name, if available.
     */
    public static String render(Diagnostic d, Function<String, Optional<String>> source) {
        StringBuilder b = new StringBuilder();
        b.append(d.level().name().toLowerCase()).append('[').append(d.code()).append("]: ").append(d.message()).append('\n');
        Origin at = d.at();
        b.append("  --> ").append(at.display()).append('\n');
        String line = null;
        if (at.kind() == Origin.Kind.FILE && at.line() > 0) {
            Optional<String> text = source.apply(at.source());
            if (text.isPresent()) {
                List<String> lines = text.get().lines().toList();
                if (at.line() <= lines.size()) line = lines.get(at.line() - 1);
            }
        }
        String num = Integer.toString(Math.max(at.line(), 0));
        String pad = " ".repeat(num.length());
        if (line != null) {
            String shown = line.replace('\t', ' ');
            b.append(pad).append(" |\n");
            b.append(num).append(" | ").append(shown).append('\n');
            int col = Math.max(1, at.column());
            int len = Math.max(1, Math.min(d.length(), Math.max(1, shown.length() - col + 1)));
            b.append(pad).append(" | ").append(" ".repeat(Math.min(col - 1, shown.length()))).append("^".repeat(len)).append('\n');
        }
        if (!d.help().isEmpty()) b.append(pad).append(" = help: ").append(d.help()).append('\n');
        return b.toString();
    }
}
