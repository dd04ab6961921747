package dev.warden.eval.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.eval.ControlInfo;
import dev.warden.eval.Finding;
import dev.warden.eval.ScanReport;
import dev.warden.eval.Status;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.model.Severity;

import java.io.IOException;
import java.io.Writer;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Machine-readable report, schema {@value #SCHEMA} (see {@code docs/reports.md} and
 * {@code docs/schemas/report-v1.schema.json}). Controls are sorted by id, findings by control id then location,
 * diagnostics by location; params by key. Adding optional fields is a compatible change within v1; removing or
 * renaming one needs {@code warden.report/v2}.
 */
public final class JsonReportWriter implements ReportWriter {

    /** The value of the top-level {@code schema} field. */
    public static final String SCHEMA = "warden.report/v1";

    @Override
    public void write(ScanReport report, Writer out, boolean color) throws IOException {
        JsonOutput.write(toJson(report), out);
    }

    /** The report as a JSON tree. */
    public ObjectNode toJson(ScanReport report) {
        ReportView view = new ReportView(report);
        ObjectNode root = JsonOutput.object();
        root.put("schema", SCHEMA);
        ObjectNode tool = root.putObject("tool");
        tool.put("name", "warden");
        tool.put("version", ReportView.nz(report.toolVersion()));
        root.put("started_at", DateTimeFormatter.ISO_INSTANT.format(report.startedAt()));
        root.put("elapsed_ms", Math.max(0, report.elapsed().toMillis()));
        root.put("root", report.root() == null ? "" : report.root().toString().replace('\\', '/'));
        ArrayNode inputs = root.putArray("inputs");
        report.inputs().forEach(inputs::add);
        ObjectNode params = root.putObject("params");
        new TreeMap<>(report.params()).forEach(params::put);

        summary(root.putObject("summary"), view);

        ArrayNode controls = root.putArray("controls");
        for (ReportView.ControlGroup g : view.byId) controls.add(control(g));

        ArrayNode findings = root.putArray("findings");
        for (Finding f : view.findingsById()) findings.add(finding(f));

        ArrayNode diagnostics = root.putArray("diagnostics");
        for (Diagnostic d : view.diagnostics) diagnostics.add(diagnostic(d));
        return root;
    }

    private static void summary(ObjectNode s, ReportView view) {
        s.put("controls", view.byId.size());
        statusCounts(s.putObject("controls_by_status"), view.controlsByStatus());
        s.put("findings", view.report.findings().size());
        statusCounts(s.putObject("by_status"), view.summary.byStatus());
        ObjectNode bySeverity = s.putObject("failures_by_severity");
        Severity[] all = Severity.values();
        for (int i = all.length - 1; i >= 0; i--) {
            bySeverity.put(all[i].label(), view.summary.failuresBySeverity().getOrDefault(all[i], 0));
        }
        ObjectNode diags = s.putObject("diagnostics");
        for (Diagnostic.Level l : Diagnostic.Level.values()) {
            diags.put(l.name().toLowerCase(Locale.ROOT), view.diagnostics.stream().filter(d -> d.level() == l).count());
        }
    }

    private static void statusCounts(ObjectNode n, Map<Status, Integer> counts) {
        for (Status st : new Status[] {Status.PASS, Status.FAIL, Status.UNKNOWN, Status.NOT_APPLICABLE}) {
            n.put(st.label(), counts.getOrDefault(st, 0));
        }
    }

    private static ObjectNode control(ReportView.ControlGroup g) {
        ControlInfo c = g.control();
        ObjectNode n = JsonOutput.object();
        n.put("id", c.id());
        n.put("title", ReportView.nz(c.title()));
        n.put("severity", c.severity().label());
        n.put("status", g.status().label());
        ArrayNode tags = n.putArray("tags");
        c.tags().forEach(tags::add);
        n.put("description", c.description());
        n.put("remediation", c.remediation());
        ArrayNode refs = n.putArray("references");
        c.references().forEach(refs::add);
        n.put("package", c.policyPackage());
        Origin at = c.policyLocation();
        if (at == null || at.kind() == Origin.Kind.NONE) {
            n.putNull("policy_location");
        } else {
            ObjectNode loc = n.putObject("policy_location");
            loc.put("file", at.source());
            loc.put("line", Math.max(0, at.line()));
            loc.put("column", Math.max(0, at.column()));
        }
        return n;
    }

    private static ObjectNode finding(Finding f) {
        ObjectNode n = JsonOutput.object();
        n.put("control_id", f.controlId());
        n.put("status", f.status().label());
        n.put("severity", f.severity().label());
        n.put("target", ReportView.nz(f.target()));
        n.put("resource_id", ReportView.nz(f.resourceId()));
        n.put("message", f.message());
        n.set("location", JsonOutput.location(f.location() == null ? Origin.NONE : f.location()));
        ArrayNode details = n.putArray("details");
        f.details().forEach(details::add);
        return n;
    }

    private static ObjectNode diagnostic(Diagnostic d) {
        ObjectNode n = JsonOutput.object();
        n.put("level", ReportView.level(d));
        n.put("code", d.code());
        n.set("location", JsonOutput.location(d.at()));
        n.put("message", d.message());
        n.put("help", d.help());
        return n;
    }
}
