package dev.warden.bench;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.dsl.parse.ParseResult;
import dev.warden.dsl.parse.PolicyParser;
import dev.warden.eval.Evaluator;
import dev.warden.eval.Finding;
import dev.warden.model.fact.FactSet;
import dev.warden.mosquitto.MosquittoCollector;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Compile time of the built-in pack and scan time of a generated deployment (listeners + ACL lines), each next to a
 * peer measured in the same run: parse-only for compile, a plain line tokenizer for collection.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms4g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class ScanBenchmarks {

    @Param({"10000"})
    public int size;

    private String packText;
    private Path dir;
    private Path conf;
    private CompiledPolicySet pack;
    private FactSet facts;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        try (InputStream in = ScanBenchmarks.class.getResourceAsStream("/policies/mqtt-broker-baseline.warden")) {
            packText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        dir = Files.createTempDirectory("warden-bench");
        conf = Workload.generate(dir, size, size);
        pack = PolicyCompiler.compile(new PolicyCompiler.Source("builtin:mqtt-broker-baseline", packText)).policySet().orElseThrow();
        facts = collect();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private FactSet collect() {
        return MosquittoCollector.collect(conf, new MosquittoCollector.Options(dir, "2.0.21", null));
    }

    /** Peer for compile: parsing alone (lexer, parser, AST). */
    @Benchmark
    public ParseResult compilePeerParseOnly() { return PolicyParser.parse("pack", packText); }

    /** Full compile of the built-in pack: parse, declare, params, type-check, lower to IR, tests. */
    @Benchmark
    public PolicyCompiler.Result compileBuiltinPack() { return PolicyCompiler.compile(new PolicyCompiler.Source("pack", packText)); }

    /** Peer for collection: read both files and split every line into words, nothing more. */
    @Benchmark
    public int collectPeerTokenizeOnly() throws IOException {
        int words = 0;
        for (Path p : List.of(conf, dir.resolve("acl"))) {
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) continue;
                words += t.split("\\s+").length;
            }
        }
        return words;
    }

    /** The mosquitto collector over the generated deployment: config + ACL to typed facts with origins. */
    @Benchmark
    public FactSet collectMosquitto() { return collect(); }

    /** Evaluating the built-in pack over the collected facts. */
    @Benchmark
    public List<Finding> evaluateBuiltinPack() { return Evaluator.evaluate(pack, facts); }

    /** The whole scan: collect + evaluate. */
    @Benchmark
    public List<Finding> scanEndToEnd() { return new ArrayList<>(Evaluator.evaluate(pack, collect())); }
}
