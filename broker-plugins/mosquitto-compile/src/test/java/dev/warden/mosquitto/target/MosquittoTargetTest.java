package dev.warden.mosquitto.target;

import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.model.types.TopicFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the compiler emits and reports, rule by rule; the real broker's behaviour is checked in {@link MosquittoTargetBrokerIT}. */
class MosquittoTargetTest {

    static final MosquittoTarget.Options PLAIN = MosquittoTarget.Options.plain(1883).withPasswordFile("passwords");
    static final MosquittoTarget.Options IDENTITY = MosquittoTarget.Options.tls(8883, MosquittoTarget.Tls.mutualIdentity("server.crt", "server.key", "ca.crt"));

    static MosquittoTarget.Result compile(String body, MosquittoTarget.Options o) {
        return MosquittoTarget.compile(Policies.authz("authorize t \"test\" {\n  default deny\n" + body + "\n}\n"), o);
    }

    /** {@code code@line} of every diagnostic. */
    static List<String> codes(MosquittoTarget.Result r) {
        return r.diagnostics().stream().map(d -> d.code().substring("target.mosquitto.".length()) + "@" + d.at().line()).toList();
    }

    static List<String> aclLines(MosquittoTarget.Result r) {
        return r.acl().lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    }

    @Test
    void fullExampleOnAPlainListener() {
        MosquittoTarget.Result r = MosquittoTarget.compile(Policies.authz(Policies.FULL), PLAIN);
        assertEquals(List.of(
                "pattern deny devices/%c/telemetry/admin",
                "pattern write devices/%c/telemetry/#",
                "pattern read devices/%c/commands/+",
                "user ops",
                "topic deny devices/+/telemetry/admin",
                "topic read broadcast/#"), aclLines(r));
        assertEquals(List.of(
                "anonymous_refused@1", "variable_spans_levels@1", "violation_disconnects@1", "connect_rule_unenforceable@3", "connect_rule_unenforceable@4",
                "violation_disconnects@5", "subscribe_not_refused@6",
                "receive_is_subscribe@7", "deny_widened@8", "payload_limit@9", "rate_limit_unenforceable@10",
                "rate_limit_unenforceable@11", "rate_limit_unenforceable@12", "connection_limit_unenforceable@13"), codes(r));
        assertTrue(r.mosquittoConf().contains("allow_anonymous false\npassword_file passwords\nacl_file acl\nmessage_size_limit 131072\n"
                + "max_packet_size " + (131072 + 5 + 2 + 65535 + 2 + 4096) + "\nretain_available false\n\nlistener 1883\n"), r.mosquittoConf());
        assertTrue(r.mosquittoConf().endsWith("listener 1883\nmax_qos 1\n"), "every publish/subscribe rule says qos 0..1 (`receive` takes no qos)");
        for (Diagnostic d : r.diagnostics()) {
            assertTrue(Character.isLowerCase(d.message().charAt(0)) || d.message().charAt(0) == '`', d.message());
            assertFalse(d.help().isEmpty(), d.code());
            assertTrue(d.at().hasLine(), d.toString());
        }
    }

    @Test
    void fullExampleOnAnIdentityListenerUsesTheCnAsUsernameAndClientId() {
        MosquittoTarget.Result r = MosquittoTarget.compile(Policies.authz(Policies.FULL), IDENTITY);
        assertEquals(List.of(
                "pattern deny devices/%c/telemetry/admin",
                "pattern write devices/%c/telemetry/#",
                "pattern read devices/%c/commands/+"), aclLines(r));
        List<String> c = codes(r);
        assertTrue(c.contains("connect_rule_rewritten@3"), c.toString());
        assertTrue(c.contains("condition_unenforceable@7"), "the username is replaced by the CN: " + c);
        assertFalse(c.contains("variable_spans_levels@1"), "ids come from certificates: " + c);
        assertTrue(r.mosquittoConf().contains("require_certificate true\nuse_identity_as_username true\ntls_version tlsv1.2\nuse_username_as_clientid true\nmax_qos 1\n"),
                r.mosquittoConf());
    }

    @Test
    void certCnIsPercentUOnlyWithUseIdentityAsUsername() {
        String body = "  allow publish \"devices/${cert.cn}/up\"";
        MosquittoTarget.Result plain = compile(body, PLAIN);
        assertEquals(List.of(), aclLines(plain), "left out (fail closed)");
        assertEquals(List.of("anonymous_refused@1", "topic_unrepresentable@3"), codes(plain));
        assertEquals(List.of("pattern write devices/%u/up"), aclLines(compile(body, IDENTITY)));
    }

    @Test
    void usernameConditionsBecomeUserBlocksAndOthersAreLeftOut() {
        MosquittoTarget.Result r = compile("""
                  allow publish "ops/${username}/x" when client.username == "ops" or client.username == "admin"
                  allow publish "team/#" when client.username in ["alice", "bob"]
                  allow publish "v5/#" when client.protocol == "5"
                  deny  publish "team/secret" when client.protocol == "5"
                """, PLAIN);
        assertEquals(List.of(
                "pattern deny team/secret",
                "user ops", "topic deny team/secret", "topic write ops/ops/x",
                "user admin", "topic deny team/secret", "topic write ops/admin/x",
                "user alice", "topic deny team/secret", "topic write team/#",
                "user bob", "topic deny team/secret", "topic write team/#"), aclLines(r));
        assertEquals(List.of("anonymous_refused@1", "condition_unenforceable@5", "deny_widened@6"), codes(r));
        assertEquals(Diagnostic.Level.WARNING, r.withCode(Codes.CONDITION).get(0).level());
    }

    @Test
    void literalPercentCInAPatternIsLeftOutOrWidened() {
        MosquittoTarget.Result r = compile("""
                  allow publish "lit/%c/x"
                  deny  publish "lit/%u/y"
                """, PLAIN);
        assertEquals(List.of("pattern deny lit/+/y"), aclLines(r));
        assertEquals(List.of("anonymous_refused@1", "topic_unrepresentable@3", "deny_widened@4"), codes(r));
    }

    /** The language refuses variables inside a level; an IR built by other means is still handled (fail closed). */
    @Test
    void variablesInsideALevelAreLeftOutOrWidened() {
        Origin f = Origin.file("devices.warden", 1, 1);
        AuthzPolicy p = new AuthzPolicy("t", "test", f, 0, List.of(), List.of(
                new AuthzPolicy.Rule(0, true, AuthzPolicy.Action.PUBLISH, TopicFilter.parse("dev-${client.id}/up"), 0, 2, Optional.empty(), Optional.empty(),
                        "allow publish \"dev-${client.id}/up\"", Origin.file("devices.warden", 3, 3)),
                new AuthzPolicy.Rule(1, false, AuthzPolicy.Action.PUBLISH, TopicFilter.parse("dev-${client.id}/down"), 0, 2, Optional.empty(), Optional.empty(),
                        "deny publish \"dev-${client.id}/down\"", Origin.file("devices.warden", 4, 3))), AuthzPolicy.Limits.NONE);
        MosquittoTarget.Result r = MosquittoTarget.compile(p, PLAIN);
        assertEquals(List.of("pattern deny +/down"), aclLines(r));
        assertEquals(List.of("anonymous_refused@1", "topic_unrepresentable@3", "deny_widened@4"), codes(r));
    }

    @Test
    void qosBoundEveryRuleShares() {
        MosquittoTarget.Result same = compile("""
                  allow publish   "a/${client.id}" qos 0..1
                  allow subscribe "b/${client.id}" qos 0..1
                """, PLAIN);
        assertTrue(same.mosquittoConf().endsWith("max_qos 1\n"), same.mosquittoConf());
        assertTrue(same.withCode(Codes.QOS).isEmpty(), same.diagnostics().toString());
        MosquittoTarget.Result mixed = compile("""
                  allow publish   "a/${client.id}" qos 0..0
                  allow publish   "b/${client.id}" qos 1..1
                  allow subscribe "c/${client.id}"
                """, PLAIN);
        assertFalse(mixed.mosquittoConf().contains("max_qos"));
        assertEquals(List.of("qos_unenforceable@3", "qos_unenforceable@4", "subscribe_not_refused@5", "anonymous_refused@1", "variable_spans_levels@1"),
                codes(mixed).stream().sorted((x, y) -> x.endsWith("@1") ? 1 : y.endsWith("@1") ? -1 : x.compareTo(y)).toList());
    }

    @Test
    void retainIsGlobalOrReported() {
        MosquittoTarget.Result mixed = compile("""
                  allow publish "a/${client.id}" retain false
                  allow publish "b/${client.id}"
                """, PLAIN);
        assertFalse(mixed.mosquittoConf().contains("retain_available"));
        assertEquals(1, mixed.withCode(Codes.RETAIN).size());
        assertEquals(3, mixed.withCode(Codes.RETAIN).get(0).at().line());
    }

    @Test
    void denyWithoutDirectionIsReportedWhereItBlocksAnAllow() {
        MosquittoTarget.Result r = compile("""
                  allow subscribe "devices/${client.id}/#"
                  deny  publish   "devices/${client.id}/admin"
                """, PLAIN);
        assertEquals(1, r.withCode(Codes.DENY_BOTH).size(), r.diagnostics().toString());
        assertEquals(4, r.withCode(Codes.DENY_BOTH).get(0).at().line());
    }

    @Test
    void payloadZeroIsNotNoLimit() {
        MosquittoTarget.Result r = compile("  limit payload 0B", PLAIN);
        assertTrue(r.mosquittoConf().contains("message_size_limit 1\n"), r.mosquittoConf());
        assertEquals(2, r.withCode(Codes.PAYLOAD).size(), r.diagnostics().toString());
    }

    @Test
    void noGrantsMeansDenyAll() {
        MosquittoTarget.Result r = compile("", PLAIN);
        assertEquals(List.of(), aclLines(r));
        assertTrue(r.acl().contains("every publish and delivery is denied"));
        assertTrue(r.mosquittoConf().contains("acl_file acl\n"));
    }

    @Test
    void badOptionsAreErrorsNotExceptions() {
        AuthzPolicy p = Policies.authz(Policies.FULL);
        List<MosquittoTarget.Options> bad = List.of(
                MosquittoTarget.Options.plain(0),
                MosquittoTarget.Options.plain(1883).withAclFile("acl\nlistener 1"),
                MosquittoTarget.Options.tls(8883, new MosquittoTarget.Tls("s.crt", "s.key", null, true, true, "tlsv1.2")),
                MosquittoTarget.Options.tls(8883, new MosquittoTarget.Tls("s.crt", "s.key", "ca.crt", false, true, "tlsv1.2")),
                MosquittoTarget.Options.tls(8883, new MosquittoTarget.Tls("s.crt", "s.key", "ca.crt", true, true, "tlsv1")),
                MosquittoTarget.Options.plain(1883).withMaxConnections(0));
        for (MosquittoTarget.Options o : bad) {
            MosquittoTarget.Result r = MosquittoTarget.compile(p, o);
            assertTrue(r.hasErrors(), o.toString());
            assertEquals("", r.acl());
            assertEquals("", r.mosquittoConf());
            assertTrue(r.diagnostics().stream().allMatch(d -> d.code().equals(Codes.BAD_OPTION) && !d.help().isEmpty()), r.diagnostics().toString());
        }
        assertTrue(MosquittoTarget.compile(p, null).hasErrors());
    }

    // ---- nothing is dropped silently --------------------------------------------------------------------------------

    static Stream<String[]> ruleVariants() {
        List<String> patterns = List.of("a/${client.id}/#", "a/${username}/b", "a/${cert.cn}/+", "a/%c/x", "plain/topic", "$SYS/broker/#");
        List<String> whens = List.of("", " when client.username == \"ops\"", " when client.username in [\"a\", \"b\"]", " when client.protocol == \"5\"");
        List<String[]> out = new ArrayList<>();
        for (String effect : List.of("allow", "deny")) {
            for (String action : List.of("publish", "subscribe", "receive")) {
                for (String pattern : patterns) {
                    for (String when : whens) {
                        String qos = effect.equals("allow") && !action.equals("receive") ? " qos 0..1" : "";
                        String rule = "  " + effect + " " + action + " \"" + pattern + "\"" + qos + when;
                        out.add(new String[] {rule, "plain"});
                        out.add(new String[] {rule, "identity"});
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("ruleVariants")
    void everyRuleIsEmittedOrReportedAtItsLine(String rule, String listener) {
        MosquittoTarget.Result r = compile(rule, listener.equals("plain") ? PLAIN : IDENTITY);
        assertFalse(r.hasErrors(), r.diagnostics().toString());
        boolean emitted = r.acl().contains("\n# devices.warden:3:3: ");
        boolean reported = r.diagnostics().stream().anyMatch(d -> d.at().line() == 3);
        assertTrue(emitted || reported, rule + "\n" + r.acl() + r.diagnostics());
        boolean leftOut = r.diagnostics().stream().anyMatch(d -> d.at().line() == 3 && d.message().contains("is left out")
                && d.level() == Diagnostic.Level.WARNING && !d.message().contains("for user"));
        if (leftOut) assertFalse(emitted, "a rule reported as left out must not be in the acl: " + r.acl());
        if (rule.startsWith("  deny")) assertTrue(emitted, "a deny is never left out (widened instead): " + r.diagnostics());
    }
}
