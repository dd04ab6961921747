package dev.warden.dsl.ast;

import java.util.List;

/** A message with {@code {expr}} holes; {@code {{} and {@code }}} are literal braces. */
public record Template(String source, List<Part> parts, Span span) {

    public Template { parts = List.copyOf(parts); }

    /** A piece of a template. */
    public sealed interface Part {}

    /** Literal text. */
    public record Text(String text) implements Part {}

    /** An interpolated expression. */
    public record Hole(Expr expr) implements Part {}
}
