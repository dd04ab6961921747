package dev.warden.mosquitto;

import dev.warden.model.Origin;
import dev.warden.model.fact.Value;
import dev.warden.model.types.Version;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.warden.mosquitto.Diags.q;
import static dev.warden.mosquitto.MosquittoDiagnostics.BAD_VERSION;
import static dev.warden.mosquitto.MosquittoDiagnostics.VERSION_PROBE_FAILED;

/** Finds the broker version: given on the command line, or printed by {@code mosquitto -h}. */
final class VersionProbe {
    private VersionProbe() {}

    static final String UNKNOWN_REASON = "broker version not known: pass --mosquitto-version or --probe-version";
    private static final Pattern VERSION = Pattern.compile("mosquitto version (\\S+)");
    private static final long TIMEOUT_MS = 5000;

    static Value version(String given, Path probe, String mainShown, Diags diags) {
        Origin main = Origin.file(mainShown, 0);
        if (given != null) {
            Origin o = Origin.api("command line", "--mosquitto-version");
            try {
                return new Value.Ver(Version.parse(given), o);
            } catch (IllegalArgumentException e) {
                diags.error(BAD_VERSION, o, "mosquitto version " + q(given) + " is not a version", "pass a version such as `2.0.18`");
                return new Value.Unknown("the given mosquitto version `" + given + "` is not a version", o);
            }
        }
        if (probe != null) return probe(probe, diags);
        return new Value.Unknown(UNKNOWN_REASON, main);
    }

    private static Value probe(Path bin, Diags diags) {
        Origin o = Origin.api(bin.toString(), "-h");
        String out;
        try {
            out = run(bin);
        } catch (IOException | RuntimeException e) {
            return failed(bin, o, diags, "it could not be run: " + String.valueOf(e.getMessage()).toLowerCase());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(bin, o, diags, "it was interrupted");
        }
        if (out == null) return failed(bin, o, diags, "it did not finish within " + TIMEOUT_MS / 1000 + " seconds");
        Matcher mt = VERSION.matcher(out);
        if (!mt.find()) return failed(bin, o, diags, "its output has no `mosquitto version` line");
        try {
            return new Value.Ver(Version.parse(mt.group(1)), o);
        } catch (IllegalArgumentException e) {
            return failed(bin, o, diags, "it printed version " + q(mt.group(1)) + ", which is not a version");
        }
    }

    private static Value failed(Path bin, Origin o, Diags diags, String why) {
        diags.warning(VERSION_PROBE_FAILED, o, "cannot learn the mosquitto version from " + q(bin.toString()) + ": " + why,
                "pass the version with --mosquitto-version");
        return new Value.Unknown("broker version not known: running `" + bin + " -h` failed (" + why + ")", o);
    }

    /** The output of {@code bin -h}, or null on timeout; the process is always ended. */
    private static String run(Path bin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(bin.toString(), "-h").redirectErrorStream(true).start();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> copy(p.getInputStream(), buf), "mosquitto-version-probe");
        reader.setDaemon(true);
        reader.start();
        try {
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS)) return null;
            reader.join(1000);
            synchronized (buf) {
                return buf.toString(StandardCharsets.UTF_8);
            }
        } finally {
            if (p.isAlive()) {
                p.destroyForcibly();
                p.waitFor(1, TimeUnit.SECONDS);
            }
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream buf) {
        byte[] b = new byte[4096];
        try (in) {
            for (int n; (n = in.read(b)) > 0; ) {
                synchronized (buf) {
                    if (buf.size() < 1 << 20) buf.write(b, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the process ended or was killed; what was read so far is kept
        }
    }
}
