package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompileCommandTest {

    static final String POLICY = """
            authorize devices {
              connect require client.cert.cn == client.id
              allow publish   "devices/${client.id}/telemetry/#" qos 0..1
              allow subscribe "devices/${client.id}/commands/#"
              limit publish per client 10/s
            }
            """;

    static Path policy(Path dir, String text) throws Exception {
        Path p = dir.resolve("p.warden");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void mosquittoTargetWritesAclAndConfAndReportsWhatItCannotEnforce(@TempDir Path dir) throws Exception {
        Path p = policy(dir, POLICY);
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("compile", "--target", "mosquitto", "--out", out.toString(), p.toString());
        assertEquals(0, r.code(), r.toString());
        String acl = Files.readString(out.resolve("acl"));
        assertTrue(acl.contains("pattern write devices/%c/telemetry/#"), acl);
        assertTrue(acl.contains("pattern read devices/%c/commands/#"), acl);
        assertTrue(Files.readString(out.resolve("mosquitto.conf")).contains("acl_file"), r.toString());
        assertTrue(r.err().contains("rate"), "the rate limit is reported: " + r.err());
        CliRun strict = CliRun.of("compile", "--target", "mosquitto", "--out", out.toString(), "--fail-on-unenforceable", p.toString());
        assertEquals(ExitCode.VIOLATIONS, strict.code(), strict.toString());
    }

    @Test
    void awsTargetPrintsThePolicy(@TempDir Path dir) throws Exception {
        Path p = policy(dir, POLICY);
        CliRun r = CliRun.of("compile", "--target", "aws-iot-policy", "--account", "123456789012", "--region", "eu-west-1", p.toString());
        assertEquals(0, r.code(), r.toString());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("2012-10-17", doc.get("Version").asText());
        assertTrue(r.out().contains("arn:aws:iot:eu-west-1:123456789012:client/${iot:Connection.Thing.ThingName}"), r.out());
    }

    @Test
    void badInputIsAClearError(@TempDir Path dir) throws Exception {
        Path p = policy(dir, POLICY);
        CliRun unknown = CliRun.of("compile", "--target", "emqx", p.toString());
        assertEquals(ExitCode.INVALID, unknown.code());
        assertTrue(unknown.err().contains("unknown --target `emqx`"), unknown.toString());
        CliRun noOut = CliRun.of("compile", "--target", "mosquitto", p.toString());
        assertEquals(ExitCode.INVALID, noOut.code());
        assertTrue(noOut.err().contains("give --out DIR"), noOut.toString());
        Path none = policy(dir, "control X-1 \"t\" { severity low\n require true }\n");
        CliRun noBlock = CliRun.of("compile", "--target", "aws-iot-policy", none.toString());
        assertEquals(ExitCode.INVALID, noBlock.code());
        assertTrue(noBlock.err().contains("error[cli.no_authorize]"), noBlock.toString());
        Path two = policy(dir, POLICY + "authorize other { allow publish \"x\" }\n");
        CliRun several = CliRun.of("compile", "--target", "aws-iot-policy", two.toString());
        assertTrue(several.err().contains("several `authorize` blocks"), several.toString());
        assertEquals(0, CliRun.of("compile", "--target", "aws-iot-policy", "--authorize", "other", two.toString()).code());
        assertTrue(!several.err().contains("Exception"), several.toString());
    }

    @Test
    void serveRefusesPlaintextOffLoopback(@TempDir Path dir) throws Exception {
        Path p = policy(dir, POLICY);
        CliRun r = CliRun.of("serve", "pdp", "--policy", p.toString(), "--bind", "0.0.0.0", "--port", "0", "--insecure-plaintext-loopback");
        assertEquals(ExitCode.INVALID, r.code(), r.toString());
        assertTrue(r.err().contains("error: "), r.toString());
        assertTrue(!r.err().contains("Exception"), r.toString());
    }

    @Test
    void scanJudgesRuntimeRulesWithoutACollector(@TempDir Path dir) throws Exception {
        Path p = policy(dir, POLICY);
        CliRun r = CliRun.of("scan", "--policy", "builtin:runtime-authz-baseline", "--policy", p.toString(), "--format", "json");
        assertEquals(ExitCode.VIOLATIONS, r.code(), r.toString());
        JsonNode report = new ObjectMapper().readTree(r.out());
        assertTrue(report.toString().contains("RT-DOS-001"), r.out());
        assertTrue(report.toString().contains("does not limit connections per address"), r.out());
        CliRun nothing = CliRun.of("scan", "--policy", "builtin:mqtt-broker-baseline");
        assertEquals(ExitCode.INVALID, nothing.code(), nothing.toString());
        assertTrue(nothing.err().contains("nothing to scan"), nothing.toString());
    }
}
