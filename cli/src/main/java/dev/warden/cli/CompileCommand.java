package dev.warden.cli;

import dev.warden.awsiot.AwsIotTarget;
import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.mosquitto.target.MosquittoTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code warden compile}: turns an {@code authorize} block into what a broker or AWS IoT enforces natively. */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = {"Compile an `authorize` block for a target that cannot run Warden's engine.",
                "Every rule the target cannot enforce is reported as a diagnostic, never dropped silently."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:compiled (warnings may list what the target cannot enforce)",
                "1:compiled, but some rule cannot be enforced and --fail-on-unenforceable was given",
                "2:invalid policy or options"})
final class CompileCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "POLICY", arity = "1..*", description = "policy file, directory, or builtin:<name>")
    List<String> policies = new ArrayList<>();

    @Option(names = "--target", required = true, paramLabel = "TARGET", description = "mosquitto | aws-iot-policy")
    String target;

    @Option(names = "--authorize", paramLabel = "NAME", description = "the block to compile (optional when there is one)")
    String authorize;

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "override a param")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--out", paramLabel = "DIR", description = "write the files here (mosquitto: required; aws-iot-policy: default stdout)")
    Path out;

    @Option(names = "--fail-on-unenforceable", description = "exit 1 when the target cannot enforce some rule")
    boolean failOnUnenforceable;

    @Option(names = "--port", description = "mosquitto: listener port (default ${DEFAULT-VALUE})", defaultValue = "8883")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "mosquitto: listener bind address")
    String bind;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "mosquitto: server certificate path (enables TLS)")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "mosquitto: server key path (the path only; keys are never read)")
    String tlsKey;

    @Option(names = "--tls-ca", paramLabel = "FILE", description = "mosquitto: CA file for client certificates")
    String tlsCa;

    @Option(names = "--require-certificate", description = "mosquitto: require client certificates")
    boolean requireCertificate;

    @Option(names = "--identity-as-username", description = "mosquitto: use the certificate CN as user name (`${cert.cn}` becomes %u)")
    boolean identityAsUsername;

    @Option(names = "--password-file", paramLabel = "FILE", description = "mosquitto: password_file path")
    String passwordFile;

    @Option(names = "--max-connections", paramLabel = "N", description = "mosquitto: listener max_connections")
    Integer maxConnections;

    @Option(names = "--partition", description = "aws-iot-policy: ARN partition (default ${DEFAULT-VALUE})", defaultValue = "aws")
    String partition;

    @Option(names = "--region", description = "aws-iot-policy: region in the ARNs (default ${DEFAULT-VALUE}: any)", defaultValue = "*")
    String region;

    @Option(names = "--account", description = "aws-iot-policy: account id in the ARNs (default ${DEFAULT-VALUE}: any)", defaultValue = "*")
    String account;

    @Override public Integer call() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        List<Diagnostic> diags = new ArrayList<>();
        Common.Compiled c = Common.compile(policies, params, root, diags);
        if (diags.stream().anyMatch(Diagnostic::isError) || c.result().policySet().isEmpty()) {
            Common.print(diags, c.sources(), root, spec.commandLine().getErr());
            return ExitCode.INVALID;
        }
        CompiledPolicySet set = c.result().policySet().get();
        AuthzPolicy block = pick(set, diags);
        if (block == null) {
            Common.print(diags, c.sources(), root, spec.commandLine().getErr());
            return ExitCode.INVALID;
        }
        List<Diagnostic> targetDiags = new ArrayList<>();
        Map<String, String> files = new LinkedHashMap<>();
        switch (target) {
            case "mosquitto" -> {
                if (out == null) return usage("--target mosquitto writes an acl file and a mosquitto.conf: give --out DIR");
                MosquittoTarget.Tls tls = tlsCert == null ? null
                        : new MosquittoTarget.Tls(tlsCert, tlsKey, tlsCa, requireCertificate, identityAsUsername, "tlsv1.2");
                MosquittoTarget.Options o = new MosquittoTarget.Options(port, bind, tls, passwordFile, "acl", maxConnections);
                MosquittoTarget.Result r = MosquittoTarget.compile(block, o);
                targetDiags.addAll(r.diagnostics());
                files.putAll(r.files());
            }
            case "aws-iot-policy" -> {
                AwsIotTarget.Result r = AwsIotTarget.compile(block, new AwsIotTarget.Options(partition, region, account));
                targetDiags.addAll(r.diagnostics());
                files.put(block.name() + ".iot-policy.json", r.policyJson());
            }
            default -> {
                return usage("unknown --target `" + target + "`: use mosquitto or aws-iot-policy");
            }
        }
        diags.addAll(targetDiags);
        Common.print(diags, c.sources(), root, spec.commandLine().getErr());
        if (targetDiags.stream().anyMatch(Diagnostic::isError)) return ExitCode.INVALID;
        if (out == null) {
            files.values().forEach(spec.commandLine().getOut()::println);
        } else {
            Files.createDirectories(out);
            for (Map.Entry<String, String> f : files.entrySet()) {
                Files.writeString(out.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
                spec.commandLine().getOut().println("wrote " + out.resolve(f.getKey()));
            }
        }
        boolean unenforceable = !targetDiags.isEmpty();
        return failOnUnenforceable && unenforceable ? ExitCode.VIOLATIONS : ExitCode.OK;
    }

    private AuthzPolicy pick(CompiledPolicySet set, List<Diagnostic> diags) {
        List<AuthzPolicy> blocks = set.authorizations();
        String names = String.join(", ", blocks.stream().map(AuthzPolicy::name).toList());
        if (authorize != null) {
            AuthzPolicy b = set.authorization(authorize).orElse(null);
            if (b == null) diags.add(Diagnostic.error("cli.no_authorize", Origin.file("command line", 1, 1),
                    "no `authorize " + authorize + "` block", blocks.isEmpty() ? "the policies have no `authorize` block" : "blocks: " + names));
            return b;
        }
        if (blocks.size() == 1) return blocks.get(0);
        diags.add(Diagnostic.error("cli.no_authorize", Origin.file("command line", 1, 1),
                blocks.isEmpty() ? "the policies have no `authorize` block to compile" : "several `authorize` blocks: say which with --authorize",
                blocks.isEmpty() ? "write `authorize <name> { allow ... }` (see docs/language.md, section 16)" : "blocks: " + names));
        return null;
    }

    private int usage(String msg) {
        spec.commandLine().getErr().println("error: " + msg);
        return ExitCode.INVALID;
    }
}
