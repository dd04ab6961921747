package dev.warden.cli;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Resolves {@code --policy} arguments (file, directory, {@code builtin:name}) to policy sources. */
final class PolicyLoader {
    private PolicyLoader() {}

    /** Names of the built-in packs. */
    static List<String> builtins() {
        try (InputStream in = PolicyLoader.class.getResourceAsStream("/policies/index.txt")) {
            if (in == null) return List.of();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static List<PolicyCompiler.Source> load(List<String> specs, Path root, List<Diagnostic> diags) {
        List<PolicyCompiler.Source> out = new ArrayList<>();
        for (String spec : specs) {
            if (spec.startsWith("builtin:")) {
                String name = spec.substring("builtin:".length());
                String res = "/policies/" + name + ".warden";
                try (InputStream in = PolicyLoader.class.getResourceAsStream(res)) {
                    if (in == null) {
                        diags.add(Diagnostic.error("cli.unknown_builtin", Origin.api("command line", "--policy " + spec),
                                "no built-in policy pack `" + name + "`", "built-in packs: " + String.join(", ", builtins())));
                        continue;
                    }
                    out.add(new PolicyCompiler.Source("builtin:" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    diags.add(Diagnostic.error("cli.unreadable_policy", Origin.api("command line", "--policy " + spec), "cannot read `" + spec + "`: " + e.getMessage(), ""));
                }
                continue;
            }
            Path p = Path.of(spec);
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    List<Path> files = s.filter(f -> f.toString().endsWith(".warden") && Files.isRegularFile(f)).sorted().toList();
                    if (files.isEmpty()) {
                        diags.add(Diagnostic.error("cli.no_policies", Origin.file(display(p, root), 0), "directory `" + spec + "` holds no `.warden` file", ""));
                    }
                    for (Path f : files) read(f, root, out, diags);
                } catch (IOException e) {
                    diags.add(Diagnostic.error("cli.unreadable_policy", Origin.file(display(p, root), 0), "cannot list `" + spec + "`: " + e.getMessage(), ""));
                }
            } else if (Files.isRegularFile(p)) {
                read(p, root, out, diags);
            } else {
                diags.add(Diagnostic.error("cli.policy_not_found", Origin.api("command line", "--policy " + spec), "policy `" + spec + "` does not exist",
                        "pass a `.warden` file, a directory of them, or `builtin:<name>` (" + String.join(", ", builtins()) + ")"));
            }
        }
        return out;
    }

    private static void read(Path f, Path root, List<PolicyCompiler.Source> out, List<Diagnostic> diags) {
        try {
            byte[] bytes = Files.readAllBytes(f);
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            out.add(new PolicyCompiler.Source(display(f, root), text));
        } catch (CharacterCodingException e) {
            diags.add(Diagnostic.error("cli.bad_encoding", Origin.file(display(f, root), 0), "policy `" + f + "` is not valid UTF-8", "save the file as UTF-8"));
        } catch (IOException e) {
            diags.add(Diagnostic.error("cli.unreadable_policy", Origin.file(display(f, root), 0), "cannot read `" + f + "`: " + e.getMessage(), ""));
        }
    }

    /** A path relative to the root when under it, with forward slashes. */
    static String display(Path p, Path root) {
        Path abs = p.toAbsolutePath().normalize();
        Path r = root.toAbsolutePath().normalize();
        Path shown = abs.startsWith(r) ? r.relativize(abs) : abs;
        return shown.toString().replace('\\', '/');
    }
}
