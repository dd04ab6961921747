package dev.warden.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.aws.AwsCollector;
import dev.warden.aws.iot.IotPolicyAnalysis;
import dev.warden.aws.iot.IotPolicyAnalyzer;
import dev.warden.dsl.PolicyCompiler;
import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.eval.Evaluator;
import dev.warden.eval.Finding;
import dev.warden.model.fact.FactSet;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * AWS offline scan at scale: a snapshot of {@code policies} IoT policies and {@code policies / 2} security groups read
 * into facts (every policy document analysed with IoT policy semantics) and evaluated with the built-in AWS pack;
 * the peer is plain JSON parsing of the same file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch"})
public class AwsBenchmarks {

    @Param({"100000"})
    public int policies;

    /** {@code templated}: 3 distinct documents copied across all policies; {@code unique}: every document differs. */
    @Param({"templated", "unique"})
    public String documents;

    private Path dir;
    private Path snapshot;
    private String oneDocument;
    private CompiledPolicySet pack;
    private FactSet facts;
    private final ObjectMapper json = new ObjectMapper();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Setup(Level.Trial)
    public void setup() throws IOException {
        dir = Files.createTempDirectory("warden-aws-bench");
        snapshot = AwsWorkload.generate(dir, policies, policies / 2, documents.equals("unique"));
        try (InputStream in = AwsBenchmarks.class.getResourceAsStream("/policies/aws-iot-baseline.warden")) {
            pack = PolicyCompiler.compile(new PolicyCompiler.Source("aws-iot-baseline", new String(in.readAllBytes(), StandardCharsets.UTF_8)))
                    .policySet().orElseThrow();
        }
        facts = AwsCollector.readSnapshot(snapshot, CLOCK);
        if (facts.diagnostics().stream().anyMatch(d -> d.isError())) throw new IllegalStateException("workload is invalid: " + facts.diagnostics());
        oneDocument = json.readTree(snapshot.toFile()).path("data").path("eu-west-1").path("iot").path("policies").get(2).path("policyDocument").asText();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Peer: parse the snapshot into a Jackson tree, nothing more. */
    @Benchmark
    public JsonNode awsPeerJsonParse() throws IOException { return json.readTree(snapshot.toFile()); }

    /** Snapshot to facts: parse, analyse every policy document, build typed facts with origins. */
    @Benchmark
    public FactSet awsSnapshotToFacts() { return AwsCollector.readSnapshot(snapshot, CLOCK); }

    /** Evaluating the 22-control AWS pack over the facts. */
    @Benchmark
    public List<Finding> awsEvaluatePack() { return Evaluator.evaluate(pack, facts); }

    /** One policy document through the IoT policy analyzer (the per-policy cost inside awsSnapshotToFacts). */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public IotPolicyAnalysis awsAnalyzeOnePolicy() { return IotPolicyAnalyzer.analyze(oneDocument); }
}
