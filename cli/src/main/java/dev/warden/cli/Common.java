package dev.warden.cli;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.model.Diagnostic;
import dev.warden.model.DiagnosticRenderer;
import dev.warden.model.schema.WardenSchema;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Shared plumbing of the subcommands: compiling policies and printing diagnostics. */
final class Common {
    private Common() {}

    /** Fact sources available to policy tests. */
    static final Set<String> FACT_SOURCES = Set.of("mosquitto", "aws", "authz");

    record Compiled(PolicyCompiler.Result result, List<PolicyCompiler.Source> sources) {}

    static Compiled compile(List<String> policies, Map<String, String> params, Path root, List<Diagnostic> diags) {
        List<PolicyCompiler.Source> sources = PolicyLoader.load(policies, root, diags);
        PolicyCompiler.Options opts = new PolicyCompiler.Options(WardenSchema.SCHEMA, params, FACT_SOURCES);
        PolicyCompiler.Result r = PolicyCompiler.compile(sources, opts);
        diags.addAll(r.diagnostics());
        return new Compiled(r, sources);
    }

    /** Prints diagnostics with source excerpts, errors and warnings alike. */
    static void print(List<Diagnostic> diags, List<PolicyCompiler.Source> sources, Path root, PrintWriter err) {
        Map<String, String> texts = new HashMap<>();
        for (PolicyCompiler.Source s : sources) texts.put(s.path(), s.text());
        List<Diagnostic> sorted = diags.stream().sorted(Diagnostic.ORDER).toList();
        for (Diagnostic d : sorted) {
            err.print(DiagnosticRenderer.render(d, name -> {
                String t = texts.get(name);
                if (t != null) return Optional.of(t);
                Path p = root.resolve(name);
                try {
                    return Files.isRegularFile(p) && Files.size(p) < 4_000_000 ? Optional.of(Files.readString(p)) : Optional.empty();
                } catch (IOException | RuntimeException e) {
                    return Optional.empty();
                }
            }));
        }
        long errors = diags.stream().filter(Diagnostic::isError).count();
        long warnings = diags.size() - errors;
        if (!diags.isEmpty()) err.println(errors + " error" + (errors == 1 ? "" : "s") + ", " + warnings + " warning" + (warnings == 1 ? "" : "s"));
        err.flush();
    }
}
