package dev.warden.mosquitto;

import dev.warden.model.Diagnostic;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.FactSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code mosquitto} fact source of policy tests: {@code file "name" """text"""} entries are written to a
 * scratch directory (the first file is the main configuration unless {@code main "name"} says otherwise) and read
 * by the real collector; {@code version "x"} sets the broker version.
 */
public final class MosquittoFactSource implements FactSource {

    /** The shared instance (stateless). */
    public static final MosquittoFactSource INSTANCE = new MosquittoFactSource();

    private MosquittoFactSource() {}

    @Override
    public FactSet produce(List<Entry> entries, Path workDir) throws IOException {
        String version = null, main = null;
        List<Diagnostic> problems = new ArrayList<>();
        for (Entry e : entries) {
            switch (e.key()) {
                case "file" -> {
                    if (e.args().size() != 2) {
                        problems.add(Diagnostic.error("test.bad_given", e.location(), "`file` takes a name and its text", "write `file \"acl\" \"\"\"...\"\"\"`"));
                        continue;
                    }
                    Path p = workDir.resolve(e.args().get(0)).normalize();
                    if (!p.startsWith(workDir)) {
                        problems.add(Diagnostic.error("test.bad_given", e.location(), "file name `" + e.args().get(0) + "` leaves the test directory", "use a relative name"));
                        continue;
                    }
                    if (p.getParent() != null) Files.createDirectories(p.getParent());
                    Files.writeString(p, e.args().get(1), StandardCharsets.UTF_8);
                    if (main == null) main = e.args().get(0);
                }
                case "main" -> main = e.args().isEmpty() ? main : e.args().get(0);
                case "version" -> version = e.args().isEmpty() ? null : e.args().get(0);
                default -> problems.add(Diagnostic.error("test.bad_given", e.location(), "unknown entry `" + e.key() + "` in `given mosquitto`",
                        "use `file`, `main` or `version`"));
            }
        }
        if (main == null) {
            problems.add(Diagnostic.error("test.bad_given", entries.isEmpty() ? dev.warden.model.Origin.NONE : entries.get(0).location(),
                    "`given mosquitto` has no `file`", "add `file \"mosquitto.conf\" \"\"\"...\"\"\"`"));
            return new FactSet(java.util.Map.of(), problems);
        }
        FactSet facts = MosquittoCollector.collect(workDir.resolve(main), new MosquittoCollector.Options(workDir, version, null));
        return problems.isEmpty() ? facts : facts.merge(new FactSet(java.util.Map.of(), problems));
    }
}
