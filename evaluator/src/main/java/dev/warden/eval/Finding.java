package dev.warden.eval;

import dev.warden.model.Origin;
import dev.warden.model.Severity;

import java.util.List;

/**
 * The result of one control on one resource: status, message, where in the configuration the
 * decisive fact was written ({@code location}), and further failing clauses or missing inputs ({@code details}).
 */
public record Finding(String controlId, String title, Severity severity, Status status, String target,
                      String resourceId, String message, Origin location, List<String> details) {
    public Finding {
        details = List.copyOf(details);
        message = message == null ? "" : message;
    }
}
