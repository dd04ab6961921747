package dev.warden.eval.report;

import dev.warden.eval.ControlInfo;
import dev.warden.eval.Finding;
import dev.warden.eval.ScanReport;
import dev.warden.eval.Status;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.model.Severity;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A deterministic, grouped view of a {@link ScanReport} shared by all writers: controls (including any that only
 * appear in findings), their findings in a stable order, their aggregate status, and sorted diagnostics.
 */
final class ReportView {

    /** One control with its findings. */
    record ControlGroup(ControlInfo control, List<Finding> findings, Status status, Map<Status, Integer> counts) {
        int count(Status s) { return counts.getOrDefault(s, 0); }
    }

    /** Order of statuses when listing findings: the most actionable first. */
    static int statusRank(Status s) {
        return switch (s) { case FAIL -> 0; case UNKNOWN -> 1; case NOT_APPLICABLE -> 2; case PASS -> 3; };
    }

    /** Findings: location (file, line, column), then target, resource, status, message. */
    static final Comparator<Finding> FINDING_ORDER = Comparator
            .comparing((Finding f) -> f.location().source())
            .thenComparingInt(f -> f.location().line())
            .thenComparingInt(f -> f.location().column())
            .thenComparing(f -> nz(f.target()))
            .thenComparing(f -> nz(f.resourceId()))
            .thenComparingInt(f -> statusRank(f.status()))
            .thenComparing(Finding::message)
            .thenComparing(f -> String.join("\n", f.details()));

    /** Diagnostics: {@link Diagnostic#ORDER}, then level, then message. */
    static final Comparator<Diagnostic> DIAGNOSTIC_ORDER = Diagnostic.ORDER
            .thenComparing(Diagnostic::level)
            .thenComparing(Diagnostic::message)
            .thenComparing(Diagnostic::help);

    /** Report order: controls with a failure first, then unknown, then the rest; each by severity desc, then id. */
    static final Comparator<ControlGroup> REPORT_ORDER = Comparator
            .comparingInt((ControlGroup g) -> g.status() == Status.FAIL ? 0 : g.status() == Status.UNKNOWN ? 1 : 2)
            .thenComparing((ControlGroup g) -> g.control().severity(), Comparator.reverseOrder())
            .thenComparing(g -> g.control().id());

    final ScanReport report;
    /** Groups sorted by control id. */
    final List<ControlGroup> byId;
    final List<Diagnostic> diagnostics;
    final ScanReport.Summary summary;
    private final Map<String, ControlInfo> controlsById;

    ReportView(ScanReport report) {
        this.report = report;
        Map<String, ControlInfo> controls = new TreeMap<>();
        for (ControlInfo c : report.controls()) controls.putIfAbsent(c.id(), c);
        Map<String, List<Finding>> findings = new LinkedHashMap<>();
        for (Finding raw : report.findings()) {
            Finding f = normalize(raw);
            controls.computeIfAbsent(f.controlId(), id -> new ControlInfo(id, nz(f.title()).isEmpty() ? id : f.title(),
                    f.severity() == null ? Severity.INFO : f.severity(), List.of(), "", "", List.of(), "", Origin.NONE));
            findings.computeIfAbsent(f.controlId(), k -> new ArrayList<>()).add(f);
        }
        List<ControlGroup> groups = new ArrayList<>();
        for (ControlInfo c : controls.values()) {
            List<Finding> fs = new ArrayList<>(findings.getOrDefault(c.id(), List.of()));
            fs.sort(FINDING_ORDER);
            Map<Status, Integer> counts = new EnumMap<>(Status.class);
            for (Status s : Status.values()) counts.put(s, 0);
            for (Finding f : fs) counts.merge(f.status(), 1, Integer::sum);
            groups.add(new ControlGroup(c, List.copyOf(fs), aggregate(counts), counts));
        }
        this.byId = List.copyOf(groups);
        this.controlsById = Map.copyOf(controls);
        List<Diagnostic> ds = new ArrayList<>(report.diagnostics());
        ds.sort(DIAGNOSTIC_ORDER);
        this.diagnostics = List.copyOf(ds);
        this.summary = report.summary();
    }

    /** Replaces null target, resource id, title, severity and location so writers need no null checks. */
    static Finding normalize(Finding f) {
        if (f.target() != null && f.resourceId() != null && f.title() != null && f.severity() != null && f.location() != null) {
            return f;
        }
        return new Finding(f.controlId(), nz(f.title()), f.severity() == null ? Severity.INFO : f.severity(), f.status(),
                nz(f.target()), nz(f.resourceId()), f.message(), f.location() == null ? Origin.NONE : f.location(), f.details());
    }

    /** Groups in report order (see {@link #REPORT_ORDER}). */
    List<ControlGroup> inReportOrder() {
        List<ControlGroup> gs = new ArrayList<>(byId);
        gs.sort(REPORT_ORDER);
        return gs;
    }

    /** All findings, grouped by control id, each group in {@link #FINDING_ORDER}. */
    List<Finding> findingsById() {
        List<Finding> out = new ArrayList<>();
        for (ControlGroup g : byId) out.addAll(g.findings());
        return out;
    }

    ControlInfo control(String id) {
        ControlInfo c = controlsById.get(id);
        if (c == null) throw new IllegalArgumentException("no control " + id);
        return c;
    }

    /** A control's status: any FAIL → FAIL, else any UNKNOWN → UNKNOWN, else any PASS → PASS, else NOT_APPLICABLE. */
    static Status aggregate(Map<Status, Integer> counts) {
        if (counts.getOrDefault(Status.FAIL, 0) > 0) return Status.FAIL;
        if (counts.getOrDefault(Status.UNKNOWN, 0) > 0) return Status.UNKNOWN;
        if (counts.getOrDefault(Status.PASS, 0) > 0) return Status.PASS;
        return Status.NOT_APPLICABLE;
    }

    /** Counts controls by aggregate status. */
    Map<Status, Integer> controlsByStatus() {
        Map<Status, Integer> m = new EnumMap<>(Status.class);
        for (Status s : Status.values()) m.put(s, 0);
        for (ControlGroup g : byId) m.merge(g.status(), 1, Integer::sum);
        return m;
    }

    /** {@code "target resource"}, without repeating the target when the resource id already starts with it. */
    static String resourceLabel(Finding f) {
        String t = nz(f.target()).strip();
        String r = nz(f.resourceId()).strip();
        if (t.isEmpty()) return r;
        if (r.isEmpty()) return t;
        if (r.equals(t) || r.startsWith(t + " ")) return r;
        return t + " " + r;
    }

    /** Human-readable location: {@code file:line[:col]} plus a note in parentheses, or {@code -} for none. */
    static String locationText(Origin o) {
        if (o == null || o.kind() == Origin.Kind.NONE) return "-";
        if (o.kind() == Origin.Kind.DEFAULT) return o.display() + (o.note().isEmpty() ? " (default)" : " (default: " + o.note() + ")");
        return o.toString();
    }

    /** True when an origin's source names a file (relative to the scan root, or absolute) rather than a cloud resource. */
    static boolean isFileLike(Origin o) {
        if (o == null || o.source().isEmpty()) return false;
        return switch (o.kind()) {
            case FILE, DEFAULT, DERIVED -> !o.source().startsWith("arn:");
            case API, NONE -> false;
        };
    }

    /** Lowercase level name of a diagnostic. */
    static String level(Diagnostic d) { return d.level().name().toLowerCase(java.util.Locale.ROOT); }

    /** {@code 2 critical, 3 high}: failures by severity, most severe first, zero counts left out. */
    String failuresBySeverityText() {
        List<String> parts = new ArrayList<>();
        Severity[] all = Severity.values();
        for (int i = all.length - 1; i >= 0; i--) {
            int n = summary.failuresBySeverity().getOrDefault(all[i], 0);
            if (n > 0) parts.add(n + " " + all[i].label());
        }
        return String.join(", ", parts);
    }

    static String nz(String s) { return s == null ? "" : s; }
}
