package dev.warden.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * A user-facing problem, as a value: level, stable code, location, message and optional help.
 * Messages follow one style: lowercase, no final period, user input in backticks.
 */
public record Diagnostic(Level level, String code, Origin at, int length, String message, String help) {

    /** How bad a diagnostic is. */
    public enum Level { ERROR, WARNING, INFO }

    /** Orders diagnostics by file, line, column, then code. */
    public static final Comparator<Diagnostic> ORDER = Comparator
            .comparing((Diagnostic d) -> d.at().source())
            .thenComparingInt(d -> d.at().line())
            .thenComparingInt(d -> d.at().column())
            .thenComparing(Diagnostic::code);

    public Diagnostic {
        Objects.requireNonNull(level);
        Objects.requireNonNull(code);
        Objects.requireNonNull(at);
        Objects.requireNonNull(message);
        help = help == null ? "" : help;
        length = Math.max(1, length);
    }

    public static Diagnostic error(String code, Origin at, String message, String help) {
        return new Diagnostic(Level.ERROR, code, at, 1, message, help);
    }

    public static Diagnostic warning(String code, Origin at, String message, String help) {
        return new Diagnostic(Level.WARNING, code, at, 1, message, help);
    }

    public boolean isError() { return level == Level.ERROR; }

    /** One-line form: {@code error[code]: file:line:col: message}. */
    public String oneLine() {
        return level.name().toLowerCase() + "[" + code + "]: " + at.display() + ": " + message
                + (help.isEmpty() ? "" : " (help: " + help + ")");
    }

    @Override public String toString() { return oneLine(); }
}
