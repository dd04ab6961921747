package dev.warden.aws;

import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.FactSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code aws} fact source of policy tests. Entries: {@code snapshot """<warden.aws-snapshot/v1 JSON>"""}, or
 * {@code file "<region>/iot/list-policies.json" """<aws CLI output>"""} entries laid out as an AWS CLI capture
 * folder (docs/aws.md); {@code now "<instant>"} is the scan time certificate expiry is measured from (default: the
 * snapshot's {@code collected_at}, so tests do not age). Faults recorded in a snapshot are part of the scenario:
 * they are reported as warnings, so a test can expect the UNKNOWN findings they cause.
 */
public final class AwsFactSource implements FactSource {

    /** The shared instance (stateless). */
    public static final AwsFactSource INSTANCE = new AwsFactSource();

    private AwsFactSource() {}

    @Override
    public FactSet produce(List<Entry> entries, Path workDir) throws IOException {
        List<Diagnostic> problems = new ArrayList<>();
        String snapshot = null;
        Instant now = null;
        boolean files = false;
        Origin at = entries.isEmpty() ? Origin.NONE : entries.get(0).location();
        for (Entry e : entries) {
            switch (e.key()) {
                case "snapshot" -> {
                    if (e.args().size() != 1) problems.add(bad(e, "`snapshot` takes the snapshot JSON", "write `snapshot \"\"\"{...}\"\"\"`"));
                    else snapshot = e.args().get(0);
                }
                case "file" -> {
                    if (e.args().size() != 2) { problems.add(bad(e, "`file` takes a path and its JSON", "write `file \"eu-west-1/iot/list-policies.json\" \"\"\"...\"\"\"`")); continue; }
                    Path p = workDir.resolve(e.args().get(0)).normalize();
                    if (!p.startsWith(workDir)) { problems.add(bad(e, "file name `" + e.args().get(0) + "` leaves the test directory", "use a relative name")); continue; }
                    if (p.getParent() != null) Files.createDirectories(p.getParent());
                    Files.writeString(p, e.args().get(1), StandardCharsets.UTF_8);
                    files = true;
                }
                case "now" -> {
                    try {
                        now = Instant.parse(e.args().isEmpty() ? "" : e.args().get(0));
                    } catch (DateTimeParseException x) {
                        problems.add(bad(e, "`now` takes an ISO-8601 instant", "e.g. `now \"2026-01-01T00:00:00Z\"`"));
                    }
                }
                default -> problems.add(bad(e, "unknown entry `" + e.key() + "` in `given aws`", "use `snapshot`, `file` or `now`"));
            }
        }
        if (snapshot == null && !files) {
            problems.add(Diagnostic.error("test.bad_given", at, "`given aws` has no `snapshot` and no `file`", "add `snapshot \"\"\"{...}\"\"\"`"));
        }
        if (!problems.isEmpty()) return new FactSet(Map.of(), problems);
        AwsSnapshot s;
        try {
            s = snapshot != null ? AwsSnapshot.fromJson(snapshot, "given aws") : CliCaptures.read(workDir);
        } catch (IllegalArgumentException | IOException x) {
            return new FactSet(Map.of(), List.of(Diagnostic.error("test.bad_given", at, "the AWS data cannot be read: " + x.getMessage(), "")));
        }
        FactSet f = AwsCollector.facts(s, Clock.fixed(now != null ? now : s.collectedAt(), ZoneOffset.UTC));
        List<Diagnostic> warnings = f.diagnostics().stream()
                .map(d -> new Diagnostic(Diagnostic.Level.WARNING, d.code(), d.at(), d.length(), d.message(), d.help())).toList();
        return new FactSet(f.roots(), warnings);
    }

    private static Diagnostic bad(Entry e, String msg, String help) { return Diagnostic.error("test.bad_given", e.location(), msg, help); }
}
