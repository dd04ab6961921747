package dev.warden.policies;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.dsl.ir.CompiledControl;
import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.dsl.ir.CompiledTest;
import dev.warden.eval.PolicyTests;
import dev.warden.model.Diagnostic;
import dev.warden.aws.AwsFactSource;
import dev.warden.mosquitto.MosquittoFactSource;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the tests each built-in pack ships with, and checks every control has a passing and a failing case. */
class BuiltinPackTest {

    static List<Path> packs() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("."))) {
            return s.filter(p -> p.toString().endsWith(".warden")).sorted().toList();
        }
    }

    static CompiledPolicySet compile(Path p) throws IOException {
        PolicyCompiler.Result r = PolicyCompiler.compile(List.of(new PolicyCompiler.Source(p.getFileName().toString(), Files.readString(p))),
                PolicyCompiler.Options.defaults().withFactSources(Set.of("mosquitto", "aws", "authz")));
        assertEquals(List.of(), r.diagnostics().stream().map(Diagnostic::oneLine).toList(), "the pack compiles without diagnostics");
        return r.policySet().orElseThrow();
    }

    @TestFactory
    Stream<DynamicTest> packTests() throws IOException {
        List<DynamicTest> out = new ArrayList<>();
        for (Path p : packs()) {
            CompiledPolicySet set = compile(p);
            for (CompiledTest t : set.tests()) {
                out.add(DynamicTest.dynamicTest(p.getFileName() + ": " + t.name(), () -> {
                    PolicyTests.Outcome o = PolicyTests.run(set, t, Map.of("mosquitto", MosquittoFactSource.INSTANCE, "aws", AwsFactSource.INSTANCE, "authz", dev.warden.eval.authz.AuthzFactSource.INSTANCE));
                    assertTrue(o.passed(), () -> String.join("\n", o.failures()));
                }));
            }
        }
        assertTrue(!out.isEmpty());
        return out.stream();
    }

    @Test
    void everyControlHasAPassingAndAFailingCase() throws IOException {
        for (Path p : packs()) {
            CompiledPolicySet set = compile(p);
            Set<String> pass = new HashSet<>(), fail = new HashSet<>();
            for (CompiledTest t : set.tests()) {
                for (CompiledTest.Expectation e : t.expectations()) {
                    if (e.status().equals("pass")) pass.add(e.controlId());
                    if (e.status().equals("fail")) fail.add(e.controlId());
                }
            }
            for (CompiledControl c : set.controls()) {
                assertTrue(pass.contains(c.id()), p + ": control " + c.id() + " has no passing test case");
                assertTrue(fail.contains(c.id()), p + ": control " + c.id() + " has no failing test case");
            }
        }
    }
}
