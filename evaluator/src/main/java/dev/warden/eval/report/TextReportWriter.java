package dev.warden.eval.report;

import dev.warden.eval.ControlInfo;
import dev.warden.eval.Finding;
import dev.warden.eval.ScanReport;
import dev.warden.eval.Status;
import dev.warden.model.Diagnostic;
import dev.warden.model.Severity;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Human-readable console report, grouped by control: controls with a failure first (then unknown, then the rest),
 * each by severity descending, then id. Lines end with {@code \n}; ANSI colors only when asked for. Control
 * characters and bidirectional-override characters from the report are shown escaped, so report content cannot
 * drive the terminal.
 */
public final class TextReportWriter implements ReportWriter {

    private static final String RESET = "\u001b[0m";
    private static final String BOLD = "1";
    private static final String DIM = "2";
    private static final String RED = "31";
    private static final String BOLD_RED = "1;31";
    private static final String GREEN = "32";
    private static final String YELLOW = "33";
    private static final String CYAN = "36";

    @Override
    public void write(ScanReport report, Writer out, boolean color) throws IOException {
        ReportView view = new ReportView(report);
        Paint p = new Paint(color);
        StringBuilder sb = new StringBuilder();
        for (ReportView.ControlGroup g : view.inReportOrder()) control(sb, g, p, report.findings().stream().map(Finding::target).distinct().count() <= 1);
        if (!view.diagnostics.isEmpty()) {
            if (!sb.isEmpty()) sb.append('\n');
            diagnostics(sb, view.diagnostics, p);
        }
        if (!sb.isEmpty()) sb.append('\n');
        summary(sb, view, p);
        out.write(sb.toString());
        out.flush();
    }

    private static void control(StringBuilder sb, ReportView.ControlGroup g, Paint p, boolean oneTarget) {
        ControlInfo c = g.control();
        String symbol = switch (g.status()) { case PASS -> "✓"; case FAIL -> "✗"; case UNKNOWN -> "?"; case NOT_APPLICABLE -> "-"; };
        sb.append(p.paint(statusColor(g.status()), symbol)).append(' ')
          .append(p.paint(BOLD, clean(c.id()))).append(' ')
          .append(p.paint(severityColor(c.severity()), "[" + c.severity().label() + "]")).append(' ')
          .append(clean(c.title()));
        int passed = g.count(Status.PASS), notApplicable = g.count(Status.NOT_APPLICABLE);
        List<String> counts = new ArrayList<>();
        if (passed > 0) counts.add(passed + " passed");
        if (notApplicable > 0) counts.add(notApplicable + " n/a");
        if (!counts.isEmpty()) sb.append(' ').append(p.paint(DIM, "(" + String.join(", ", counts) + ")"));
        sb.append('\n');

        List<Finding> listed = new ArrayList<>();
        for (Finding f : g.findings()) if (f.status() == Status.FAIL || f.status() == Status.UNKNOWN) listed.add(f);
        int wStatus = 0, wResource = 0, wLocation = 0;
        for (Finding f : listed) {
            wStatus = Math.max(wStatus, width(statusText(f.status())));
            wResource = Math.max(wResource, width(clean(label(f, oneTarget))));
            wLocation = Math.max(wLocation, width(clean(ReportView.locationText(f.location()))));
        }
        for (Finding f : listed) {
            String resource = clean(label(f, oneTarget));
            String location = clean(ReportView.locationText(f.location()));
            StringBuilder line = new StringBuilder("    ");
            line.append(p.paint(statusColor(f.status()), pad(statusText(f.status()), wStatus))).append("  ")
                .append(pad(resource, wResource)).append("  ")
                .append(p.paint(CYAN, location)).append(pad("", wLocation - width(location))).append("  ")
                .append(clean(f.message()));
            sb.append(stripEnd(line)).append('\n');
            for (String d : f.details()) sb.append("    ").append(pad("", wStatus)).append("  - ").append(clean(d)).append('\n');
        }
        if (g.status() == Status.FAIL && !c.remediation().isBlank()) {
            sb.append("    ").append(p.paint(GREEN, "fix:")).append(' ').append(clean(c.remediation().strip())).append('\n');
        }
    }

    /** With one scanned target, the target is said once (in the inputs), not on every line. */
    private static String label(Finding f, boolean oneTarget) {
        return oneTarget && f.resourceId() != null && !f.resourceId().isBlank() ? f.resourceId() : ReportView.resourceLabel(f);
    }

    private static void diagnostics(StringBuilder sb, List<Diagnostic> ds, Paint p) {
        int errors = 0, warnings = 0, infos = 0;
        for (Diagnostic d : ds) {
            switch (d.level()) { case ERROR -> errors++; case WARNING -> warnings++; case INFO -> infos++; }
        }
        List<String> parts = new ArrayList<>();
        if (errors > 0) parts.add(plural(errors, "error", "errors"));
        if (warnings > 0) parts.add(plural(warnings, "warning", "warnings"));
        if (infos > 0) parts.add(plural(infos, "note", "notes"));
        sb.append(p.paint(BOLD, "collection diagnostics")).append(" (").append(String.join(", ", parts)).append("):\n");
        for (Diagnostic d : ds) {
            String level = ReportView.level(d);
            String col = switch (d.level()) { case ERROR -> RED; case WARNING -> YELLOW; case INFO -> CYAN; };
            sb.append("  ").append(p.paint(col, level + "[" + clean(d.code()) + "]")).append(' ')
              .append(p.paint(CYAN, clean(d.at().display()))).append(": ").append(clean(d.message())).append('\n');
            if (!d.help().isBlank()) sb.append("    help: ").append(clean(d.help().strip())).append('\n');
        }
    }

    private static void summary(StringBuilder sb, ReportView view, Paint p) {
        ScanReport.Summary s = view.summary;
        int failed = s.count(Status.FAIL), passed = s.count(Status.PASS), unknown = s.count(Status.UNKNOWN);
        String failedText = failed + " failed" + (failed > 0 ? " (" + view.failuresBySeverityText() + ")" : "");
        sb.append("summary: ").append(plural(view.byId.size(), "control", "controls"))
          .append(" · ").append(failed > 0 ? p.paint(BOLD_RED, failedText) : failedText)
          .append(" · ").append(passed > 0 ? p.paint(GREEN, passed + " passed") : passed + " passed")
          .append(" · ").append(unknown > 0 ? p.paint(YELLOW, unknown + " unknown") : unknown + " unknown")
          .append(" · ").append(s.count(Status.NOT_APPLICABLE)).append(" n/a")
          .append('\n');
    }

    static String statusText(Status s) {
        return switch (s) { case PASS -> "PASS"; case FAIL -> "FAIL"; case UNKNOWN -> "UNKNOWN"; case NOT_APPLICABLE -> "N/A"; };
    }

    private static String statusColor(Status s) {
        return switch (s) { case PASS -> GREEN; case FAIL -> BOLD_RED; case UNKNOWN -> YELLOW; case NOT_APPLICABLE -> DIM; };
    }

    private static String severityColor(Severity s) {
        return switch (s) { case CRITICAL -> BOLD_RED; case HIGH -> RED; case MEDIUM -> YELLOW; case LOW -> CYAN; case INFO -> DIM; };
    }

    private static String plural(int n, String one, String many) { return n + " " + (n == 1 ? one : many); }

    private static int width(String s) { return s.codePointCount(0, s.length()); }

    private static String pad(String s, int w) {
        int n = w - width(s);
        return n <= 0 ? s : s + " ".repeat(n);
    }

    private static String stripEnd(CharSequence s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') end--;
        return s.subSequence(0, end).toString();
    }

    /**
     * Makes report text safe for a terminal: C0/C1 control characters (including ESC) become {@code \n}, {@code \t},
     * {@code \r} or {@code \u001b}-style escapes, and bidirectional-override characters are escaped too.
     */
    static String clean(String s) {
        if (s == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            String rep = switch (ch) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> (Character.isISOControl(ch) || isBidiControl(ch)) ? String.format("\\u%04x", (int) ch) : null;
            };
            if (rep != null && b == null) b = new StringBuilder(s.length() + 8).append(s, 0, i);
            if (b != null) {
                if (rep != null) b.append(rep); else b.append(ch);
            }
        }
        return b == null ? s : b.toString();
    }

    private static boolean isBidiControl(char ch) {
        return (ch >= '\u202a' && ch <= '\u202e') || (ch >= '\u2066' && ch <= '\u2069') || ch == '\u200e' || ch == '\u200f'
                || ch == '\u061c';
    }

    /** ANSI SGR painting, a no-op when colors are off. */
    private record Paint(boolean on) {
        String paint(String sgr, String text) {
            return on && !text.isEmpty() ? "\u001b[" + sgr + "m" + text + RESET : text;
        }
    }
}
