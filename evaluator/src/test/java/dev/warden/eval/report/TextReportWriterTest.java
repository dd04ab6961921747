package dev.warden.eval.report;

import dev.warden.eval.ControlInfo;
import dev.warden.eval.Finding;
import dev.warden.eval.Status;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.model.Severity;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.warden.eval.report.ReportFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextReportWriterTest {

    private static String text(dev.warden.eval.ScanReport r, boolean color) {
        return Reports.render(r, Reports.Format.TEXT, color);
    }

    @Test
    void matchesGolden() throws Exception {
        Golden.assertMatches("report.txt", text(report(), false));
    }

    @Test
    void emptyReportMatchesGolden() throws Exception {
        Golden.assertMatches("empty.txt", text(empty(), false));
    }

    @Test
    void failingControlsComeFirstBySeverityThenId() {
        String out = text(report(), false);
        List<String> headers = out.lines().filter(l -> !l.startsWith(" ") && !l.isEmpty() && !l.startsWith("summary")
                && !l.startsWith("collection")).toList();
        assertEquals(List.of(
                "✗ BRK-AUTH-001 [critical] Anonymous clients are refused (1 passed)",
                "✗ BRK-TLS-001 [high] Every listener requires TLS (2 passed)",
                "✗ BRK-DOS-001 [medium] Packet size is bounded",
                "? NET-SG-001 [critical] No security group opens MQTT to the internet (1 passed)",
                "- WAF-RATE-001 [high] Associated web ACLs block floods per IP (1 n/a)",
                "✓ BRK-UPD-001 [low] Broker version ≥ CVE floor — ünïcödé 🚀 (1 passed)",
                "- BRK-ACL-001 [info] Each client reaches only its own namespace"), headers);
    }

    @Test
    void findingLineAndFixLine() {
        String out = text(report(), false);
        assertTrue(out.contains("✗ BRK-TLS-001 [high] Every listener requires TLS (2 passed)\n"
                + "    FAIL  listener 1883 0.0.0.0  examples/insecure/mosquitto.conf:3  listener 1883 on 0.0.0.0 accepts plaintext MQTT\n"
                + "    fix: Set certfile/keyfile on the listener or remove it.\n"), out);
        assertFalse(out.contains("8883 0.0.0.0"), "passes are counted, not listed");
        assertEquals(1, out.lines().filter(l -> l.contains("fix: Set certfile")).count());
    }

    @Test
    void summaryLine() {
        String last = text(report(), false).lines().reduce((a, b) -> b).orElseThrow();
        assertEquals("summary: 7 controls · 3 failed (1 critical, 1 high, 1 medium) · 5 passed · 1 unknown · 1 n/a", last);
        assertEquals("summary: 0 controls · 0 failed · 0 passed · 0 unknown · 0 n/a",
                text(empty(), false).strip());
    }

    @Test
    void diagnosticsSectionHasLocationAndCode() {
        String out = text(report(), false);
        assertTrue(out.contains("collection diagnostics (1 error, 1 warning):\n"
                + "  warning[AWS-ACCESS-001] " + SG_ARN + ": access denied for `ec2:DescribeSecurityGroups`\n"
                + "    help: grant the scan role ec2:Describe*\n"
                + "  error[MQ-PARSE-002] examples/insecure/mosquitto.conf:7:1: unknown option `listner`\n"
                + "    help: did you mean `listener`?\n"), out);
    }

    @Test
    void colorsOnlyWhenAskedAndOtherwiseIdentical() {
        String plain = text(report(), false);
        String colored = text(report(), true);
        assertFalse(plain.contains("\u001b"));
        assertTrue(colored.contains("\u001b[1;31m✗\u001b[0m"));
        assertEquals(plain, colored.replaceAll("\u001b\\[[0-9;]*m", ""));
    }

    @Test
    void terminalControlCharactersInReportTextAreEscaped() {
        ControlInfo c = new ControlInfo("X-1", "t\u001b[2Jitle", Severity.LOW, List.of(), "", "", List.of(), "", Origin.NONE);
        Finding f = new Finding("X-1", c.title(), Severity.LOW, Status.FAIL, "t", "r\u202e", "line1\nline2\u0007",
                Origin.file("a.conf", 1), List.of());
        String out = text(report(List.of(f), List.of(c), List.of(Diagnostic.error("E\u001b", Origin.NONE, "m\r", ""))), true);
        assertFalse(out.replaceAll("\u001b\\[[0-9;]*m", "").contains("\u001b"), out);
        assertTrue(out.contains("t\\u001b[2Jitle"), out);
        assertTrue(out.contains("line1\\nline2\\u0007"), out);
        assertTrue(out.contains("r\\u202e"), out);
    }

    @Test
    void deterministicWhateverTheInputOrder() {
        String expected = text(report(), true);
        for (long seed = 1; seed <= 5; seed++) assertEquals(expected, text(shuffled(report(), seed), true));
    }

    @Test
    void unknownFindingShowsDetailsAndNoFix() {
        String out = text(report(), false);
        assertTrue(out.contains("? NET-SG-001 [critical] No security group opens MQTT to the internet (1 passed)\n"
                + "    UNKNOWN  security group sg-0123  " + SG_ARN + " (ec2:DescribeSecurityGroups)  "
                + "ingress rules of sg-0123 could not be read\n"
                + "             - aws.ec2.ingress_rules: AccessDenied\n"), out);
    }

    @Test
    void controlOnlyKnownFromFindingsIsStillReported() {
        Finding f = new Finding("ORPHAN-1", "Orphan control", Severity.HIGH, Status.FAIL, "broker", "b", "bad",
                Origin.file("x.conf", 2), List.of());
        String out = text(report(List.of(f), List.of(), List.of()), false);
        assertTrue(out.startsWith("✗ ORPHAN-1 [high] Orphan control\n    FAIL  b  x.conf:2  bad\n"), out);
    }
}
