package dev.warden.aws.iot;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IotPolicyAnalyzerTest {

    static final String ARN = "arn:aws:iot:us-east-1:123456789012:";

    static String policy(String... statements) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + String.join(",", statements) + "]}";
    }

    static String stmt(String effect, String actions, String resources) {
        return "{\"Effect\":\"" + effect + "\",\"Action\":" + actions + ",\"Resource\":" + resources + "}";
    }

    static String stmt(String effect, String actions, String resources, String condition) {
        return "{\"Effect\":\"" + effect + "\",\"Action\":" + actions + ",\"Resource\":" + resources
                + ",\"Condition\":" + condition + "}";
    }

    static final String IS_ATTACHED = "{\"Bool\":{\"iot:Connection.Thing.IsAttached\":\"true\"}}";

    @Test
    void thingScopedPolicyIsTight() {
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(policy(
                stmt("Allow", "[\"iot:Connect\"]", "[\"" + ARN + "client/${iot:Connection.Thing.ThingName}\"]", IS_ATTACHED),
                stmt("Allow", "[\"iot:Publish\",\"iot:Receive\"]", "[\"" + ARN + "topic/things/${iot:Connection.Thing.ThingName}/*\"]"),
                stmt("Allow", "\"iot:Subscribe\"", "\"" + ARN + "topicfilter/things/${iot:Connection.Thing.ThingName}/*\"")));
        assertEquals("thing_name", a.connectScope());
        assertEquals(List.of("things/${iot:Connection.Thing.ThingName}/*"), a.publishTopics());
        assertEquals(List.of("things/${iot:Connection.Thing.ThingName}/*"), a.receiveTopics());
        assertEquals(List.of("things/${iot:Connection.Thing.ThingName}/*"), a.subscribeFilters());
        assertFalse(a.crossDeviceReach());
        assertFalse(a.overlyPermissive(), () -> a.overlyPermissiveReasons().toString());
        assertTrue(a.ineffectiveDenies().isEmpty());
        assertTrue(a.spoofableVariables().isEmpty());
        assertTrue(a.problems().isEmpty());
        assertEquals(3, a.statements().size());
        assertTrue(a.statements().get(0).hasCondition());
    }

    @Test
    void iotStarOnStarIsEverything() {
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(policy(stmt("Allow", "\"iot:*\"", "\"*\"")));
        assertEquals("any", a.connectScope());
        assertEquals(List.of("*"), a.publishTopics());
        assertEquals(List.of("*"), a.receiveTopics());
        assertEquals(List.of("*"), a.subscribeFilters());
        assertTrue(a.crossDeviceReach());
        assertTrue(a.overlyPermissive());
        assertTrue(a.overlyPermissiveReasons().stream().anyMatch(r -> r.contains("iot:Connect")));
        assertTrue(a.overlyPermissiveReasons().stream().anyMatch(r -> r.contains("iot:UpdateThingShadow")));
    }

    @Test
    void actionWildcardsAreCaseInsensitiveAndExpand() {
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(policy(stmt("Allow", "\"IOT:pub*\"", "\"" + ARN + "topic/a\"")));
        assertEquals(List.of("a"), a.publishTopics());
        assertTrue(a.receiveTopics().isEmpty());
        assertEquals("none", a.connectScope());
        IotPolicyAnalysis star = IotPolicyAnalyzer.analyze(policy(stmt("Allow", "\"*\"", "\"" + ARN + "topic/a\"")));
        assertEquals(List.of("a"), star.publishTopics());
        assertEquals(List.of("a"), star.receiveTopics());
        assertTrue(star.subscribeFilters().isEmpty(), "a topic/ ARN is not a topicfilter/ ARN");
        assertEquals(List.of("iot:Publish", "iot:RetainPublish"), IotActions.expand(List.of("iot:*Publish"), false));
    }

    @Test
    void statementAsObjectAndStringsAsScalars() {
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze("{\"Version\":\"2012-10-17\",\"Statement\":"
                + stmt("Allow", "\"iot:Connect\"", "\"" + ARN + "client/sensor-*\"") + "}");
        assertEquals("pattern", a.connectScope());
        assertTrue(a.problems().isEmpty());
        assertEquals(1, a.statements().size());
    }

    @Test
    void fixedClientIdsArePattern() {
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(policy(stmt("Allow", "\"iot:Connect\"", "[\"" + ARN + "client/client1\"]")));
        assertEquals("pattern", a.connectScope());
        assertFalse(a.overlyPermissive());
    }

    @Test
    void denyOverridesAllow() {
        // deny fully covering an allow removes it
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(policy(
                stmt("Allow", "\"iot:Publish\"", "[\"" + ARN + "topic/a/b\",\"" + ARN + "topic/c\"]"),
                stmt("Deny", "\"iot:Publish\"", "\"" + ARN + "topic/a/*\"")));
        assertEquals(List.of("c"), a.publishTopics());
        // deny on Connect * blocks every client id
        IotPolicyAnalysis none = IotPolicyAnalyzer.analyze(policy(
                stmt("Allow", "\"iot:*\"", "\"*\""), stmt("Deny", "\"iot:Connect\"", "\"*\"")));
        assertEquals("none", none.connectScope());
        assertEquals(List.of("*"), none.publishTopics());
        // a partly overlapping deny keeps the pattern (conservative: never claim denied unless surely)
        IotPolicyAnalysis partial = IotPolicyAnalyzer.analyze(policy(
                stmt("Allow", "\"iot:Publish\"", "\"" + ARN + "topic/a/*\""),
                stmt("Deny", "\"iot:Publish\"", "\"" + ARN + "topic/a/secret\"")));
        assertEquals(List.of("a/*"), partial.publishTopics());
        // a conditional deny is not relied on
        IotPolicyAnalysis cond = IotPolicyAnalyzer.analyze(policy(
                stmt("Allow", "\"iot:Publish\"", "\"" + ARN + "topic/a\""),
                stmt("Deny", "\"iot:Publish\"", "\"" + ARN + "topic/a\"", IS_ATTACHED)));
        assertEquals(List.of("a"), cond.publishTopics());
    }

    @Test
    void connectPolicyExampleWithDeniedClients() {
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(policy(
                stmt("Deny", "[\"iot:Connect\"]", "[\"" + ARN + "client/client1\",\"" + ARN + "client/client2\"]"),
                stmt("Allow", "[\"iot:Connect\"]", "[\"" + ARN + "client/${iot:Connection.Thing.ThingName}\"]", IS_ATTACHED)));
        assertEquals("thing_name", a.connectScope());
    }

    @Test
    void connectStarUnderIsAttachedIsThingName() {
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(policy(stmt("Allow", "[\"iot:Connect\"]", "[\"*\"]",
                "{\"Bool\":{\"iot:Connection.Thing.IsAttached\":[\"true\"]}}")));
        assertEquals("thing_name", a.connectScope());
        assertFalse(a.overlyPermissive());
    }

    @Test
    void notActionAndNotResourceAreConservative() {
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(policy(
                "{\"Effect\":\"Allow\",\"NotAction\":\"iot:Connect\",\"Resource\":\"" + ARN + "topic/x\"}"));
        assertEquals("none", a.connectScope());
        assertEquals(List.of("x"), a.publishTopics());
        assertTrue(a.problems().stream().anyMatch(p -> p.contains("NotAction")));
        IotPolicyAnalysis nr = IotPolicyAnalyzer.analyze(policy(
                "{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\",\"NotResource\":\"" + ARN + "topic/x\"}"));
        assertEquals(List.of("*"), nr.publishTopics());
        assertTrue(nr.problems().stream().anyMatch(p -> p.contains("NotResource")));
        IotPolicyAnalysis nd = IotPolicyAnalyzer.analyze(policy(
                stmt("Allow", "\"iot:Publish\"", "\"" + ARN + "topic/x\""),
                "{\"Effect\":\"Deny\",\"Action\":\"iot:Publish\",\"NotResource\":\"" + ARN + "topic/y\"}"));
        assertEquals(List.of("x"), nd.publishTopics(), "a NotResource deny is not relied on");
    }

    @Test
    void badJsonAndShapes() {
        for (String bad : new String[]{null, "", "{", "[]", "42", "{\"Statement\":7}", "\"x\""}) {
            IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(bad);
            assertFalse(a.problems().isEmpty(), String.valueOf(bad));
            assertEquals("any", a.connectScope());
            assertTrue(a.overlyPermissive());
        }
        IotPolicyAnalysis missing = IotPolicyAnalyzer.analyze("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Publish\"}]}");
        assertFalse(missing.problems().isEmpty());
        assertEquals(List.of("*"), missing.publishTopics());
        IotPolicyAnalysis badDeny = IotPolicyAnalyzer.analyze(policy(
                stmt("Allow", "\"iot:Publish\"", "\"" + ARN + "topic/x\""), "{\"Effect\":\"Deny\",\"Action\":7,\"Resource\":\"*\"}"));
        assertEquals(List.of("x"), badDeny.publishTopics());
        assertFalse(badDeny.problems().isEmpty());
        IotPolicyAnalysis noStatements = IotPolicyAnalyzer.analyze("{\"Version\":\"2012-10-17\"}");
        assertEquals("none", noStatements.connectScope());
        assertFalse(noStatements.problems().isEmpty());
    }

    @Test
    void crossDeviceReachBothSides() {
        // not bound: wildcard at or before the identity level
        for (String r : new String[]{"topic/things/*", "topic/*", "topic/*/${iot:Connection.Thing.ThingName}", "topic/dev?/data"}) {
            IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(policy(stmt("Allow", "\"iot:Publish\"", "\"" + ARN + r + "\"")));
            assertTrue(a.crossDeviceReach(), r);
        }
        // subscribe: MQTT wildcards count
        assertTrue(IotPolicyAnalyzer.analyze(policy(stmt("Allow", "\"iot:Subscribe\"", "\"" + ARN + "topicfilter/devices/+\""))).crossDeviceReach());
        assertTrue(IotPolicyAnalyzer.analyze(policy(stmt("Allow", "\"iot:Subscribe\"", "\"" + ARN + "topicfilter/#\""))).crossDeviceReach());
        // bound, or fixed
        for (String r : new String[]{"topic/things/${iot:Connection.Thing.ThingName}/*", "topic/${iot:ClientId}/#",
                "topic/device/stats", "topic/devices/+"}) {
            IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(policy(stmt("Allow", "\"iot:Publish\"", "\"" + ARN + r + "\"")));
            assertFalse(a.crossDeviceReach(), r);
        }
        assertFalse(IotPolicyAnalyzer.analyze(policy(stmt("Allow", "\"iot:Subscribe\"",
                "\"" + ARN + "topicfilter/things/${iot:Connection.Thing.ThingName}/#\""))).crossDeviceReach());
    }

    @Test
    void ineffectiveDenies() {
        IotPolicyAnalysis plus = IotPolicyAnalyzer.analyze(policy(
                stmt("Allow", "\"iot:Publish\"", "\"" + ARN + "topic/*\""),
                stmt("Deny", "\"iot:Publish\"", "\"" + ARN + "topic/devices/+/admin\"")));
        assertEquals(List.of(ARN + "topic/devices/+/admin"), plus.ineffectiveDenies());
        // TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS (as described in prose on the Defender page)
        IotPolicyAnalysis bypass = IotPolicyAnalyzer.analyze(policy(
                stmt("Allow", "\"iot:Subscribe\"", "\"" + ARN + "topicfilter/building/*\""),
                stmt("Deny", "\"iot:Subscribe\"", "\"" + ARN + "topicfilter/building/control_room/*\""),
                stmt("Allow", "\"iot:Receive\"", "\"" + ARN + "topic/building/*\"")));
        assertEquals(List.of(ARN + "topicfilter/building/control_room/*"), bypass.ineffectiveDenies());
        // closing the bypass: receive on control_room is denied too
        IotPolicyAnalysis closed = IotPolicyAnalyzer.analyze(policy(
                stmt("Allow", "\"iot:Subscribe\"", "\"" + ARN + "topicfilter/building/*\""),
                stmt("Deny", "\"iot:Subscribe\"", "\"" + ARN + "topicfilter/building/control_room/*\""),
                stmt("Allow", "\"iot:Receive\"", "\"" + ARN + "topic/building/*\""),
                stmt("Deny", "\"iot:Receive\"", "\"" + ARN + "topic/building/control_room/*\"")));
        assertTrue(closed.ineffectiveDenies().isEmpty(), closed.ineffectiveDenies().toString());
        // a deny without MQTT wildcards and no wildcard subscribe allowed
        IotPolicyAnalysis fine = IotPolicyAnalyzer.analyze(policy(
                stmt("Allow", "\"iot:Subscribe\"", "\"" + ARN + "topicfilter/building/lobby\""),
                stmt("Deny", "\"iot:Subscribe\"", "\"" + ARN + "topicfilter/building/control_room/*\""),
                stmt("Allow", "\"iot:Receive\"", "\"" + ARN + "topic/building/*\"")));
        assertTrue(fine.ineffectiveDenies().isEmpty());
    }

    @Test
    void spoofableClientId() {
        String topic = stmt("Allow", "\"iot:Publish\"", "\"" + ARN + "topic/${iot:ClientId}/data\"");
        assertEquals(List.of("${iot:ClientId}"), IotPolicyAnalyzer.analyze(policy(topic,
                stmt("Allow", "\"iot:Connect\"", "\"" + ARN + "client/*\""))).spoofableVariables());
        assertEquals(List.of("${iot:ClientId}"), IotPolicyAnalyzer.analyze(policy(topic,
                stmt("Allow", "\"iot:Connect\"", "\"" + ARN + "client/sensor-*\""))).spoofableVariables());
        assertTrue(IotPolicyAnalyzer.analyze(policy(topic,
                stmt("Allow", "\"iot:Connect\"", "\"" + ARN + "client/client1\""))).spoofableVariables().isEmpty());
        assertTrue(IotPolicyAnalyzer.analyze(policy(topic,
                stmt("Allow", "\"iot:Connect\"", "\"" + ARN + "client/${iot:Connection.Thing.ThingName}\""))).spoofableVariables().isEmpty());
        // client/${iot:ClientId} lets any client id connect
        assertEquals("any", IotPolicyAnalyzer.analyze(policy(
                stmt("Allow", "\"iot:Connect\"", "\"" + ARN + "client/${iot:ClientId}\""))).connectScope());
    }

    @Test
    void overlyPermissiveShadowsOfOtherThings() {
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(policy(
                stmt("Allow", "\"iot:GetThingShadow\"", "\"" + ARN + "thing/*\"")));
        assertTrue(a.overlyPermissive());
        IotPolicyAnalysis own = IotPolicyAnalyzer.analyze(policy(
                stmt("Allow", "\"iot:*ThingShadow\"", "\"" + ARN + "thing/${iot:Connection.Thing.ThingName}\"")));
        assertFalse(own.overlyPermissive());
    }

    @Test
    void serviceScopedActionWildcards() {
        assertTrue(IotActions.expand(List.of("iot:*"), false).stream().noneMatch(a -> a.startsWith("iotjobsdata:")));
        assertTrue(IotActions.expand(List.of("*"), false).contains("iotjobsdata:UpdateJobExecution"));
        assertEquals(List.of("iot:Connect"), IotActions.expand(List.of("iot:conn?ct"), false));
        IotPolicyAnalysis jobs = IotPolicyAnalyzer.analyze(policy(stmt("Allow", "\"iotjobsdata:*\"", "\"" + ARN + "thing/*\"")));
        assertTrue(jobs.overlyPermissive());
        assertTrue(jobs.overlyPermissiveReasons().stream().allMatch(r -> r.contains("iotjobsdata:")), jobs.overlyPermissiveReasons().toString());
        IotPolicyAnalysis named = IotPolicyAnalyzer.analyze(policy(stmt("Allow", "\"iot:GetThingShadow\"",
                "\"" + ARN + "thing/${iot:Connection.Thing.ThingName}/*\"")));
        assertFalse(named.overlyPermissive());
    }

    @Test
    void denyOfOneClientLeavesAnyClient() {
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(policy(
                stmt("Allow", "\"iot:Connect\"", "\"" + ARN + "client/*\""),
                stmt("Deny", "\"iot:Connect\"", "\"" + ARN + "client/admin\"")));
        assertEquals("any", a.connectScope());
        assertTrue(a.overlyPermissive());
    }
}
