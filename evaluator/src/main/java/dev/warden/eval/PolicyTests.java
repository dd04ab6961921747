package dev.warden.eval;

import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.dsl.ir.CompiledTest;
import dev.warden.model.Diagnostic;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.FactSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Runs the {@code test} blocks of a compiled policy set: builds the given facts, evaluates, checks expectations. */
public final class PolicyTests {
    private PolicyTests() {}

    /** The result of one policy test. */
    public record Outcome(CompiledTest test, boolean passed, List<String> failures, List<Finding> findings) {
        public Outcome {
            failures = List.copyOf(failures);
            findings = List.copyOf(findings);
        }
    }

    /** Runs every test of the set. */
    public static List<Outcome> run(CompiledPolicySet set, Map<String, FactSource> sources) {
        List<Outcome> out = new ArrayList<>();
        for (CompiledTest t : set.tests()) out.add(run(set, t, sources));
        return out;
    }

    /** Runs one test. */
    public static Outcome run(CompiledPolicySet set, CompiledTest t, Map<String, FactSource> sources) {
        List<String> failures = new ArrayList<>();
        FactSet facts = FactSet.empty();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("warden-test");
            int n = 0;
            for (CompiledTest.Given g : t.given()) {
                FactSource src = sources.get(g.source());
                if (src == null) {
                    failures.add(g.location().display() + ": no fact source `" + g.source() + "` is available");
                    continue;
                }
                Path sub = Files.createDirectories(dir.resolve(g.source() + "-" + (n++)));
                List<FactSource.Entry> entries = g.entries().stream()
                        .map(e -> new FactSource.Entry(e.key(), e.args(), e.location())).toList();
                facts = facts.merge(src.produce(entries, sub));
            }
        } catch (IOException e) {
            failures.add("could not prepare the test's facts: " + e.getMessage());
        } finally {
            if (dir != null) delete(dir);
        }
        for (Diagnostic d : facts.diagnostics()) {
            if (d.isError()) failures.add("fact source reported " + d.oneLine());
        }
        List<Finding> findings = Evaluator.evaluate(set, facts, t.params());
        for (CompiledTest.Expectation e : t.expectations()) {
            String problem = check(e, findings);
            if (problem != null) failures.add(e.location().display() + ": " + problem);
        }
        for (CompiledTest.DecisionExpectation d : t.decisions()) {
            Map<String, dev.warden.model.fact.Value> params = new java.util.HashMap<>();
            for (dev.warden.dsl.ir.ParamInfo p : set.params().values()) params.put(p.key(), p.value());
            params.putAll(t.params());
            var block = set.authorization(d.policy());
            String problem = block.isEmpty() ? "no `authorize " + d.policy() + "` block"
                    : dev.warden.eval.authz.Probe.check(block.get(), params, d);
            if (problem != null) failures.add(d.location().display() + ": " + problem);
        }
        return new Outcome(t, failures.isEmpty(), failures, findings);
    }

    /** {@code file:line} names the location exactly, or its file's tail and line (a column, if any, is ignored). */
    static boolean locatedAt(dev.warden.model.Origin o, String at) {
        String full = o.display();
        String lineOnly = o.kind() == dev.warden.model.Origin.Kind.FILE && o.column() > 0 ? o.source() + ":" + o.line() : full;
        for (String d : List.of(full, lineOnly)) if (d.equals(at) || d.endsWith("/" + at)) return true;
        return false;
    }

    private static String check(CompiledTest.Expectation e, List<Finding> all) {
        List<Finding> of = all.stream().filter(f -> f.controlId().equals(e.controlId())).toList();
        if (of.isEmpty()) return "expected " + e.status() + " " + e.controlId() + " but the control produced no finding";
        Status want = switch (e.status()) {
            case "pass" -> Status.PASS;
            case "fail" -> Status.FAIL;
            case "unknown" -> Status.UNKNOWN;
            default -> Status.NOT_APPLICABLE;
        };
        List<Finding> matching = of.stream().filter(f -> f.status() == want).toList();
        if (e.at().isPresent()) {
            String at = e.at().get();
            matching = matching.stream().filter(f -> locatedAt(f.location(), at)).toList();
        }
        String got = summary(of);
        if (want == Status.PASS || want == Status.NOT_APPLICABLE) {
            if (of.stream().anyMatch(f -> f.status() != want)) return "expected " + e.status() + " " + e.controlId() + ", got " + got;
        } else if (matching.isEmpty()) {
            return "expected " + e.status() + " " + e.controlId() + e.at().map(a -> " at " + a).orElse("") + ", got " + got;
        }
        if (e.count().isPresent() && matching.size() != e.count().get()) {
            return "expected " + e.count().get() + " " + e.status() + " findings of " + e.controlId() + ", got " + matching.size() + ": " + got;
        }
        return null;
    }

    private static String summary(List<Finding> fs) {
        List<String> parts = new ArrayList<>();
        for (Finding f : fs) {
            parts.add(f.status().label() + " " + f.resourceId() + " at " + f.location().display() + (f.status() == Status.PASS ? "" : " (" + f.message() + ")"));
        }
        return String.join("; ", parts);
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort clean-up of a temp dir
                }
            });
        } catch (IOException ignored) {
            // best effort clean-up of a temp dir
        }
    }
}
