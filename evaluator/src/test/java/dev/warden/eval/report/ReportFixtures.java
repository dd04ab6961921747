package dev.warden.eval.report;

import dev.warden.eval.ControlInfo;
import dev.warden.eval.Finding;
import dev.warden.eval.ScanReport;
import dev.warden.eval.Status;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.model.Severity;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Hand-built scan reports: every status, file / default / API / no origins, lines and none, awkward text. */
final class ReportFixtures {

    static final String CONF = "examples/insecure/mosquitto.conf";
    static final String SG_ARN = "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0123";
    static final String NASTY = "allow_anonymous `true` lets <anyone> & \"everyone\" | in 'now'";

    private ReportFixtures() {}

    static ControlInfo tls() {
        return new ControlInfo("BRK-TLS-001", "Every listener requires TLS", Severity.HIGH, List.of("tls", "mitm"),
                "Plaintext listeners expose credentials and payloads to anyone on the path.",
                "Set certfile/keyfile on the listener or remove it.",
                List.of("https://mosquitto.org/man/mosquitto-conf-5.html", "CIS MQTT Benchmark 1.2"),
                "mqtt.broker.baseline", Origin.file("policies/baseline.warden", 12, 1));
    }

    static ControlInfo anon() {
        return new ControlInfo("BRK-AUTH-001", "Anonymous clients are refused", Severity.CRITICAL, List.of("auth"),
                "", "Set `allow_anonymous false` and configure a password file | plugin.", List.of(),
                "mqtt.broker.baseline", Origin.file("policies/baseline.warden", 21, 1));
    }

    static ControlInfo dos() {
        return new ControlInfo("BRK-DOS-001", "Packet size is bounded", Severity.MEDIUM, List.of("dos"),
                "Unbounded packets let one client exhaust broker memory.", "Set max_packet_size to 256 KiB or less.",
                List.of(), "mqtt.broker.baseline", Origin.file("policies/baseline.warden", 30, 1));
    }

    static ControlInfo upd() {
        return new ControlInfo("BRK-UPD-001", "Broker version ≥ CVE floor — ünïcödé 🚀", Severity.LOW, List.of(),
                "", "", List.of(), "mqtt.broker.baseline", Origin.NONE);
    }

    static ControlInfo acl() {
        return new ControlInfo("BRK-ACL-001", "Each client reaches only its own namespace", Severity.INFO, List.of("acl"),
                "", "Scope ACL patterns with %c.", List.of(), "mqtt.broker.baseline", Origin.file("policies/baseline.warden", 40, 1));
    }

    static ControlInfo sg() {
        return new ControlInfo("NET-SG-001", "No security group opens MQTT to the internet", Severity.CRITICAL,
                List.of("network", "aws"), "", "Restrict the rule's source to known networks.",
                List.of("https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html"),
                "aws.network", Origin.file("policies/aws.warden", 5, 1));
    }

    static ControlInfo waf() {
        return new ControlInfo("WAF-RATE-001", "Associated web ACLs block floods per IP", Severity.HIGH, List.of("dos", "aws"),
                "", "Add a rate-based rule with action block.", List.of(), "aws.network", Origin.file("policies/aws.warden", 20, 1));
    }

    static Finding finding(ControlInfo c, Status status, String target, String resource, String message, Origin at,
                           String... details) {
        return new Finding(c.id(), c.title(), c.severity(), status, target, resource, message, at, List.of(details));
    }

    static List<Finding> findings() {
        return findings(0);
    }

    /** The findings, with every file line moved down by {@code shift}. */
    static List<Finding> findings(int shift) {
        List<Finding> fs = new ArrayList<>();
        fs.add(finding(tls(), Status.FAIL, "listener", "1883 0.0.0.0", "listener 1883 on 0.0.0.0 accepts plaintext MQTT",
                Origin.file(CONF, 3 + shift)));
        fs.add(finding(tls(), Status.PASS, "listener", "8883 0.0.0.0", "", Origin.file(CONF, 10 + shift)));
        fs.add(finding(tls(), Status.PASS, "listener", "8884 ::", "", Origin.file(CONF, 20 + shift, 5)));
        fs.add(finding(anon(), Status.FAIL, "listener", "1883 0.0.0.0", NASTY, Origin.file(CONF, 5 + shift)));
        fs.add(finding(anon(), Status.PASS, "listener", "8883 0.0.0.0", "", Origin.file(CONF, 11 + shift)));
        fs.add(finding(dos(), Status.FAIL, "broker", "mosquitto", "max_packet_size is unlimited",
                Origin.defaulted(CONF, "mosquitto.conf(5)"), "no max_packet_size in the configuration"));
        fs.add(finding(upd(), Status.PASS, "broker", "mosquitto", "version 2.0.21 ≥ 2.0.21", Origin.file(CONF, 0)));
        fs.add(finding(sg(), Status.UNKNOWN, "security group", "sg-0123", "ingress rules of sg-0123 could not be read",
                Origin.api(SG_ARN, "ec2:DescribeSecurityGroups"), "aws.ec2.ingress_rules: AccessDenied"));
        fs.add(finding(sg(), Status.PASS, "security group", "sg-0456", "",
                Origin.api("arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0456", "ec2:DescribeSecurityGroups")));
        fs.add(finding(waf(), Status.NOT_APPLICABLE, "web acl", "", "no web ACL is associated", Origin.NONE));
        return fs;
    }

    static List<Diagnostic> diagnostics() {
        return List.of(
                Diagnostic.warning("AWS-ACCESS-001", Origin.api(SG_ARN, "ec2:DescribeSecurityGroups"),
                        "access denied for `ec2:DescribeSecurityGroups`", "grant the scan role ec2:Describe*"),
                Diagnostic.error("MQ-PARSE-002", Origin.file(CONF, 7, 1), "unknown option `listner`",
                        "did you mean `listener`?"));
    }

    static List<ControlInfo> controls() {
        return List.of(tls(), anon(), dos(), upd(), acl(), sg(), waf());
    }

    static ScanReport report() {
        return report(findings(), controls(), diagnostics());
    }

    static ScanReport report(List<Finding> findings, List<ControlInfo> controls, List<Diagnostic> diagnostics) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("min_tls", "1.2");
        params.put("mqtt_ports", "[1883, 8883]");
        return new ScanReport("0.1.0-test", Instant.parse("2026-01-02T03:04:05.678Z"), Duration.ofMillis(1234),
                Path.of("/work/scan root"), List.of(CONF, "aws:eu-west-1"), params, controls, findings, diagnostics);
    }

    static ScanReport empty() {
        return new ScanReport("0.1.0-test", Instant.parse("2026-01-02T03:04:05Z"), Duration.ZERO, Path.of("/work/scan"),
                List.of(), Map.of(), List.of(), List.of(), List.of());
    }

    /** The same report with its lists shuffled: writers must not depend on input order. */
    static ScanReport shuffled(ScanReport r, long seed) {
        Random rnd = new Random(seed);
        List<Finding> fs = new ArrayList<>(r.findings());
        List<ControlInfo> cs = new ArrayList<>(r.controls());
        List<Diagnostic> ds = new ArrayList<>(r.diagnostics());
        Collections.shuffle(fs, rnd);
        Collections.shuffle(cs, rnd);
        Collections.shuffle(ds, rnd);
        return new ScanReport(r.toolVersion(), r.startedAt(), r.elapsed(), r.root(), r.inputs(), r.params(), cs, fs, ds);
    }
}
