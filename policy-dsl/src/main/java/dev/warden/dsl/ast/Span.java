package dev.warden.dsl.ast;

import dev.warden.model.Origin;

/** A source range in a policy file: 1-based lines and columns, end exclusive. */
public record Span(String file, int line, int column, int endLine, int endColumn) {

    public static final Span NONE = new Span("", 0, 0, 0, 0);

    public Origin origin() { return Origin.file(file, line, column); }

    /** Characters to underline on the first line (at least 1). */
    public int length() { return endLine == line ? Math.max(1, endColumn - column) : 1; }

    public Span to(Span end) { return new Span(file, line, column, end.endLine, end.endColumn); }

    @Override public String toString() { return file + ":" + line + ":" + column; }
}
