package dev.warden.dsl.ir;

import dev.warden.model.Origin;
import dev.warden.model.Severity;

import java.util.List;

/** One control, compiled: metadata plus the ordered steps the evaluator runs for each target. */
public record CompiledControl(String id, String title, Severity severity, List<String> tags, String description,
                              String remediation, List<String> references, String packageName, Origin location,
                              List<String> roots, int slots, List<Step> steps) {
    public CompiledControl {
        tags = List.copyOf(tags);
        references = List.copyOf(references);
        roots = List.copyOf(roots);
        steps = List.copyOf(steps);
    }
}
