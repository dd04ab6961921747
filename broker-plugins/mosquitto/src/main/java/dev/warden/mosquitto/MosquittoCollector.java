package dev.warden.mosquitto;

import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.Value;
import dev.warden.model.types.Version;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Reads a mosquitto configuration into Warden facts. */
public final class MosquittoCollector {
    private MosquittoCollector() {}

    /** The name of the fact root this collector fills. */
    public static final String ROOT = "broker";

    /**
     * How to collect.
     *
     * @param root        scan root: file names in facts and diagnostics are relative to it (null: the working directory)
     * @param version     the broker version, e.g. {@code 2.0.18}; null when not given
     * @param probeBinary a mosquitto binary to run with {@code -h} to learn the version; null to not run anything
     */
    public record Options(Path root, String version, Path probeBinary) {
        /** Scan root only; the version stays unknown. */
        public static Options ofRoot(Path root) { return new Options(root, null, null); }
    }

    /**
     * Reads {@code mainConf} and everything it pulls in ({@code include_dir} files, ACL files) into one
     * {@code broker} fact. Never throws for bad input: problems become diagnostics, and what cannot be known
     * becomes {@link Value.Unknown}.
     */
    public static FactSet collect(Path mainConf, Options opts) {
        return collect(mainConf, opts, null);
    }

    /**
     * Like {@link #collect(Path, Options)}, but the main configuration's text is given instead of read from
     * {@code mainConf} (which still names it, and against which relative paths are read).
     */
    public static FactSet collectText(String mainConfText, Path mainConf, Options opts) {
        return collect(mainConf, opts, mainConfText.getBytes(StandardCharsets.UTF_8));
    }

    static FactSet collect(Path mainConf, Options opts, byte[] content) {
        Options o = opts == null ? new Options(null, null, null) : opts;
        Diags diags = new Diags();
        Path root = o.root() == null ? Path.of("") : o.root();
        PathResolver paths = new PathResolver(root, mainConf);
        String main = paths.display(mainConf);
        Value version;
        Value.Obj broker;
        try {
            version = VersionProbe.version(o.version(), o.probeBinary(), main, diags);
            Version known = version instanceof Value.Ver v ? v.v() : null;
            ConfModel model = new ConfReader(paths, diags, known).read(mainConf, content);
            broker = model == null
                    ? FactAssembler.unreadable(main, version, "the main configuration `" + main + "` could not be read")
                    : new FactAssembler(model, paths, diags, main).broker(version);
        } catch (RuntimeException | StackOverflowError e) {
            diags.error(MosquittoDiagnostics.UNREADABLE_FILE, dev.warden.model.Origin.file(main, 0),
                    "internal error while reading " + Diags.q(main) + ": " + e.getClass().getSimpleName(),
                    "this is a bug in Warden; please report it with the configuration");
            broker = FactAssembler.unreadable(main, new Value.Unknown("collection failed", dev.warden.model.Origin.file(main, 0)),
                    "collection of `" + main + "` failed");
        }
        return new FactSet(Map.of(ROOT, List.of(broker)), diags.all());
    }
}
