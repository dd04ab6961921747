package dev.warden.dsl.ir;

import dev.warden.model.Origin;
import dev.warden.model.fact.Value;
import dev.warden.model.schema.Type;

import java.util.List;
import java.util.regex.Pattern;

/** Typed, resolved expression tree of a compiled policy; every name is bound, every operator chosen. */
public sealed interface Node {

    /** Static type of the node. */
    Type type();

    /** A constant (literal or folded). */
    record Const(Value value, Type type) implements Node {}

    /** A policy parameter, looked up by key in the evaluation environment. */
    record Param(String key, Type type) implements Node {}

    /** A fact root such as {@code broker}: the current target. */
    record Root(String name, Type type) implements Node {}

    /** A local variable slot ({@code for}, {@code let}, quantifier). */
    record Local(int slot, String name, Type type) implements Node {}

    /** Field access on an object. */
    record Field(Node target, String name, Type type) implements Node {}

    /** A list built from elements. */
    record ListOf(List<Node> items, Type type) implements Node { public ListOf { items = List.copyOf(items); } }

    /** A built-in function call. */
    record Call(Builtin fn, List<Node> args, Type type) implements Node { public Call { args = List.copyOf(args); } }

    /** A run-time conversion (e.g. a list of ints to a port set). */
    record Convert(Conversion conversion, Node operand, Type type) implements Node {}

    /** Negation. */
    record Not(Node operand) implements Node { public Type type() { return Type.Prim.BOOL; } }

    /** Kleene {@code and}/{@code or}. */
    record Logic(boolean and, Node left, Node right) implements Node { public Type type() { return Type.Prim.BOOL; } }

    /** Equality and ordering. */
    record Compare(Op op, Node left, Node right) implements Node { public Type type() { return Type.Prim.BOOL; } }

    /** Set-like relations: membership, containment, overlap and regex match ({@code regex} set for MATCHES). */
    record Relation(Rel rel, Node left, Node right, Pattern regex) implements Node { public Type type() { return Type.Prim.BOOL; } }

    /** {@code e is [not] test}. */
    record Is(Test test, boolean negated, Node operand) implements Node { public Type type() { return Type.Prim.BOOL; } }

    /** {@code any|all|none}. */
    record Quant(Quantifier kind, int slot, Node source, Node where, Node body) implements Node {
        public Type type() { return Type.Prim.BOOL; }
    }

    /** {@code count(x in xs where p)}. */
    record Count(int slot, Node source, Node where) implements Node { public Type type() { return Type.Prim.INT; } }

    /** Comparison operators. */
    enum Op { EQ, NE, LT, LE, GT, GE }

    /** Relations, each defined for specific operand types (see the language reference). */
    enum Rel { IN, NOT_IN, WITHIN, OVERLAPS, CONTAINS, MATCHES }

    /** {@code is} tests. */
    enum Test { SET, EMPTY, INTERNET, LOOPBACK, PRIVATE, WILDCARD, DEFAULTED }

    /** Quantifiers. */
    enum Quantifier { ANY, ALL, NONE }

    /** Run-time conversions. */
    enum Conversion { TO_PORTS, TO_VERSION, TO_TOPIC, TO_CIDR }

    /** Built-in functions. */
    enum Builtin { LEN, LOWER, UPPER, STARTS_WITH, ENDS_WITH, LEVEL, VARIABLES }

    /** Where a node came from in the policy, for messages. */
    static Origin noOrigin() { return Origin.NONE; }
}
