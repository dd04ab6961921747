package dev.warden.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import dev.warden.eval.ControlInfo;
import dev.warden.eval.Finding;
import dev.warden.eval.ScanReport;
import dev.warden.eval.Status;
import dev.warden.model.Origin;
import dev.warden.model.Severity;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.warden.eval.report.ReportFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SarifReportWriterTest {

    private static final JsonSchema SCHEMA = Schemas.sarif();

    private static JsonNode sarif(ScanReport r) {
        return Schemas.parse(Reports.render(r, Reports.Format.SARIF, false));
    }

    private static JsonNode run(ScanReport r) {
        return sarif(r).at("/runs/0");
    }

    @Test
    void validatesAgainstOasisSchema() {
        Schemas.assertValid(SCHEMA, sarif(report()));
        Schemas.assertValid(SCHEMA, sarif(empty()));
    }

    @Test
    void schemaIsReallyChecked() {
        ObjectNode doc = (ObjectNode) sarif(report());
        ((ObjectNode) doc.at("/runs/0/results/0")).put("level", "fatal");
        assertFalse(Schemas.errors(SCHEMA, doc).isEmpty());
    }

    @Test
    void oneRunWithDriverAndOneRulePerControl() {
        JsonNode log = sarif(report());
        assertEquals("2.1.0", log.get("version").asText());
        assertEquals(1, log.get("runs").size());
        JsonNode driver = log.at("/runs/0/tool/driver");
        assertEquals("Warden", driver.get("name").asText());
        assertEquals("0.1.0-test", driver.get("version").asText());
        JsonNode rules = driver.get("rules");
        assertEquals(7, rules.size());
        assertEquals("BRK-ACL-001", rules.get(0).get("id").asText());

        JsonNode tls = rules.get(3);
        assertEquals("BRK-TLS-001", tls.get("id").asText());
        assertEquals("EveryListenerRequiresTLS", tls.get("name").asText());
        assertEquals("Every listener requires TLS", tls.at("/shortDescription/text").asText());
        assertEquals("Plaintext listeners expose credentials and payloads to anyone on the path.",
                tls.at("/fullDescription/text").asText());
        assertEquals("https://mosquitto.org/man/mosquitto-conf-5.html", tls.get("helpUri").asText());
        assertEquals("Set certfile/keyfile on the listener or remove it.\n\nReferences:\n"
                + "- https://mosquitto.org/man/mosquitto-conf-5.html\n- CIS MQTT Benchmark 1.2", tls.at("/help/text").asText());
        assertEquals("Set certfile/keyfile on the listener or remove it.\n\n**References**\n\n"
                + "- <https://mosquitto.org/man/mosquitto-conf-5.html>\n- CIS MQTT Benchmark 1.2", tls.at("/help/markdown").asText());
        assertEquals("error", tls.at("/defaultConfiguration/level").asText());
        assertEquals("[\"tls\",\"mitm\",\"security\"]", tls.at("/properties/tags").toString());
        assertEquals("8.0", tls.at("/properties/security-severity").asText());
        assertEquals("very-high", tls.at("/properties/precision").asText());

        JsonNode anon = rules.get(1);
        assertEquals("Anonymous clients are refused", anon.at("/fullDescription/text").asText(), "falls back to the title");
        assertFalse(anon.has("helpUri"));
        assertEquals("9.5", anon.at("/properties/security-severity").asText());
        assertEquals("Set \\`allow\\_anonymous false\\` and configure a password file \\| plugin.",
                anon.at("/help/markdown").asText());
        assertEquals("warning", rules.get(2).at("/defaultConfiguration/level").asText());
        assertEquals("note", rules.get(4).at("/defaultConfiguration/level").asText());
        assertEquals("BrokerVersionCVEFloorÜnïcödé", rules.get(4).get("name").asText());
        assertFalse(rules.get(4).has("help"), "no remediation and no references: no help");
        assertEquals("note", rules.get(0).at("/defaultConfiguration/level").asText());
    }

    @Test
    void resultsOnlyForFailAndUnknown() {
        JsonNode results = run(report()).get("results");
        List<String> got = new ArrayList<>();
        results.forEach(r -> got.add(r.get("ruleId").asText() + " " + r.get("kind").asText() + " " + r.get("level").asText()));
        assertEquals(List.of("BRK-AUTH-001 fail error", "BRK-DOS-001 fail warning", "BRK-TLS-001 fail error",
                "NET-SG-001 review none"), got);
        JsonNode rules = run(report()).at("/tool/driver/rules");
        for (JsonNode r : results) {
            assertEquals(r.get("ruleId").asText(), rules.get(r.get("ruleIndex").asInt()).get("id").asText());
        }
        assertEquals(NASTY, results.get(0).at("/message/text").asText());
        assertEquals("ingress rules of sg-0123 could not be read (aws.ec2.ingress_rules: AccessDenied)",
                results.get(3).at("/message/text").asText());
    }

    @Test
    void fileLocationsAreRelativeToScanRoot() {
        JsonNode run = run(report());
        assertEquals("file:///work/scan%20root/", run.at("/originalUriBaseIds/SCANROOT/uri").asText());
        JsonNode tls = run.at("/results/2/locations/0/physicalLocation");
        assertEquals("examples/insecure/mosquitto.conf", tls.at("/artifactLocation/uri").asText());
        assertEquals("SCANROOT", tls.at("/artifactLocation/uriBaseId").asText());
        assertEquals(3, tls.at("/region/startLine").asInt());
        assertFalse(tls.at("/region").has("startColumn"));

        JsonNode dflt = run.at("/results/1/locations/0");
        assertFalse(dflt.get("physicalLocation").has("region"), "no line, no region");
        assertEquals("examples/insecure/mosquitto.conf", dflt.at("/physicalLocation/artifactLocation/uri").asText());
        assertEquals("mosquitto.conf(5)", dflt.at("/message/text").asText());
    }

    @Test
    void nonFileOriginsBecomeLogicalLocations() {
        JsonNode loc = run(report()).at("/results/3/locations/0");
        assertFalse(loc.has("physicalLocation"));
        JsonNode logical = loc.at("/logicalLocations/0");
        assertEquals("security group sg-0123", logical.get("name").asText());
        assertEquals(SG_ARN, logical.get("fullyQualifiedName").asText());
        assertEquals("resource", logical.get("kind").asText());
    }

    @Test
    void fingerprintsAreStableWhenLinesMove() {
        JsonNode before = run(report(findings(0), controls(), diagnostics())).get("results");
        JsonNode after = run(report(findings(40), controls(), diagnostics())).get("results");
        assertEquals(before.size(), after.size());
        for (int i = 0; i < before.size(); i++) {
            String fp = before.get(i).at("/partialFingerprints/wardenFinding~1v1").asText();
            assertTrue(fp.matches("[0-9a-f]{64}"), fp);
            assertEquals(fp, after.get(i).at("/partialFingerprints/wardenFinding~1v1").asText());
        }
        assertNotEquals(before.toString(), after.toString(), "the lines did move");
        assertEquals(3 + 40, after.get(2).at("/locations/0/physicalLocation/region/startLine").asInt());
    }

    @Test
    void fingerprintsDifferPerResourceAndControl() {
        JsonNode results = run(report()).get("results");
        java.util.Set<String> fps = new java.util.HashSet<>();
        results.forEach(r -> fps.add(r.at("/partialFingerprints/wardenFinding~1v1").asText()));
        assertEquals(results.size(), fps.size());
    }

    @Test
    void fingerprintIsSha256OfTheDocumentedKey() throws Exception {
        Finding f = findings().get(0);
        byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(
                ("BRK-TLS-001|listener|1883 0.0.0.0|" + CONF).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(java.util.HexFormat.of().formatHex(d), SarifReportWriter.fingerprint(f));
    }

    @Test
    void invocationReportsCollectionDiagnostics() {
        JsonNode inv = run(report()).at("/invocations/0");
        assertTrue(inv.get("executionSuccessful").asBoolean());
        assertEquals("2026-01-02T03:04:05.678Z", inv.get("startTimeUtc").asText());
        assertEquals("2026-01-02T03:04:06.912Z", inv.get("endTimeUtc").asText());
        JsonNode notes = inv.get("toolExecutionNotifications");
        assertEquals(2, notes.size());
        assertEquals("warning", notes.get(0).get("level").asText());
        assertEquals("AWS-ACCESS-001", notes.at("/0/descriptor/id").asText());
        assertEquals(SG_ARN, notes.at("/0/locations/0/logicalLocations/0/fullyQualifiedName").asText());
        assertEquals("error", notes.get(1).get("level").asText());
        assertEquals("unknown option `listner` (help: did you mean `listener`?)", notes.at("/1/message/text").asText());
        assertEquals("examples/insecure/mosquitto.conf", notes.at("/1/locations/0/physicalLocation/artifactLocation/uri").asText());
        assertEquals(7, notes.at("/1/locations/0/physicalLocation/region/startLine").asInt());
        assertEquals(1, notes.at("/1/locations/0/physicalLocation/region/startColumn").asInt());
    }

    @Test
    void awkwardPathsAreEncodedAndStillValid() {
        ControlInfo c = tls();
        List<Finding> fs = List.of(
                finding(c, Status.FAIL, "listener", "a", "m", Origin.file("conf dir/ü#1?.conf", 2)),
                finding(c, Status.FAIL, "listener", "b", "m", Origin.file("c:odd/x.conf", 2)),
                finding(c, Status.FAIL, "listener", "c", "m", Origin.file("/etc/mosquitto/mosquitto.conf", 4)),
                finding(c, Status.FAIL, "listener", "d", "m", Origin.file("C:\\conf\\m.conf", 4)),
                finding(c, Status.FAIL, "listener", "", "m", Origin.NONE));
        JsonNode log = sarif(report(fs, List.of(c), List.of()));
        Schemas.assertValid(SCHEMA, log);
        JsonNode results = log.at("/runs/0/results");
        List<String> uris = new ArrayList<>();
        results.forEach(r -> uris.add(r.at("/locations/0/physicalLocation/artifactLocation/uri").asText()
                + " " + r.at("/locations/0/physicalLocation/artifactLocation/uriBaseId").asText()));
        assertEquals(List.of(" ", "file:///etc/mosquitto/mosquitto.conf ", "file:///C:/conf/m.conf ",
                "c%3Aodd/x.conf SCANROOT", "conf%20dir/%C3%BC%231%3F.conf SCANROOT"), uris);
        assertEquals("listener", results.get(0).at("/locations/0/logicalLocations/0/name").asText());
    }

    @Test
    void rootUriAlwaysEndsWithSlash() {
        assertEquals("file:///srv/scan/", SarifReportWriter.rootUri(Path.of("/srv/scan")));
        assertEquals("file:///srv/scan/", SarifReportWriter.rootUri(Path.of("/srv/scan/")));
        assertEquals("file:///", SarifReportWriter.rootUri(Path.of("/")));
        assertTrue(SarifReportWriter.rootUri(Path.of("rel")).matches("file:///.*/rel/"));
    }

    @Test
    void pascalCase() {
        assertEquals("EveryListenerRequiresTLS", SarifReportWriter.pascalCase("Every listener requires TLS", "X"));
        assertEquals("NoSecurityGroupOpensMQTTToTheInternet",
                SarifReportWriter.pascalCase("No security group opens MQTT to the internet", "X"));
        assertEquals("X-1", SarifReportWriter.pascalCase("  --  ", "X-1"));
        assertEquals("MaxPacketSizeIsSet", SarifReportWriter.pascalCase("max_packet_size is set", "X"));
    }

    @Test
    void severityToLevel() {
        assertEquals("error", SarifReportWriter.level(Severity.CRITICAL));
        assertEquals("error", SarifReportWriter.level(Severity.HIGH));
        assertEquals("warning", SarifReportWriter.level(Severity.MEDIUM));
        assertEquals("note", SarifReportWriter.level(Severity.LOW));
        assertEquals("note", SarifReportWriter.level(Severity.INFO));
    }

    @Test
    void deterministicWhateverTheInputOrder() {
        String a = Reports.render(report(), Reports.Format.SARIF, false);
        for (long seed = 1; seed <= 5; seed++) assertEquals(a, Reports.render(shuffled(report(), seed), Reports.Format.SARIF, false));
    }
}
