package dev.warden.dsl;

import dev.warden.model.Diagnostic;
import dev.warden.model.DiagnosticRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The diagnostics conformance corpus: every {@code src/test/resources/conformance/<name>.warden} is compiled on its
 * own (with {@code mosquitto} as the only fact source) and its diagnostics, sorted by {@link Diagnostic#ORDER} and
 * rendered with {@link DiagnosticRenderer#render}, must equal {@code <name>.expected} byte for byte.
 *
 * <p>Files named {@code lint_*.warden} compile with warnings only. Files named {@code ok_*.warden} are valid policies: they must compile to a policy set with no diagnostic at all
 * (their {@code .expected} is empty). Every other file shows one kind of mistake and must yield at least one error.
 *
 * <p>To add a case, drop a {@code .warden} file into the folder and regenerate the golden files with
 * <pre>mvn test -pl policy-dsl -Dtest=ConformanceTest -Dwarden.golden.update=true</pre>
 * then read every changed {@code .expected} by eye ({@code git diff policy-dsl/src/test/resources/conformance}):
 * the message must be clear, in house style (lowercase, no final period, user input in backticks) and point at the
 * right line and column. A golden file records what the compiler says, not what it should say.
 */
class ConformanceTest {

    static final String FACT_SOURCE = "mosquitto";

    static Path dir() {
        return Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/conformance");
    }

    static List<Path> cases() {
        try (Stream<Path> s = Files.list(dir())) {
            return s.filter(p -> p.getFileName().toString().endsWith(".warden")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PolicyCompiler.Result compile(String name, String text) {
        return PolicyCompiler.compile(List.of(new PolicyCompiler.Source(name, text)),
                PolicyCompiler.Options.defaults().withFactSources(Set.of(FACT_SOURCE)));
    }

    /** The rendered diagnostics of one file, in {@link Diagnostic#ORDER}. */
    static String render(String name, String text, List<Diagnostic> diagnostics) {
        List<Diagnostic> sorted = new ArrayList<>(diagnostics);
        sorted.sort(Diagnostic.ORDER);
        StringBuilder b = new StringBuilder();
        for (Diagnostic d : sorted) {
            b.append(DiagnosticRenderer.render(d, src -> src.equals(name) ? Optional.of(text) : Optional.empty()));
        }
        return b.toString();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesGolden(Path file) throws IOException {
        String name = file.getFileName().toString();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        PolicyCompiler.Result r = compile(name, text);
        String actual = render(name, text, r.diagnostics());
        Path golden = file.resolveSibling(name.substring(0, name.length() - ".warden".length()) + ".expected");
        if (Boolean.getBoolean("warden.golden.update")) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        } else {
            String expected = Files.exists(golden) ? Files.readString(golden, StandardCharsets.UTF_8) : "<missing " + golden.getFileName() + ">";
            assertEquals(expected, actual, "diagnostics of " + name + " differ from " + golden.getFileName()
                    + " (regenerate with -Dwarden.golden.update=true if the change is intended, then review the diff)");
        }
        if (name.startsWith("ok_")) {
            assertTrue(r.ok(), name + " must compile");
            assertEquals(List.of(), r.diagnostics(), name + " must compile without diagnostics");
        } else if (name.startsWith("lint_")) {
            assertTrue(r.ok(), name + " has only warnings, so it must compile");
            assertFalse(r.diagnostics().isEmpty(), name + " must produce its warnings");
            assertTrue(r.diagnostics().stream().noneMatch(Diagnostic::isError), name + " must produce warnings only");
        } else {
            assertFalse(r.errors().isEmpty(), name + " shows a mistake, so it must yield an error");
            assertTrue(r.policySet().isEmpty(), "no policy set comes out of a file with errors");
        }
        for (Diagnostic d : r.diagnostics()) {
            assertTrue(d.code().startsWith("dsl."), "stable `dsl.*` code: " + d);
            assertEquals(name, d.at().source(), "located in the file: " + d);
            assertTrue(d.at().line() >= 1 && d.at().column() >= 1, "has line and column: " + d);
        }
    }

    @Test
    void everyGoldenFileHasItsPolicy() throws IOException {
        try (Stream<Path> s = Files.list(dir())) {
            List<String> orphans = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".expected"))
                    .filter(n -> !Files.exists(dir().resolve(n.replace(".expected", ".warden")))).toList();
            assertEquals(List.of(), orphans, "golden files without a policy");
        }
    }

    @Test
    void corpusCoversValidAndInvalidPolicies() {
        long valid = cases().stream().filter(p -> p.getFileName().toString().startsWith("ok_")).count();
        assertTrue(valid >= 10, "at least 10 valid policies, found " + valid);
        assertTrue(cases().size() - valid >= 40, "at least 40 mistakes, found " + (cases().size() - valid));
    }
}
