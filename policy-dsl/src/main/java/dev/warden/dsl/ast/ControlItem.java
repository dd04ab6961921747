package dev.warden.dsl.ast;

import java.util.List;
import java.util.Optional;

/** The clauses of a control, in source order. */
public sealed interface ControlItem {

    Span span();

    /** {@code severity high}. */
    record Severity(String name, Span span) implements ControlItem {}

    /** {@code tags [a, b]}. */
    record Tags(List<String> tags, Span span) implements ControlItem { public Tags { tags = List.copyOf(tags); } }

    /** {@code description "..."}. */
    record Description(String text, Span span) implements ControlItem {}

    /** {@code remediation "..."}. */
    record Remediation(String text, Span span) implements ControlItem {}

    /** {@code references ["..."]}. */
    record References(List<String> refs, Span span) implements ControlItem { public References { refs = List.copyOf(refs); } }

    /** {@code for x in source [where filter]}. */
    record For(String var, Span varSpan, Expr source, Optional<Expr> where, Span span) implements ControlItem {}

    /** {@code when guard}: the control does not apply where the guard is false. */
    record When(Expr guard, Span span) implements ControlItem {}

    /** {@code let x = e}. */
    record Let(String name, Span nameSpan, Expr value, Span span) implements ControlItem {}

    /** {@code require e [else "msg"]} or {@code forbid e [else "msg"]}. */
    record Check(boolean forbid, Expr condition, Optional<Template> message, Span span) implements ControlItem {}
}
