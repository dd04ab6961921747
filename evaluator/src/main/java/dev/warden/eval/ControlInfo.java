package dev.warden.eval;

import dev.warden.model.Origin;
import dev.warden.model.Severity;

import java.util.List;

/** Descriptive metadata of a control, as reports show it. */
public record ControlInfo(String id, String title, Severity severity, List<String> tags, String description,
                          String remediation, List<String> references, String policyPackage, Origin policyLocation) {
    public ControlInfo {
        tags = List.copyOf(tags);
        references = List.copyOf(references);
        description = description == null ? "" : description;
        remediation = remediation == null ? "" : remediation;
        policyPackage = policyPackage == null ? "" : policyPackage;
    }
}
