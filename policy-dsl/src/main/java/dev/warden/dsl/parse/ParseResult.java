package dev.warden.dsl.parse;

import dev.warden.dsl.ast.PolicyFile;
import dev.warden.model.Diagnostic;

import java.util.List;
import java.util.Optional;

/** A parsed file, or the syntax errors that prevented it. */
public record ParseResult(Optional<PolicyFile> file, List<Diagnostic> diagnostics) {
    public ParseResult { diagnostics = List.copyOf(diagnostics); }
}
