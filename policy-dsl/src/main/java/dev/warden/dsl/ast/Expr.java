package dev.warden.dsl.ast;

import java.util.List;
import java.util.Optional;

/** Policy expressions. */
public sealed interface Expr {

    Span span();

    /** A string literal; {@code interpolated} is true for message templates. */
    record Str(String value, Span span) implements Expr {}

    /** An integer literal. */
    record Int(long value, Span span) implements Expr {}

    /** A boolean literal. */
    record Bool(boolean value, Span span) implements Expr {}

    /** A size literal such as {@code 256KiB}. */
    record Size(String text, Span span) implements Expr {}

    /** A duration literal such as {@code 30d}. */
    record Duration(String text, Span span) implements Expr {}

    /** An IPv4 CIDR literal such as {@code 10.0.0.0/8}. */
    record Cidr(String text, Span span) implements Expr {}

    /** A port range literal such as {@code 1024..65535}. */
    record Range(long lo, long hi, Span span) implements Expr {}

    /** A list literal. */
    record ListLit(List<Expr> items, Span span) implements Expr { public ListLit { items = List.copyOf(items); } }

    /** A bare name: a variable, a param, a let binding or a fact root. */
    record Name(String name, Span span) implements Expr {}

    /** Field access {@code target.name}. */
    record Field(Expr target, String name, Span nameSpan, Span span) implements Expr {}

    /** A call of a built-in function. */
    record Call(String function, List<Expr> args, Span nameSpan, Span span) implements Expr { public Call { args = List.copyOf(args); } }

    /** {@code not e}. */
    record Not(Expr operand, Span span) implements Expr {}

    /** {@code a and b} / {@code a or b}. */
    record Logic(boolean and, Expr left, Expr right, Span span) implements Expr {}

    /** A binary operator. */
    record Binary(BinOp op, Expr left, Expr right, Span opSpan, Span span) implements Expr {}

    /** {@code e is [not] test}. */
    record Is(Expr operand, boolean negated, String test, Span testSpan, Span span) implements Expr {}

    /** {@code any|all|none x in xs [where p]: body}. */
    record Quant(Quantifier kind, String var, Expr source, Optional<Expr> where, Expr body, Span span) implements Expr {}

    /** {@code count(x in xs [where p])}. */
    record Count(String var, Expr source, Optional<Expr> where, Span span) implements Expr {}

    /** Binary operators. */
    enum BinOp {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), IN("in"), NOT_IN("not in"),
        WITHIN("within"), OVERLAPS("overlaps"), CONTAINS("contains"), MATCHES("matches");

        public final String symbol;

        BinOp(String symbol) { this.symbol = symbol; }

        public boolean ordering() { return this == LT || this == LE || this == GT || this == GE; }
    }

    /** Quantifier kinds. */
    enum Quantifier { ANY, ALL, NONE }
}
