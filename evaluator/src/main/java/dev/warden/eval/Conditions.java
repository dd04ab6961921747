package dev.warden.eval;

import dev.warden.dsl.ir.Node;
import dev.warden.model.fact.Value;

import java.util.Map;

/** Evaluates one compiled condition over given roots (used by runtime authorization for client conditions). */
public final class Conditions {
    private Conditions() {}

    /** The three-valued result: {@code Value.Bool} or {@code Value.Unknown}. */
    public static Value eval(Node condition, int slots, Map<String, Value> params, Map<String, Value> roots) {
        return new Interpreter(params, roots, slots).eval(condition);
    }

    /** True only when the condition is known to be true. */
    public static boolean isTrue(Value v) {
        return v instanceof Value.Bool b && b.v();
    }

    /** True only when the condition is known to be false. */
    public static boolean isFalse(Value v) {
        return v instanceof Value.Bool b && !b.v();
    }
}
