package dev.warden.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import dev.warden.eval.ScanReport;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.warden.eval.report.ReportFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonReportWriterTest {

    private static final JsonSchema SCHEMA = Schemas.report();

    private static JsonNode json(ScanReport r) {
        return Schemas.parse(Reports.render(r, Reports.Format.JSON, false));
    }

    @Test
    void validatesAgainstDocumentedSchema() {
        Schemas.assertValid(SCHEMA, json(report()));
        Schemas.assertValid(SCHEMA, json(empty()));
    }

    @Test
    void schemaRejectsWhatTheWriterMustNotProduce() {
        ObjectNode doc = (ObjectNode) json(report());
        ((ObjectNode) doc.get("findings").get(0)).put("status", "FAIL");
        assertFalse(Schemas.errors(SCHEMA, doc).isEmpty(), "uppercase status must be rejected");
        ObjectNode doc2 = (ObjectNode) json(report());
        doc2.put("schema", "warden.report/v2");
        assertFalse(Schemas.errors(SCHEMA, doc2).isEmpty(), "other schema versions must be rejected");
        ObjectNode doc3 = (ObjectNode) json(report());
        doc3.remove("summary");
        assertFalse(Schemas.errors(SCHEMA, doc3).isEmpty(), "summary is required");
    }

    @Test
    void topLevelFields() {
        JsonNode j = json(report());
        List<String> names = new ArrayList<>();
        j.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("schema", "tool", "started_at", "elapsed_ms", "root", "inputs", "params", "summary", "controls",
                "findings", "diagnostics"), names);
        assertEquals("warden.report/v1", j.get("schema").asText());
        assertEquals("0.1.0-test", j.at("/tool/version").asText());
        assertEquals("2026-01-02T03:04:05.678Z", j.get("started_at").asText());
        assertEquals(1234, j.get("elapsed_ms").asInt());
        assertEquals("/work/scan root", j.get("root").asText());
        assertEquals(List.of("min_tls", "mqtt_ports"), fieldNames(j.get("params")));
    }

    @Test
    void summaryCounts() {
        JsonNode s = json(report()).get("summary");
        assertEquals(7, s.get("controls").asInt());
        assertEquals(10, s.get("findings").asInt());
        assertEquals(5, s.at("/by_status/pass").asInt());
        assertEquals(3, s.at("/by_status/fail").asInt());
        assertEquals(1, s.at("/by_status/unknown").asInt());
        assertEquals(1, s.at("/by_status/not-applicable").asInt());
        assertEquals(3, s.at("/controls_by_status/fail").asInt());
        assertEquals(1, s.at("/controls_by_status/unknown").asInt());
        assertEquals(1, s.at("/controls_by_status/pass").asInt());
        assertEquals(2, s.at("/controls_by_status/not-applicable").asInt());
        assertEquals(1, s.at("/failures_by_severity/critical").asInt());
        assertEquals(1, s.at("/failures_by_severity/high").asInt());
        assertEquals(1, s.at("/failures_by_severity/medium").asInt());
        assertEquals(0, s.at("/failures_by_severity/low").asInt());
        assertEquals(1, s.at("/diagnostics/error").asInt());
        assertEquals(1, s.at("/diagnostics/warning").asInt());
    }

    @Test
    void controlsSortedByIdWithMetadata() {
        JsonNode cs = json(report()).get("controls");
        List<String> ids = new ArrayList<>();
        cs.forEach(c -> ids.add(c.get("id").asText()));
        assertEquals(List.of("BRK-ACL-001", "BRK-AUTH-001", "BRK-DOS-001", "BRK-TLS-001", "BRK-UPD-001", "NET-SG-001",
                "WAF-RATE-001"), ids);
        JsonNode tls = cs.get(3);
        assertEquals("high", tls.get("severity").asText());
        assertEquals("fail", tls.get("status").asText());
        assertEquals("mqtt.broker.baseline", tls.get("package").asText());
        assertEquals("policies/baseline.warden", tls.at("/policy_location/file").asText());
        assertEquals(12, tls.at("/policy_location/line").asInt());
        assertEquals("[\"tls\",\"mitm\"]", tls.get("tags").toString());
        assertTrue(cs.get(4).get("policy_location").isNull());
        assertEquals("Broker version ≥ CVE floor — ünïcödé 🚀", cs.get(4).get("title").asText());
    }

    @Test
    void findingsCarryLocationsAndEscapedText() {
        JsonNode fs = json(report()).get("findings");
        assertEquals(10, fs.size());
        JsonNode anon = fs.get(0);
        assertEquals("BRK-AUTH-001", anon.get("control_id").asText());
        assertEquals("fail", anon.get("status").asText());
        assertEquals("critical", anon.get("severity").asText());
        assertEquals(NASTY, anon.get("message").asText());
        assertEquals("{\"kind\":\"file\",\"file\":\"examples/insecure/mosquitto.conf\",\"line\":5,\"column\":0,\"note\":\"\"}",
                anon.get("location").toString());
        JsonNode unknown = find(fs, "NET-SG-001", "unknown");
        assertEquals("api", unknown.at("/location/kind").asText());
        assertEquals(SG_ARN, unknown.at("/location/file").asText());
        assertEquals("ec2:DescribeSecurityGroups", unknown.at("/location/note").asText());
        assertEquals("aws.ec2.ingress_rules: AccessDenied", unknown.at("/details/0").asText());
        JsonNode na = find(fs, "WAF-RATE-001", "not-applicable");
        assertEquals("none", na.at("/location/kind").asText());
        JsonNode dflt = find(fs, "BRK-DOS-001", "fail");
        assertEquals("default", dflt.at("/location/kind").asText());
        assertEquals(0, dflt.at("/location/line").asInt());
    }

    @Test
    void diagnosticsSortedByLocation() {
        JsonNode ds = json(report()).get("diagnostics");
        assertEquals(2, ds.size());
        assertEquals("warning", ds.get(0).get("level").asText());
        assertEquals("AWS-ACCESS-001", ds.get(0).get("code").asText());
        assertEquals("error", ds.get(1).get("level").asText());
        assertEquals(7, ds.get(1).at("/location/line").asInt());
        assertEquals(1, ds.get(1).at("/location/column").asInt());
        assertEquals("did you mean `listener`?", ds.get(1).get("help").asText());
    }

    @Test
    void deterministicAndNewlineTerminated() {
        String a = Reports.render(report(), Reports.Format.JSON, false);
        for (long seed = 1; seed <= 5; seed++) assertEquals(a, Reports.render(shuffled(report(), seed), Reports.Format.JSON, false));
        assertTrue(a.endsWith("}\n"));
        assertFalse(a.contains("\r"));
        assertTrue(a.contains("\n  \"schema\": \"warden.report/v1\",\n"), a.substring(0, 80));
    }

    @Test
    void leavesTheTargetWriterOpen() throws Exception {
        java.io.StringWriter w = new java.io.StringWriter() {
            @Override public void close() { throw new AssertionError("writer closed"); }
        };
        new JsonReportWriter().write(report(), w, false);
        w.write("more");
        assertTrue(w.toString().endsWith("}\nmore"));
    }

    private static JsonNode find(JsonNode fs, String control, String status) {
        for (JsonNode f : fs) {
            if (f.get("control_id").asText().equals(control) && f.get("status").asText().equals(status)) return f;
        }
        throw new AssertionError(control + " " + status);
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
