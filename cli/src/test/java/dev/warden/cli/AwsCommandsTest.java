package dev.warden.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code warden collect aws} and {@code warden scan --aws/--aws-snapshot} against a loopback endpoint that answers
 * IoT policy calls and denies everything else (so the scan mixes collected data and UNKNOWN).
 */
class AwsCommandsTest {
    static final String POLICY = """
            package test.aws
            title "AWS test pack"

            control AWS-IOT-001 "IoT policies are not overly permissive" {
              severity high
              for p in aws.iot_policies
              require not p.overly_permissive
                else "policy {p.name} is overly permissive"
            }

            control AWS-IOT-002 "IoT logging is on" {
              severity medium
              for l in aws.iot_logging
              require l.enabled
                else "IoT logging is off in {l.region}"
            }

            control AWS-SG-001 "Security groups are in use" {
              severity low
              for g in aws.security_groups
              require g.in_use
                else "{g.group_id} is not attached"
            }
            """;

    HttpServer server;
    final AtomicInteger requests = new AtomicInteger();
    Path policy;

    @BeforeEach
    void start(@TempDir Path dir) throws IOException {
        policy = dir.resolve("aws.warden");
        Files.writeString(policy, POLICY);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            requests.incrementAndGet();
            String path = ex.getRequestURI().getRawPath();
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String ctype = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
            ex.getRequestBody().readAllBytes();
            int status;
            String type, body;
            String errorType = null;
            if (target != null) {
                status = 400; type = "application/x-amz-json-1.1"; body = "{\"__type\":\"AccessDeniedException\",\"message\":\"denied\"}";
            } else if (ctype.startsWith("application/x-www-form-urlencoded")) {
                status = 403; type = "text/xml";
                body = "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>denied</Message></Error></Errors><RequestID>1</RequestID></Response>";
            } else if (path.equals("/policies")) {
                status = 200; type = "application/json";
                body = "{\"policies\":[{\"policyName\":\"open\",\"policyArn\":\"arn:aws:iot:eu-west-1:123456789012:policy/open\"},"
                        + "{\"policyName\":\"tight\",\"policyArn\":\"arn:aws:iot:eu-west-1:123456789012:policy/tight\"}]}";
            } else if (path.equals("/policies/open")) {
                status = 200; type = "application/json";
                body = "{\"policyName\":\"open\",\"policyArn\":\"arn:aws:iot:eu-west-1:123456789012:policy/open\",\"defaultVersionId\":\"1\","
                        + "\"policyDocument\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"iot:*\\\",\\\"Resource\\\":\\\"*\\\"}]}\"}";
            } else if (path.equals("/policies/tight")) {
                status = 200; type = "application/json";
                body = "{\"policyName\":\"tight\",\"policyArn\":\"arn:aws:iot:eu-west-1:123456789012:policy/tight\",\"defaultVersionId\":\"1\","
                        + "\"policyDocument\":\"{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"iot:Connect\\\","
                        + "\\\"Resource\\\":\\\"arn:aws:iot:eu-west-1:123456789012:client/${iot:Connection.Thing.ThingName}\\\"}]}\"}";
            } else if (path.startsWith("/policy-targets/")) {
                status = 200; type = "application/json"; body = "{\"targets\":[\"arn:aws:iot:eu-west-1:123456789012:cert/abc\"]}";
            } else if (path.equals("/v2LoggingOptions")) {
                status = 404; type = "application/json"; body = "{\"message\":\"not configured\"}"; errorType = "NotConfiguredException";
            } else {
                status = 403; type = "application/json"; body = "{\"message\":\"denied\"}"; errorType = "AccessDeniedException";
            }
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", type);
            if (errorType != null) ex.getResponseHeaders().add("x-amzn-ErrorType", errorType);
            ex.sendResponseHeaders(status, b.length);
            try (OutputStream os = ex.getResponseBody()) { os.write(b); }
        });
        server.start();
        System.setProperty("aws.accessKeyId", "AKIDCLITEST");
        System.setProperty("aws.secretAccessKey", "cli-test-secret");
    }

    @AfterEach
    void stop() {
        server.stop(0);
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    String endpoint() { return "http://127.0.0.1:" + server.getAddress().getPort(); }

    static JsonNode findings(String json) throws IOException {
        JsonNode n = new ObjectMapper().readTree(json);
        return n.path("findings");
    }

    @Test
    void aSnapshotScansLikeTheLiveAccount(@TempDir Path dir) throws IOException {
        Path live = dir.resolve("live.json"), snap = dir.resolve("snap.json"), fromSnap = dir.resolve("from-snap.json");
        CliRun l = CliRun.of("scan", "-p", policy.toString(), "--aws", "--region", "eu-west-1", "--endpoint-url", endpoint(),
                "--format", "json", "--output", live.toString());
        assertEquals(ExitCode.INVALID, l.code(), l::toString);
        assertTrue(l.err().contains("aws.access_denied"), l.err());
        CliRun c = CliRun.of("collect", "aws", "--region", "eu-west-1", "--endpoint-url", endpoint(), "--out", snap.toString());
        assertEquals(ExitCode.INVALID, c.code(), "some calls were denied: " + c);
        assertTrue(Files.readString(snap).contains("\"schema\" : \"warden.aws-snapshot/v1\""));
        assertFalse(Files.readString(snap).contains("AKIDCLITEST"));
        int before = requests.get();
        CliRun s = CliRun.of("scan", "-p", policy.toString(), "--aws-snapshot", snap.toString(), "--format", "json", "--output", fromSnap.toString());
        assertEquals(before, requests.get(), "a snapshot scan calls no AWS API");
        assertEquals(ExitCode.INVALID, s.code(), s::toString);
        JsonNode a = findings(Files.readString(live)), b = findings(Files.readString(fromSnap));
        assertTrue(a.size() >= 4, a.toString());
        assertEquals(a, b);
        String text = a.toString();
        assertTrue(text.contains("policy open is overly permissive"), text);
        assertTrue(text.contains("IoT logging is off in eu-west-1"), text);
        assertTrue(text.toLowerCase().contains("unknown"), "denied security groups are UNKNOWN: " + text);
    }

    @Test
    void awsAndMosquittoScanTogether(@TempDir Path dir) throws IOException {
        Path snap = dir.resolve("snap.json"), out = dir.resolve("r.json");
        CliRun.of("collect", "aws", "--region", "eu-west-1", "--endpoint-url", endpoint(), "--out", snap.toString());
        CliRun r = CliRun.of("scan", "-p", "builtin:mqtt-broker-baseline", "-p", policy.toString(),
                "--mosquitto", ScanCommandTest.HARDENED, "--mosquitto-version", "2.0.21", "--aws-snapshot", snap.toString(),
                "--format", "json", "--output", out.toString());
        assertEquals(ExitCode.INVALID, r.code(), "the snapshot records denied calls: " + r);
        String f = findings(Files.readString(out)).toString();
        assertTrue(f.contains("BRK-TLS-001") && f.contains("AWS-IOT-001"), f);
        assertTrue(Files.readString(out).contains("aws-snapshot:"), "the snapshot is listed as an input");
    }

    static final String TESTED = POLICY + """

            test "an overly permissive policy fails, logging never configured fails" {
              given aws {
                snapshot \"""
                  {"schema": "warden.aws-snapshot/v1", "collected_at": "2026-01-01T00:00:00Z", "regions": ["eu-west-1"],
                   "faults": [{"region": "eu-west-1", "section": "ec2.SecurityGroups", "code": "aws.access_denied", "scope": "ec2:eu-west-1",
                               "call": "DescribeSecurityGroups", "message": "denied", "help": ""}],
                   "data": {"eu-west-1": {
                     "iot": {"policies": [{"policyName": "open", "policyArn": "arn:aws:iot:eu-west-1:123456789012:policy/open", "targets": [],
                                           "policyDocument": "{\\"Version\\":\\"2012-10-17\\",\\"Statement\\":[{\\"Effect\\":\\"Allow\\",\\"Action\\":\\"iot:*\\",\\"Resource\\":\\"*\\"}]}"}],
                             "v2LoggingOptions": {"notConfigured": true}},
                     "ec2": {}, "wafv2": {}}}}
                  \"""
              }
              expect fail AWS-IOT-001
              expect fail AWS-IOT-002
              expect unknown AWS-SG-001
            }

            test "AWS CLI captures work as given facts" {
              given aws {
                file "eu-west-1/iot/get-v2-logging-options.json" \"""{"defaultLogLevel": "INFO", "disableAllLogs": false}\"""
              }
              expect pass AWS-IOT-002
              expect unknown AWS-IOT-001
            }
            """;

    @Test
    void policyTestsCanGiveAwsFacts(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("tested.warden");
        Files.writeString(p, TESTED);
        CliRun r = CliRun.of("test", p.toString());
        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertTrue(r.out().contains("2 passed, 0 failed"), r.out());
    }

    @Test
    void awsOptionsAreChecked() {
        CliRun r = CliRun.of("scan", "-p", policy.toString(), "--aws", "--region", "Europe", "--endpoint-url", "ftp://x");
        assertEquals(ExitCode.INVALID, r.code(), r::toString);
        assertTrue(r.err().contains("`Europe` is not an AWS region name"), r.err());
        assertTrue(r.err().contains("is not an http(s) URL"), r.err());
        assertEquals(0, requests.get());
        CliRun noAws = CliRun.of("scan", "-p", policy.toString(), "--mosquitto", ScanCommandTest.HARDENED, "--region", "eu-west-1");
        assertEquals(ExitCode.INVALID, noAws.code(), noAws::toString);
        assertTrue(noAws.err().contains("AWS options without --aws"), noAws.err());
        CliRun both = CliRun.of("collect", "aws", "--region", "eu-west-1", "--all-regions", "--out", "x.json");
        assertEquals(ExitCode.INVALID, both.code(), both::toString);
    }

    @Test
    void anUnreadableSnapshotIsInvalidInput(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{}");
        CliRun r = CliRun.of("scan", "-p", policy.toString(), "--aws-snapshot", bad.toString());
        assertEquals(ExitCode.INVALID, r.code(), r::toString);
        assertTrue(r.out().contains("aws.bad_input") || r.err().contains("aws.bad_input"), r.toString());
    }

    @Test
    void helpListsTheAwsOptions() {
        CliRun r = CliRun.of("scan", "--help");
        for (String o : List.of("--aws", "--aws-snapshot", "--profile", "--region", "--all-regions", "--endpoint-url")) assertTrue(r.out().contains(o), o);
        assertTrue(CliRun.of("collect", "aws", "--help").out().contains("--out"));
    }
}
