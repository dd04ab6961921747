package dev.warden.model.schema;

/** The type of a fact field or of a policy expression. */
public sealed interface Type permits Type.Prim, Type.ListOf, Type.Ref {

    /** Scalar types. */
    enum Prim implements Type {
        BOOL("bool"), INT("int"), STRING("string"), SIZE("size"), DURATION("duration"), VERSION("version"),
        CIDR("cidr"), PORTS("ports"), TOPIC("topic"), NULL("none"), ANY("any");

        private final String display;

        Prim(String display) { this.display = display; }

        @Override public String display() { return display; }
    }

    /** A list of elements of one type. */
    record ListOf(Type element) implements Type {
        @Override public String display() { return "list<" + element.display() + ">"; }
    }

    /** A reference to a named object type of the schema. */
    record Ref(String name) implements Type {
        @Override public String display() { return name; }
    }

    /** The name users see in messages, e.g. {@code list<Listener>}. */
    String display();

    static Type listOf(Type t) { return new ListOf(t); }

    static Type ref(String name) { return new Ref(name); }
}
