package dev.warden.eval.authz;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.model.Diagnostic;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.FactSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code given authz { file "<name>" "<policy text>" ... }}: the {@code authz} facts of the runtime rules in those
 * policy files, so a pack's tests can judge runtime policies other than its own.
 */
public final class AuthzFactSource implements FactSource {
    public static final AuthzFactSource INSTANCE = new AuthzFactSource();

    private AuthzFactSource() {}

    @Override
    public FactSet produce(List<Entry> entries, Path workDir) {
        List<PolicyCompiler.Source> sources = new ArrayList<>();
        List<Diagnostic> problems = new ArrayList<>();
        for (Entry e : entries) {
            if (!e.key().equals("file") || e.args().size() != 2) {
                problems.add(Diagnostic.error("authz.bad_given", e.location(), "`given authz` takes `file \"<name>\" \"<policy text>\"` entries",
                        "write e.g. `file \"runtime.warden\" \"\"\"authorize a { ... }\"\"\"`"));
                continue;
            }
            sources.add(new PolicyCompiler.Source(e.args().get(0), e.args().get(1)));
        }
        if (sources.isEmpty()) return new FactSet(java.util.Map.of(), problems);
        PolicyCompiler.Result r = PolicyCompiler.compile(sources, PolicyCompiler.Options.defaults());
        problems.addAll(r.errors());
        if (r.policySet().isEmpty()) return new FactSet(java.util.Map.of(), problems);
        FactSet f = AuthzFacts.of(r.policySet().get());
        return new FactSet(f.roots(), problems);
    }
}
