package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** End-to-end tests of {@code warden scan}: real configs, real pack, every exit code, every format. */
class ScanCommandTest {

    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();
    static final String INSECURE = EXAMPLES.resolve("insecure/mosquitto.conf").toString();
    static final String HARDENED = EXAMPLES.resolve("hardened/mosquitto.conf").toString();
    static final String PACK = "builtin:mqtt-broker-baseline";

    static CliRun scan(String... extra) {
        List<String> a = new ArrayList<>(List.of("scan", "--root", EXAMPLES.getParent().toString()));
        a.addAll(List.of(extra));
        return CliRun.of(a.toArray(String[]::new));
    }

    @Test
    void insecureExampleFailsWithExitOneAndExactLocations() {
        CliRun r = scan("-p", PACK, "--mosquitto", INSECURE, "--mosquitto-version", "2.0.11", "--color", "never");
        assertEquals(ExitCode.VIOLATIONS, r.code(), r::toString);
        String out = r.out();
        assertTrue(out.contains("examples/insecure/mosquitto.conf:12  listener 1883 (mqtt) accepts plaintext connections"), out);
        assertTrue(out.contains("examples/insecure/mosquitto.conf:13  listener 1883 accepts anonymous clients"), out);
        assertTrue(out.contains("examples/insecure/mosquitto.conf:23  listener 8883 accepts TLS 1.1, below 1.2"), out);
        assertTrue(out.contains("examples/insecure/acl:5  `readwrite` grant of `#` reaches every client's topics"), out);
        assertTrue(out.contains("mosquitto 2.0.11 is below the fix floor"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("summary: 18 controls")), out);
        assertFalse(out.contains("\u001b["), "no ANSI colors when not asked");
    }

    @Test
    void hardenedExampleIsCompliant() {
        CliRun r = scan("-p", PACK, "--mosquitto", HARDENED, "--mosquitto-version", "2.0.21");
        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertTrue(r.out().contains("· 0 failed"), r.out());
    }

    @Test
    void failOnThresholdAndUnknowns() {
        // the insecure example has critical violations, so even the strictest threshold fails; `none` never fails on findings
        assertEquals(ExitCode.VIOLATIONS, scan("-p", PACK, "--mosquitto", INSECURE, "--mosquitto-version", "2.0.11", "--fail-on", "critical").code());
        assertEquals(ExitCode.OK, scan("-p", PACK, "--mosquitto", INSECURE, "--mosquitto-version", "2.0.11", "--fail-on", "none").code());
        // hardened with no version: BRK-UPD-001 is UNKNOWN, never PASS; it fails CI only when asked
        CliRun unknown = scan("-p", PACK, "--mosquitto", HARDENED);
        assertEquals(ExitCode.OK, unknown.code(), unknown::toString);
        assertTrue(unknown.out().contains("UNKNOWN") && unknown.out().contains("broker version not known"), unknown.out());
        assertEquals(ExitCode.VIOLATIONS, scan("-p", PACK, "--mosquitto", HARDENED, "--fail-on-unknown").code());
    }

    @Test
    void paramOverridesChangeTheVerdict(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "max_packet_size 2097152\n");
        assertTrue(scan("-p", PACK, "--mosquitto", conf.toString(), "--fail-on", "none", "--color", "never").out()
                .contains("max_packet_size is 2MiB"));
        CliRun r = scan("-p", PACK, "--mosquitto", conf.toString(), "--param", "max_packet=4MiB", "--color", "never");
        assertFalse(r.out().contains("max_packet_size is 2MiB"), r.out());
        CliRun bad = scan("-p", PACK, "--mosquitto", conf.toString(), "--param", "max_pakcet=4MiB");
        assertEquals(ExitCode.INVALID, bad.code());
        assertTrue(bad.err().contains("error[dsl.unknown_param]: unknown param `max_pakcet`") && bad.err().contains("did you mean `max_packet`?"), bad.err());
        CliRun badValue = scan("-p", PACK, "--mosquitto", conf.toString(), "--param", "max_packet=lots");
        assertEquals(ExitCode.INVALID, badValue.code());
        assertTrue(badValue.err().contains("error[dsl.bad_param_value]"), badValue.err());
    }

    @Test
    void sarifJsonJunitAndMarkdownInOneRun(@TempDir Path dir) throws Exception {
        Path sarif = dir.resolve("out/w.sarif"), json = dir.resolve("w.json"), junit = dir.resolve("w.xml"), md = dir.resolve("w.md");
        CliRun r = scan("-p", PACK, "--mosquitto", INSECURE, "--mosquitto-version", "2.0.11",
                "-f", "sarif", "-o", sarif.toString(), "-f", "json", "-o", json.toString(),
                "-f", "junit", "-o", junit.toString(), "-f", "markdown", "-o", md.toString(), "-f", "text");
        assertEquals(ExitCode.VIOLATIONS, r.code(), r::toString);
        ObjectMapper m = new ObjectMapper();
        JsonNode doc = m.readTree(sarif.toFile());
        JsonSchema schema;
        try (InputStream in = Files.newInputStream(Path.of("..", "evaluator", "src", "test", "resources", "sarif-schema-2.1.0.json"))) {
            schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in);
        }
        Set<ValidationMessage> errors = schema.validate(doc);
        assertTrue(errors.isEmpty(), errors::toString);
        JsonNode results = doc.path("runs").get(0).path("results");
        boolean located = false;
        for (JsonNode res : results) {
            JsonNode loc = res.path("locations").path(0).path("physicalLocation");
            if (res.path("ruleId").asText().equals("BRK-AUTH-001")) {
                assertEquals("examples/insecure/mosquitto.conf", loc.path("artifactLocation").path("uri").asText());
                assertEquals(13, loc.path("region").path("startLine").asInt());
                assertFalse(res.path("partialFingerprints").isEmpty());
                located = true;
            }
        }
        assertTrue(located, "BRK-AUTH-001 result with its location");
        assertEquals("warden.report/v1", m.readTree(json.toFile()).path("schema").asText());
        assertTrue(Files.readString(junit).contains("classname=\"BRK-TLS-001\""));
        assertTrue(Files.readString(md).contains("BRK-ACL-002"));
        assertTrue(r.out().contains("summary:"), "the text report still goes to stdout");
        for (Path p : List.of(sarif, json, junit, md)) {
            assertFalse(Files.readString(p).contains("$7$"), "a password hash leaked into " + p);
        }
    }

    @Test
    void malformedPolicyIsExitTwoWithALocatedDiagnostic(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.warden");
        Files.writeString(bad, "control X-1 \"x\" {\n  severity high\n  for l in broker.listeners\n  require l.tls.enabeld\n}\n");
        CliRun r = CliRun.of("scan", "--root", dir.toString(), "-p", bad.toString(), "--mosquitto", INSECURE);
        assertEquals(ExitCode.INVALID, r.code(), r::toString);
        assertEquals("""
                error[dsl.unknown_field]: `Tls` has no field `enabeld`
                  --> bad.warden:4:17
                  |
                4 |   require l.tls.enabeld
                  |                 ^^^^^^^
                  = help: did you mean `enabled`?
                1 error, 0 warnings
                """, r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void badInputsAreExitTwoNotStackTraces(@TempDir Path dir) {
        CliRun missing = scan("-p", PACK, "--mosquitto", dir.resolve("nope.conf").toString());
        assertEquals(ExitCode.INVALID, missing.code(), missing::toString);
        assertFalse((missing.out() + missing.err()).contains("Exception"), missing::toString);
        CliRun noPolicy = scan("-p", "builtin:nope", "--mosquitto", INSECURE);
        assertEquals(ExitCode.INVALID, noPolicy.code());
        assertTrue(noPolicy.err().contains("error[cli.unknown_builtin]: no built-in policy pack `nope`"), noPolicy.err());
        CliRun badFormat = scan("-p", PACK, "--mosquitto", INSECURE, "-f", "pdf");
        assertEquals(ExitCode.INVALID, badFormat.code());
        assertTrue(badFormat.err().contains("unknown format `pdf`"), badFormat.err());
        CliRun badOption = scan("--frobnicate");
        assertEquals(ExitCode.INVALID, badOption.code());
        assertTrue(badOption.err().startsWith("error[cli.usage]"), badOption.err());
        CliRun unwritable = scan("-p", PACK, "--mosquitto", INSECURE, "-f", "json", "-o", dir.toString());
        assertEquals(ExitCode.INVALID, unwritable.code(), unwritable::toString);
        assertTrue(unwritable.err().contains("error[cli.cannot_write]"), unwritable.err());
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        @Override public Integer call() { throw new IllegalStateException("simulated defect"); }
    }

    @Test
    void internalErrorsAreExitThreeWithoutAStackTrace() {
        CliRun r = CliRun.with(new Boom());
        assertEquals(ExitCode.INTERNAL, r.code());
        assertTrue(r.err().startsWith("error[internal]: warden failed: java.lang.IllegalStateException: simulated defect"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace unless WARDEN_DEBUG is set");
    }

    @Test
    void probedVersionOfTheInstalledMosquittoIsJudged() {
        Path bin = Path.of("/usr/sbin/mosquitto");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(bin), "mosquitto is installed by .ci/run");
        CliRun r = scan("-p", PACK, "--mosquitto", HARDENED, "--probe-version", "--mosquitto-bin", bin.toString(), "--color", "never");
        // Debian 12 ships 2.0.11, below the 2.0.21 floor: the probe must turn UNKNOWN into a located FAIL
        assertTrue(r.out().contains("BRK-UPD-001") && r.out().contains("mosquitto 2.0."), r.out());
        assertFalse(r.out().contains("broker version not known"), r.out());
    }

    @Test
    void exitCodesAreDistinct() {
        assertEquals(4, Set.of(ExitCode.OK, ExitCode.VIOLATIONS, ExitCode.INVALID, ExitCode.INTERNAL).size());
    }
}
