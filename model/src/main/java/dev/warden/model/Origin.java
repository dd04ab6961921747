package dev.warden.model;

import java.util.Objects;

/** Where a fact or a policy element came from: a file position, an API resource, or a documented default. */
public record Origin(Kind kind, String source, int line, int column, String note) {

    /** What kind of place an origin names. */
    public enum Kind { FILE, API, DEFAULT, DERIVED, NONE }

    public static final Origin NONE = new Origin(Kind.NONE, "", 0, 0, "");

    public Origin {
        Objects.requireNonNull(kind, "kind");
        source = source == null ? "" : source;
        note = note == null ? "" : note;
    }

    public static Origin file(String file, int line) { return new Origin(Kind.FILE, file, line, 0, ""); }

    public static Origin file(String file, int line, int column) { return new Origin(Kind.FILE, file, line, column, ""); }

    /** A value that was not written anywhere: the documented default, with its source (e.g. {@code mosquitto.conf(5)}). */
    public static Origin defaulted(String file, String documentedBy) { return new Origin(Kind.DEFAULT, file, 0, 0, documentedBy); }

    public static Origin api(String resource, String call) { return new Origin(Kind.API, resource, 0, 0, call); }

    /** True when this origin names a concrete line in a file. */
    public boolean hasLine() { return kind == Kind.FILE && line > 0; }

    public Origin withNote(String n) { return new Origin(kind, source, line, column, n); }

    /** {@code file:line[:col]}, or the source alone. */
    public String display() {
        if (kind == Kind.NONE) return "<unknown>";
        if (line <= 0) return source;
        return column > 0 ? source + ":" + line + ":" + column : source + ":" + line;
    }

    @Override public String toString() { return display() + (note.isEmpty() ? "" : " (" + note + ")"); }
}
