package dev.warden.policies;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.eval.Evaluator;
import dev.warden.eval.Finding;
import dev.warden.model.Diagnostic;
import dev.warden.model.fact.FactSet;
import dev.warden.mosquitto.MosquittoCollector;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Realistic deployments (public defaults, tutorials, common mistakes, hardened setups) scanned with the built-in
 * pack; every finding — status, control, resource, file:line — must match {@code expected.txt}, so a violation can
 * neither go missing nor appear on a compliant line. Each scenario is a folder under
 * {@code src/test/resources/scenarios/}: {@code mosquitto.conf} (or {@code etc/mosquitto/mosquitto.conf}), the files
 * it uses, and optionally {@code version}. After an intended change, regenerate with
 * {@code mvn test -pl policies -Dtest=ScenarioTest -Dwarden.golden.update=true} and review the diff line by line.
 */
class ScenarioTest {

    static final Path DIR = Path.of("src", "test", "resources", "scenarios");

    static Stream<Path> scenarios() throws IOException {
        try (Stream<Path> s = Files.list(DIR)) {
            List<Path> all = s.filter(Files::isDirectory).sorted().toList();
            if (all.isEmpty()) throw new IllegalStateException("no scenarios under " + DIR);
            return all.stream();
        }
    }

    static CompiledPolicySet pack() throws IOException {
        String text = Files.readString(Path.of("mqtt-broker-baseline.warden"));
        return PolicyCompiler.compile(new PolicyCompiler.Source("mqtt-broker-baseline.warden", text)).policySet().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void findingsMatchTheReviewedBaseline(Path scenario) throws IOException {
        Path conf = Files.exists(scenario.resolve("mosquitto.conf")) ? scenario.resolve("mosquitto.conf")
                : scenario.resolve("etc/mosquitto/mosquitto.conf");
        Path versionFile = scenario.resolve("version");
        String version = Files.exists(versionFile) ? Files.readString(versionFile).strip() : null;
        FactSet facts = MosquittoCollector.collect(conf, new MosquittoCollector.Options(scenario, version, null));
        List<String> lines = new ArrayList<>();
        for (Diagnostic d : facts.diagnostics()) lines.add("diagnostic " + d.level().name().toLowerCase() + " " + d.code() + " @" + d.at().display());
        List<Finding> findings = new ArrayList<>(Evaluator.evaluate(pack(), facts));
        findings.sort(Comparator.comparing(Finding::controlId).thenComparing(f -> f.status().ordinal()).thenComparing(Finding::resourceId));
        for (Finding f : findings) {
            lines.add(String.format("%-14s %-8s %-40s @%s%s", f.controlId(), f.status().label(), f.resourceId(), f.location().display(),
                    f.status() == dev.warden.eval.Status.PASS ? "" : "  " + f.message()));
        }
        String actual = String.join("\n", lines) + "\n";
        Path expected = scenario.resolve("expected.txt");
        if (Boolean.getBoolean("warden.golden.update")) Files.writeString(expected, actual, StandardCharsets.UTF_8);
        assertEquals(Files.exists(expected) ? Files.readString(expected) : "(missing expected.txt)", actual);
    }
}
