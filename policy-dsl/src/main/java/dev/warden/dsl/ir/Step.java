package dev.warden.dsl.ir;

import dev.warden.model.Origin;

import java.util.List;

/** The clauses of a compiled control, executed in order. */
public sealed interface Step {

    /** Iterate a collection; each element is a resource. {@code where} may be null. */
    record For(int slot, String var, Node source, Node where, String sourceText) implements Step {}

    /** Skip (not applicable) where the guard is false. */
    record When(Node guard, String sourceText) implements Step {}

    /** Bind a local. */
    record Let(int slot, String name, Node value) implements Step {}

    /** A requirement: fails when {@code condition} is false (or, for {@code forbid}, true). */
    record Check(boolean forbid, Node condition, Message message, String sourceText, Origin at) implements Step {}

    /** A message template: literal text (string constants) and interpolated nodes, in order. */
    record Message(List<Node> parts) {
        public Message { parts = List.copyOf(parts); }
    }
}
