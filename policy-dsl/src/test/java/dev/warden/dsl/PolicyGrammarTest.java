package dev.warden.dsl;

import dev.warden.dsl.ir.CompiledControl;
import dev.warden.dsl.ir.Node;
import dev.warden.dsl.ir.Step;
import dev.warden.model.Diagnostic;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the grammar reads the constructs whose reading is not obvious, and the limits of the parser. */
class PolicyGrammarTest {

    private static PolicyCompiler.Result compile(String clauses) {
        String text = "control G-1 \"grammar\" {\n  severity low\n" + clauses + "\n}\n";
        return PolicyCompilerProperties.compileChecked(text);
    }

    private static Node firstCheck(PolicyCompiler.Result r) {
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        CompiledControl c = r.policySet().orElseThrow().controls().get(0);
        return c.steps().stream().filter(Step.Check.class::isInstance).map(s -> ((Step.Check) s).condition()).findFirst().orElseThrow();
    }

    private static List<String> codes(PolicyCompiler.Result r) {
        return r.diagnostics().stream().map(Diagnostic::code).toList();
    }

    @Test
    void quantifierBodyReachesAsFarRightAsItCan() {
        Node n = firstCheck(compile("  require any l in broker.listeners: l.port == 8883"));
        Node.Quant q = assertInstanceOf(Node.Quant.class, n);
        assertInstanceOf(Node.Compare.class, q.body());

        Node m = firstCheck(compile("  require all l in broker.listeners: l.tls.enabled and l.port in [8883] or l.loopback_only"));
        assertInstanceOf(Node.Logic.class, assertInstanceOf(Node.Quant.class, m).body());
    }

    @Test
    void parenthesesEndAQuantifier() {
        Node n = firstCheck(compile("  require (any l in broker.listeners: l.tls.enabled) or len(broker.listeners) == 0"));
        Node.Logic or = assertInstanceOf(Node.Logic.class, n);
        assertInstanceOf(Node.Quant.class, or.left());
    }

    @Test
    void aQuantifierIsNotAnOperandOfAComparison() {
        assertEquals(List.of("dsl.syntax"), codes(compile("  require true == any l in broker.listeners: l.tls.enabled")));
        assertTrue(compile("  require true == (any l in broker.listeners: l.tls.enabled)").ok());
    }

    @Test
    void countWithoutWhereCountsEveryElement() {
        Node n = firstCheck(compile("  require count(l in broker.listeners) >= 1"));
        Node.Compare c = assertInstanceOf(Node.Compare.class, n);
        Node.Count k = assertInstanceOf(Node.Count.class, c.left());
        assertEquals(null, k.where());
    }

    @Test
    void softKeywordsAreNamesAndReservedWordsAreNot() {
        assertTrue(compile("  for count in broker.listeners\n  let where = count.port\n  require where > 0").ok());
        PolicyCompiler.Result r = compile("  for is in broker.listeners\n  require true");
        assertEquals(List.of("dsl.syntax"), codes(r));
        assertEquals("`is` is a reserved word and cannot be a name", r.diagnostics().get(0).help());
    }

    @Test
    void comparisonsDoNotChain() {
        PolicyCompiler.Result r = compile("  require 1 < 2 < 3");
        assertEquals(List.of("dsl.syntax"), codes(r));
        assertTrue(r.diagnostics().get(0).help().startsWith("comparisons do not chain"), r.diagnostics().toString());
    }

    @Test
    void deepNestingIsADiagnosticNotACrash() {
        int n = 20_000;
        assertEquals(List.of("dsl.too_deep"), codes(compile("  require " + "(".repeat(n) + "true" + ")".repeat(n))));
        assertEquals(List.of("dsl.too_deep"), codes(compile("  require " + "not ".repeat(n) + "true")));
        assertEquals(List.of("dsl.too_deep"), codes(compile("  require " + "[".repeat(n) + "]".repeat(n) + " == []")));
        // loops in the grammar, recursion in the checker
        assertEquals(List.of("dsl.too_deep"), codes(compile("  require " + String.join(" and ", Collections.nCopies(n, "true")))));
        assertEquals(List.of("dsl.too_deep"), codes(compile("  require broker" + ".kind".repeat(n) + " == \"x\"")));
    }

    @Test
    void longButShallowPoliciesCompile() {
        assertTrue(compile("  require " + String.join(" and ", Collections.nCopies(500, "broker.per_listener_settings"))).ok());
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 300; i++) b.append("control C-").append(i).append(" \"c\" {\n  severity low\n  require true\n}\n");
        PolicyCompiler.Result r = PolicyCompiler.compile(List.of(new PolicyCompiler.Source("many.warden", b.toString())),
                PolicyCompiler.Options.defaults().withFactSources(Set.of("mosquitto")));
        assertEquals(300, r.policySet().orElseThrow().controls().size());
    }

    @Test
    void unterminatedTextBlockIsOneError() {
        String text = "title \"\"\"\nno end\ncontrol X-1 \"y\" { severity low require true }\n";
        PolicyCompiler.Result r = PolicyCompilerProperties.compileChecked(text);
        assertEquals(List.of("dsl.unterminated_string"), codes(r));
        assertEquals("unterminated text block", r.diagnostics().get(0).message());
    }

    @Test
    void messageHolesInTextBlocksPointAtTheirLine() {
        PolicyCompiler.Result r = compile("  for l in broker.listeners\n  require l.tls.enabled else \"\"\"\n    first line\n      port {l.prot}\n    \"\"\"");
        Diagnostic d = r.diagnostics().get(0);
        assertEquals("dsl.unknown_field", d.code());
        assertEquals(6, d.at().line());
        assertEquals(15, d.at().column(), "at `prot`");
    }

    @Test
    void aFailedParamIsStillDeclared() {
        String text = "param min: version = \"v\"\ncontrol X-1 \"y\" {\n  severity low\n  require broker.version >= min\n}\n";
        assertEquals(List.of("dsl.bad_literal"), codes(PolicyCompilerProperties.compileChecked(text)), "no cascade of unknown names");
    }

    @Test
    void portListsAreCheckedAndSymmetric() {
        assertTrue(compile("  for l in broker.listeners\n  require l.port within [1883, 8883]").ok());
        assertTrue(compile("  for l in broker.listeners\n  require [1883, 8883] overlaps l.port").ok());
        assertEquals(List.of("dsl.bad_literal"), codes(compile("  for l in broker.listeners\n  require l.port within [1883, 70000]")));
        assertEquals(List.of("dsl.bad_literal"), codes(compile("  require ports(70000) within 1..2")));
    }

    @Test
    void stringConstantsThatDoNotConvertAreReported() {
        assertEquals(List.of("dsl.bad_literal"), codes(compile("  require cidr(\"10.0.0.0/33\") is private")));
        assertEquals(List.of("dsl.bad_literal"), codes(compile("  require topic(\"a/#/b\") is wildcard")));
        assertEquals(List.of("dsl.bad_literal"), codes(compile("  require broker.version in [version(\"2\"), \"x\"]")));
    }
}
