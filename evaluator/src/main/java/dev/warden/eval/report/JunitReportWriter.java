package dev.warden.eval.report;

import dev.warden.eval.ControlInfo;
import dev.warden.eval.Finding;
import dev.warden.eval.ScanReport;
import dev.warden.eval.Status;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.IOException;
import java.io.Writer;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * JUnit XML in the common Jenkins / GitLab / GitHub-action flavour. One {@code <testsuite>} per policy package
 * (sorted by name; controls without a package go to {@value #DEFAULT_SUITE}); one {@code <testcase>} per finding,
 * {@code classname} = control id, {@code name} = resource id. FAIL → {@code <failure type="<severity>">};
 * UNKNOWN → {@code <error type="unknown">} (missing data is never a pass, so it fails the run); NOT_APPLICABLE →
 * {@code <skipped/>}; a control with no finding at all gets one skipped test case named {@value #NO_RESOURCE}.
 * Written with {@link XMLStreamWriter}; characters XML 1.0 cannot carry become U+FFFD. The caller must encode
 * the output as UTF-8 (the declaration says so).
 */
public final class JunitReportWriter implements ReportWriter {

    /** Suite name for controls that declare no policy package. */
    public static final String DEFAULT_SUITE = "default";
    /** Test case name for a control that produced no finding. */
    public static final String NO_RESOURCE = "(no resource)";

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    private record Case(ControlInfo control, Finding finding) {}

    private record Counts(int tests, int failures, int errors, int skipped) {
        static Counts of(List<Case> cases) {
            int f = 0, e = 0, s = 0;
            for (Case c : cases) {
                Status st = c.finding() == null ? Status.NOT_APPLICABLE : c.finding().status();
                switch (st) { case FAIL -> f++; case UNKNOWN -> e++; case NOT_APPLICABLE -> s++; case PASS -> { } }
            }
            return new Counts(cases.size(), f, e, s);
        }
    }

    @Override
    public void write(ScanReport report, Writer out, boolean color) throws IOException {
        ReportView view = new ReportView(report);
        Map<String, List<Case>> suites = new TreeMap<>();
        for (ReportView.ControlGroup g : view.byId) {
            String pkg = g.control().policyPackage().isBlank() ? DEFAULT_SUITE : g.control().policyPackage();
            List<Case> cases = suites.computeIfAbsent(pkg, k -> new ArrayList<>());
            if (g.findings().isEmpty()) cases.add(new Case(g.control(), null));
            for (Finding f : g.findings()) cases.add(new Case(g.control(), f));
        }
        List<Case> all = new ArrayList<>();
        suites.values().forEach(all::addAll);
        String timestamp = TIMESTAMP.format(report.startedAt().truncatedTo(ChronoUnit.SECONDS));
        try {
            XMLStreamWriter x = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            nl(x, 0);
            x.writeStartElement("testsuites");
            x.writeAttribute("name", "warden");
            counts(x, Counts.of(all));
            x.writeAttribute("time", seconds(report.elapsed().toMillis()));
            for (Map.Entry<String, List<Case>> suite : suites.entrySet()) {
                nl(x, 1);
                x.writeStartElement("testsuite");
                x.writeAttribute("name", attr(suite.getKey()));
                counts(x, Counts.of(suite.getValue()));
                x.writeAttribute("timestamp", timestamp);
                for (Case c : suite.getValue()) testcase(x, c);
                nl(x, 1);
                x.writeEndElement();
            }
            nl(x, 0);
            x.writeEndElement();
            nl(x, 0);
            x.writeEndDocument();
            x.flush();
            x.close();
        } catch (XMLStreamException e) {
            throw new IOException("cannot write JUnit XML: " + e.getMessage(), e);
        }
        out.flush();
    }

    private static void testcase(XMLStreamWriter x, Case c) throws XMLStreamException {
        Finding f = c.finding();
        nl(x, 2);
        boolean empty = f == null || f.status() == Status.PASS;
        if (empty && f != null) x.writeEmptyElement("testcase"); else x.writeStartElement("testcase");
        x.writeAttribute("classname", attr(c.control().id()));
        x.writeAttribute("name", attr(f == null ? NO_RESOURCE : name(f)));
        if (f != null && ReportView.isFileLike(f.location())) {
            x.writeAttribute("file", attr(f.location().source()));
            if (f.location().line() > 0) x.writeAttribute("line", Integer.toString(f.location().line()));
        }
        if (f == null) {
            nl(x, 3);
            x.writeEmptyElement("skipped");
            x.writeAttribute("message", "no resource in scope");
        } else if (f.status() == Status.FAIL) {
            nl(x, 3);
            x.writeStartElement("failure");
            x.writeAttribute("message", attr(message(f, c.control())));
            x.writeAttribute("type", f.severity().label());
            x.writeCharacters(text(body(f, c.control(), true)));
            x.writeEndElement();
        } else if (f.status() == Status.UNKNOWN) {
            nl(x, 3);
            x.writeStartElement("error");
            x.writeAttribute("message", attr(message(f, c.control())));
            x.writeAttribute("type", "unknown");
            x.writeCharacters(text(body(f, c.control(), false)));
            x.writeEndElement();
        } else if (f.status() == Status.NOT_APPLICABLE) {
            nl(x, 3);
            x.writeEmptyElement("skipped");
            x.writeAttribute("message", attr(f.message().isBlank() ? "not applicable" : "not applicable: " + f.message()));
        }
        if (!(empty && f != null)) {
            nl(x, 2);
            x.writeEndElement();
        }
    }

    private static String name(Finding f) {
        if (!f.resourceId().isBlank()) return f.resourceId();
        if (!f.target().isBlank()) return f.target();
        return NO_RESOURCE;
    }

    private static String message(Finding f, ControlInfo c) {
        return f.message().isBlank() ? c.title() : f.message();
    }

    private static String body(Finding f, ControlInfo c, boolean withFix) {
        StringBuilder b = new StringBuilder();
        b.append("control: ").append(c.id()).append(' ').append('[').append(c.severity().label()).append("] ").append(c.title()).append('\n');
        b.append("resource: ").append(ReportView.resourceLabel(f)).append('\n');
        b.append("location: ").append(ReportView.locationText(f.location())).append('\n');
        b.append("message: ").append(message(f, c)).append('\n');
        if (!f.details().isEmpty()) {
            b.append(f.status() == Status.UNKNOWN ? "missing:\n" : "details:\n");
            for (String d : f.details()) b.append("  - ").append(d).append('\n');
        }
        if (withFix && !c.remediation().isBlank()) b.append("fix: ").append(c.remediation().strip()).append('\n');
        return b.toString();
    }

    private static void counts(XMLStreamWriter x, Counts c) throws XMLStreamException {
        x.writeAttribute("tests", Integer.toString(c.tests()));
        x.writeAttribute("failures", Integer.toString(c.failures()));
        x.writeAttribute("errors", Integer.toString(c.errors()));
        x.writeAttribute("skipped", Integer.toString(c.skipped()));
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
    }

    private static void nl(XMLStreamWriter x, int depth) throws XMLStreamException {
        x.writeCharacters("\n" + "  ".repeat(depth));
    }

    /** Attribute text: like {@link #text} and with line breaks and tabs as spaces (parsers would normalise them). */
    static String attr(String s) {
        return text(s).replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').replace('\t', ' ');
    }

    /** Replaces characters XML 1.0 cannot represent (most C0 controls, unpaired surrogates, U+FFFE/FFFF). */
    static String text(String s) {
        if (s == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            boolean ok;
            int width = 1;
            if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                ok = true;
                width = 2;
            } else if (Character.isSurrogate(ch)) {
                ok = false;
            } else {
                ok = ch == '\t' || ch == '\n' || ch == '\r' || (ch >= 0x20 && ch <= 0xD7FF) || (ch >= 0xE000 && ch <= 0xFFFD);
            }
            if (!ok && b == null) b = new StringBuilder(s.length()).append(s, 0, i);
            if (b != null) {
                if (ok) b.append(s, i, i + width); else b.append('\uFFFD');
            }
            i += width - 1;
        }
        return b == null ? s : b.toString();
    }
}
