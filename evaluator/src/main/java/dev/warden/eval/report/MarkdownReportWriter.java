package dev.warden.eval.report;

import dev.warden.eval.ControlInfo;
import dev.warden.eval.Finding;
import dev.warden.eval.ScanReport;
import dev.warden.eval.Status;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * GitHub-flavoured Markdown for a pull-request comment or a CI job summary: a status table, then tables of
 * failures (most severe first), unknowns and collection diagnostics, remediation per failing control, and
 * collapsed {@code <details>} lists of passes and not-applicable findings. All report text is escaped (pipes,
 * backticks, emphasis, HTML) so it renders literally.
 */
public final class MarkdownReportWriter implements ReportWriter {

    @Override
    public void write(ScanReport report, Writer out, boolean color) throws IOException {
        ReportView view = new ReportView(report);
        StringBuilder b = new StringBuilder();
        ScanReport.Summary s = view.summary;
        Map<Status, Integer> controls = view.controlsByStatus();
        int failed = s.count(Status.FAIL);

        b.append("## Warden scan\n\n");
        b.append(failed > 0 ? "**✗ " + failed + " failed** (" + view.failuresBySeverityText() + ")" : "**✓ 0 failed**")
         .append(" · ").append(s.count(Status.PASS)).append(" passed")
         .append(" · ").append(s.count(Status.UNKNOWN)).append(" unknown")
         .append(" · ").append(s.count(Status.NOT_APPLICABLE)).append(" n/a")
         .append(" · ").append(view.byId.size()).append(view.byId.size() == 1 ? " control" : " controls")
         .append("\n\n");

        b.append("| Status | Controls | Findings |\n| --- | ---: | ---: |\n");
        statusRow(b, "✗ Failed", controls.get(Status.FAIL), s.count(Status.FAIL));
        statusRow(b, "? Unknown", controls.get(Status.UNKNOWN), s.count(Status.UNKNOWN));
        statusRow(b, "✓ Passed", controls.get(Status.PASS), s.count(Status.PASS));
        statusRow(b, "- Not applicable", controls.get(Status.NOT_APPLICABLE), s.count(Status.NOT_APPLICABLE));

        List<Finding> failures = select(view, Status.FAIL);
        b.append("\n### Failures (").append(failures.size()).append(")\n\n");
        if (failures.isEmpty()) {
            b.append("No control failed.\n");
        } else {
            b.append("| Severity | Control | Resource | Location | Message |\n| --- | --- | --- | --- | --- |\n");
            for (Finding f : failures) findingRow(b, view, f, true);
            b.append("\n**How to fix**\n\n");
            List<ControlInfo> failing = new ArrayList<>();
            for (Finding f : failures) {
                ControlInfo c = view.control(f.controlId());
                if (!failing.contains(c)) failing.add(c);
            }
            for (ControlInfo c : failing) {
                b.append("- ").append(MarkdownText.code(c.id(), false)).append(' ')
                 .append(MarkdownText.text(c.title(), false)).append(": ")
                 .append(c.remediation().isBlank() ? "_no remediation given_" : MarkdownText.text(c.remediation().strip(), false))
                 .append('\n');
            }
        }

        List<Finding> unknowns = select(view, Status.UNKNOWN);
        if (!unknowns.isEmpty()) {
            b.append("\n### Unknown (").append(unknowns.size()).append(")\n\n");
            b.append("Inputs these controls need could not be collected; an unknown is never counted as a pass.\n\n");
            b.append("| Severity | Control | Resource | Location | Message |\n| --- | --- | --- | --- | --- |\n");
            for (Finding f : unknowns) findingRow(b, view, f, true);
        }

        if (!view.diagnostics.isEmpty()) {
            b.append("\n### Collection diagnostics (").append(view.diagnostics.size()).append(")\n\n");
            b.append("| Level | Code | Location | Message |\n| --- | --- | --- | --- |\n");
            for (Diagnostic d : view.diagnostics) {
                String msg = MarkdownText.text(d.message(), true);
                if (!d.help().isBlank()) msg += "<br>help: " + MarkdownText.text(d.help().strip(), true);
                b.append("| ").append(ReportView.level(d))
                 .append(" | ").append(MarkdownText.code(d.code(), true))
                 .append(" | ").append(location(d.at().kind() == Origin.Kind.NONE ? "-" : d.at().display()))
                 .append(" | ").append(msg).append(" |\n");
            }
        }

        details(b, view, Status.PASS, "Passed");
        details(b, view, Status.NOT_APPLICABLE, "Not applicable");
        out.write(b.toString());
        out.flush();
    }

    private static void statusRow(StringBuilder b, String label, Integer controls, int findings) {
        b.append("| ").append(label).append(" | ").append(controls == null ? 0 : controls).append(" | ").append(findings).append(" |\n");
    }

    /** Findings of one status: most severe first, then control id, then the view's finding order. */
    private static List<Finding> select(ReportView view, Status status) {
        List<Finding> out = new ArrayList<>();
        for (ReportView.ControlGroup g : view.byId) {
            for (Finding f : g.findings()) if (f.status() == status) out.add(f);
        }
        out.sort(Comparator.comparing((Finding f) -> view.control(f.controlId()).severity(), Comparator.reverseOrder())
                .thenComparing(Finding::controlId));
        return out;
    }

    private static void findingRow(StringBuilder b, ReportView view, Finding f, boolean withDetails) {
        ControlInfo c = view.control(f.controlId());
        StringBuilder msg = new StringBuilder(MarkdownText.text(f.message().isBlank() ? c.title() : f.message(), true));
        if (withDetails) for (String d : f.details()) msg.append("<br>• ").append(MarkdownText.text(d, true));
        b.append("| ").append(c.severity().label())
         .append(" | ").append(MarkdownText.code(c.id(), true)).append(' ').append(MarkdownText.text(c.title(), true))
         .append(" | ").append(cell(ReportView.resourceLabel(f)))
         .append(" | ").append(location(ReportView.locationText(f.location())))
         .append(" | ").append(msg).append(" |\n");
    }

    private static void details(StringBuilder b, ReportView view, Status status, String label) {
        List<Finding> fs = new ArrayList<>();
        for (ReportView.ControlGroup g : view.byId) for (Finding f : g.findings()) if (f.status() == status) fs.add(f);
        if (fs.isEmpty()) return;
        b.append("\n<details>\n<summary>").append(label).append(" (").append(fs.size()).append(")</summary>\n\n");
        b.append("| Control | Resource | Location |\n| --- | --- | --- |\n");
        for (Finding f : fs) {
            ControlInfo c = view.control(f.controlId());
            b.append("| ").append(MarkdownText.code(c.id(), true)).append(' ').append(MarkdownText.text(c.title(), true))
             .append(" | ").append(cell(ReportView.resourceLabel(f)))
             .append(" | ").append(location(ReportView.locationText(f.location()))).append(" |\n");
        }
        b.append("\n</details>\n");
    }

    private static String cell(String s) { return s.isBlank() ? "-" : MarkdownText.text(s, true); }

    private static String location(String s) { return s.isBlank() || s.equals("-") ? "-" : MarkdownText.code(s, true); }
}
