package dev.warden.eval;

import dev.warden.model.Diagnostic;
import dev.warden.model.Severity;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a report writer needs: the controls evaluated, their findings, the diagnostics raised while
 * collecting facts, and the scan root that file locations are relative to.
 */
public record ScanReport(String toolVersion, Instant startedAt, Duration elapsed, Path root, List<String> inputs,
                         Map<String, String> params, List<ControlInfo> controls, List<Finding> findings,
                         List<Diagnostic> diagnostics) {

    public ScanReport {
        inputs = List.copyOf(inputs);
        params = Map.copyOf(params);
        controls = List.copyOf(controls);
        findings = List.copyOf(findings);
        diagnostics = List.copyOf(diagnostics);
    }

    public Optional<ControlInfo> control(String id) {
        return controls.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** Counts by status, and failures by severity. */
    public Summary summary() {
        Map<Status, Integer> byStatus = new EnumMap<>(Status.class);
        Map<Severity, Integer> failBySeverity = new EnumMap<>(Severity.class);
        for (Status s : Status.values()) byStatus.put(s, 0);
        for (Severity s : Severity.values()) failBySeverity.put(s, 0);
        for (Finding f : findings) {
            byStatus.merge(f.status(), 1, Integer::sum);
            if (f.status() == Status.FAIL) failBySeverity.merge(f.severity(), 1, Integer::sum);
        }
        return new Summary(Map.copyOf(byStatus), Map.copyOf(failBySeverity));
    }

    /** Finding counts. */
    public record Summary(Map<Status, Integer> byStatus, Map<Severity, Integer> failuresBySeverity) {
        public int count(Status s) { return byStatus.getOrDefault(s, 0); }
    }
}
