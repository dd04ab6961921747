package dev.warden.dsl.ast;

import java.util.List;
import java.util.Optional;

/** Top-level declarations of a policy file. */
public sealed interface Decl {

    Span span();

    /** {@code param name[: type] = default ["doc"]}. */
    record Param(String name, Span nameSpan, Optional<TypeRef> type, Expr defaultValue, String doc, Span span) implements Decl {}

    /** {@code control ID "title" { items }}. */
    record Control(String id, Span idSpan, String title, List<ControlItem> items, Span span) implements Decl {
        public Control { items = List.copyOf(items); }
    }

    /** {@code test "name" { given.. with.. expect.. }}. */
    record Test(String name, List<TestItem> items, Span span) implements Decl {
        public Test { items = List.copyOf(items); }
    }

    /** {@code authorize name ["title"] { items }}: runtime authorization rules. */
    record Authorize(String name, Span nameSpan, String title, List<AuthzItem> items, Span span) implements Decl {
        public Authorize { items = List.copyOf(items); }
    }

    /** A written type such as {@code version} or {@code list<int>}. */
    record TypeRef(String name, Optional<TypeRef> arg, Span span) {}
}
