package dev.warden.dsl.ast;

import java.util.Optional;

/** The clauses of an {@code authorize} block, in source order. */
public sealed interface AuthzItem {

    Span span();

    /** {@code default deny}. */
    record Default(String word, Span wordSpan, Span span) implements AuthzItem {}

    /** {@code connect require e [else "msg"]} or {@code connect forbid e [else "msg"]}. */
    record Connect(boolean forbid, Expr condition, Optional<Template> message, Span span) implements AuthzItem {}

    /** {@code allow|deny <action> "pattern" [qos a[..b]] [retain true|false] [when e]}. */
    record Rule(boolean allow, String action, Span actionSpan, String pattern, Span patternSpan,
                Optional<int[]> qos, Span qosSpan, Optional<Boolean> retain, Optional<Expr> when, Span span) implements AuthzItem {}

    /** {@code limit <what> [per <scope>] <value> [burst <value>] [then <action>]}. */
    record Limit(String what, Span whatSpan, Optional<String> per, Span perSpan, LimitValue value,
                 Optional<LimitValue> burst, Optional<String> then, Span thenSpan, Span span) implements AuthzItem {}

    /** A written limit amount: {@code 10/s}, {@code 64KiB/s}, {@code 128KiB} or {@code 20}. */
    record LimitValue(String text, Span span) {}
}
