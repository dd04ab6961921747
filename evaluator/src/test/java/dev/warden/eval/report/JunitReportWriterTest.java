package dev.warden.eval.report;

import dev.warden.eval.ControlInfo;
import dev.warden.eval.Finding;
import dev.warden.eval.ScanReport;
import dev.warden.eval.Status;
import dev.warden.model.Origin;
import dev.warden.model.Severity;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.warden.eval.report.ReportFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JunitReportWriterTest {

    private static Document dom(ScanReport r) throws Exception {
        String xml = Reports.render(r, Reports.Format.JUNIT, false);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> children(Element e, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nl = e.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            Node n = nl.item(i);
            if (n instanceof Element el && el.getTagName().equals(name)) out.add(el);
        }
        return out;
    }

    private static void assertCounts(Element e, int tests, int failures, int errors, int skipped) {
        assertEquals(Integer.toString(tests), e.getAttribute("tests"), "tests");
        assertEquals(Integer.toString(failures), e.getAttribute("failures"), "failures");
        assertEquals(Integer.toString(errors), e.getAttribute("errors"), "errors");
        assertEquals(Integer.toString(skipped), e.getAttribute("skipped"), "skipped");
    }

    @Test
    void suitesPerPolicyPackageWithCorrectCounts() throws Exception {
        Element root = dom(report()).getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        assertEquals("warden", root.getAttribute("name"));
        assertEquals("1.234", root.getAttribute("time"));
        // 10 findings + 1 control without findings (BRK-ACL-001)
        assertCounts(root, 11, 3, 1, 2);
        List<Element> suites = children(root, "testsuite");
        assertEquals(List.of("aws.network", "mqtt.broker.baseline"), suites.stream().map(s -> s.getAttribute("name")).toList());
        assertCounts(suites.get(0), 3, 0, 1, 1);
        assertCounts(suites.get(1), 8, 3, 0, 1);
        assertEquals("2026-01-02T03:04:05", suites.get(0).getAttribute("timestamp"));
        for (Element s : suites) {
            List<Element> cases = children(s, "testcase");
            assertEquals(Integer.parseInt(s.getAttribute("tests")), cases.size());
            int failures = 0, errors = 0, skipped = 0;
            for (Element c : cases) {
                failures += children(c, "failure").size();
                errors += children(c, "error").size();
                skipped += children(c, "skipped").size();
            }
            assertCounts(s, cases.size(), failures, errors, skipped);
        }
    }

    @Test
    void failureCarriesSeverityLocationMessageAndFix() throws Exception {
        Element tls = testcase(dom(report()), "BRK-TLS-001", "1883 0.0.0.0");
        assertEquals(CONF, tls.getAttribute("file"));
        assertEquals("3", tls.getAttribute("line"));
        Element failure = children(tls, "failure").get(0);
        assertEquals("high", failure.getAttribute("type"));
        assertEquals("listener 1883 on 0.0.0.0 accepts plaintext MQTT", failure.getAttribute("message"));
        assertEquals("control: BRK-TLS-001 [high] Every listener requires TLS\n"
                + "resource: listener 1883 0.0.0.0\n"
                + "location: examples/insecure/mosquitto.conf:3\n"
                + "message: listener 1883 on 0.0.0.0 accepts plaintext MQTT\n"
                + "fix: Set certfile/keyfile on the listener or remove it.\n", failure.getTextContent());
    }

    @Test
    void specialCharactersRoundTrip() throws Exception {
        Element anon = testcase(dom(report()), "BRK-AUTH-001", "1883 0.0.0.0");
        Element failure = children(anon, "failure").get(0);
        assertEquals("critical", failure.getAttribute("type"));
        assertEquals(NASTY, failure.getAttribute("message"));
        assertTrue(failure.getTextContent().contains("message: " + NASTY + "\n"));
        assertTrue(failure.getTextContent().contains("fix: Set `allow_anonymous false` and configure a password file | plugin."));
        Element upd = testcase(dom(report()), "BRK-UPD-001", "mosquitto");
        assertTrue(children(upd, "failure").isEmpty());
        assertEquals(CONF, upd.getAttribute("file"));
        assertEquals("", upd.getAttribute("line"), "no line attribute without a line");
    }

    @Test
    void unknownIsAnErrorAndNotApplicableIsSkipped() throws Exception {
        Document d = dom(report());
        Element sg = testcase(d, "NET-SG-001", "sg-0123");
        Element error = children(sg, "error").get(0);
        assertEquals("unknown", error.getAttribute("type"));
        assertEquals("ingress rules of sg-0123 could not be read", error.getAttribute("message"));
        assertTrue(error.getTextContent().contains("location: " + SG_ARN + " (ec2:DescribeSecurityGroups)\n"));
        assertTrue(error.getTextContent().contains("missing:\n  - aws.ec2.ingress_rules: AccessDenied\n"));
        assertEquals("", sg.getAttribute("file"), "API origins carry no file attribute");

        Element waf = testcase(d, "WAF-RATE-001", "web acl");
        assertEquals("not applicable: no web ACL is associated", children(waf, "skipped").get(0).getAttribute("message"));

        Element acl = testcase(d, "BRK-ACL-001", JunitReportWriter.NO_RESOURCE);
        assertEquals(1, children(acl, "skipped").size());

        Element pass = testcase(d, "BRK-TLS-001", "8883 0.0.0.0");
        assertEquals(0, pass.getChildNodes().getLength());
    }

    @Test
    void charactersXmlCannotCarryAreReplaced() throws Exception {
        ControlInfo c = new ControlInfo("X-1", "bell\u0007 title", Severity.LOW, List.of(), "", "", List.of(), "", Origin.NONE);
        Finding f = new Finding("X-1", c.title(), Severity.LOW, Status.FAIL, "t", "r\u0000<&>\"'\uD800",
                "line1\nline2\u001b]]>", Origin.file("a.conf", 1), List.of("d\u0001"));
        Document d = dom(report(List.of(f), List.of(c), List.of()));
        Element tc = (Element) d.getElementsByTagName("testcase").item(0);
        assertEquals("r\uFFFD<&>\"'\uFFFD", tc.getAttribute("name"));
        Element failure = children(tc, "failure").get(0);
        assertEquals("line1 line2\uFFFD]]>", failure.getAttribute("message"));
        assertTrue(failure.getTextContent().contains("message: line1\nline2\uFFFD]]>\n"));
        assertTrue(failure.getTextContent().contains("  - d\uFFFD\n"));
        assertEquals(JunitReportWriter.DEFAULT_SUITE, ((Element) d.getElementsByTagName("testsuite").item(0)).getAttribute("name"));
    }

    @Test
    void emptyReportIsAValidEmptyRun() throws Exception {
        Element root = dom(empty()).getDocumentElement();
        assertCounts(root, 0, 0, 0, 0);
        assertTrue(children(root, "testsuite").isEmpty());
    }

    @Test
    void deterministicWhateverTheInputOrder() {
        String a = Reports.render(report(), Reports.Format.JUNIT, false);
        assertTrue(a.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites "), a);
        for (long seed = 1; seed <= 5; seed++) assertEquals(a, Reports.render(shuffled(report(), seed), Reports.Format.JUNIT, false));
    }

    private static Element testcase(Document d, String classname, String name) {
        NodeList cases = d.getElementsByTagName("testcase");
        Element found = null;
        for (int i = 0; i < cases.getLength(); i++) {
            Element e = (Element) cases.item(i);
            if (e.getAttribute("classname").equals(classname) && e.getAttribute("name").equals(name)) {
                assertNull(found, "duplicate test case " + classname + " / " + name);
                found = e;
            }
        }
        if (found == null) throw new AssertionError("no test case " + classname + " / " + name);
        return found;
    }
}
