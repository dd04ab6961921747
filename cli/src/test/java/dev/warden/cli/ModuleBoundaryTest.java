package dev.warden.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The module graph is the pipeline: no compiled class outside policy-dsl refers to ANTLR or to the DSL's internal
 * grammar package, and model refers to no other Warden module. Checked on the bytecode (constant pools).
 */
class ModuleBoundaryTest {

    private static final Map<String, List<String>> FORBIDDEN = Map.of(
            "model", List.of("org/antlr", "dev/warden/dsl", "dev/warden/eval", "dev/warden/mosquitto", "dev/warden/cli"),
            "evaluator", List.of("org/antlr", "dev/warden/dsl/internal", "dev/warden/dsl/parse/AstBuilder", "dev/warden/mosquitto", "dev/warden/cli"),
            "broker-plugins/mosquitto", List.of("org/antlr", "dev/warden/dsl", "dev/warden/eval", "dev/warden/cli"),
            "aws-collector", List.of("org/antlr", "dev/warden/dsl", "dev/warden/eval", "dev/warden/mosquitto", "dev/warden/cli"),
            "cli", List.of("org/antlr", "dev/warden/dsl/internal"));

    @Test
    void noClassCrossesAModuleBoundary() throws IOException {
        List<String> violations = new ArrayList<>();
        int scanned = 0;
        for (Map.Entry<String, List<String>> e : FORBIDDEN.entrySet()) {
            Path classes = Path.of("..").resolve(e.getKey()).resolve("target/classes");
            assertTrue(Files.isDirectory(classes), "module not built: " + classes);
            try (Stream<Path> s = Files.walk(classes)) {
                for (Path p : s.filter(f -> f.toString().endsWith(".class")).toList()) {
                    scanned++;
                    String pool = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                    for (String bad : e.getValue()) if (pool.contains(bad)) violations.add(e.getKey() + ": " + classes.relativize(p) + " refers to " + bad);
                }
            }
        }
        assertTrue(scanned > 50, "scanned only " + scanned + " classes");
        assertEquals(List.of(), violations);
    }
}
