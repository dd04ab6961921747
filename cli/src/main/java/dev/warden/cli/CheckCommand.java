package dev.warden.cli;

import dev.warden.model.Diagnostic;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code warden check}: compiles policies and reports every diagnostic. */
@Command(name = "check", mixinStandardHelpOptions = true, description = "Compile policies and report errors and warnings.")
final class CheckCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "POLICY", arity = "1..*", description = "policy file, directory, or builtin:<name>")
    List<String> policies = new ArrayList<>();

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "override a param")
    Map<String, String> params = new LinkedHashMap<>();

    @Override public Integer call() {
        Path root = Path.of("").toAbsolutePath();
        List<Diagnostic> diags = new ArrayList<>();
        Common.Compiled c = Common.compile(policies, params, root, diags);
        Common.print(diags, c.sources(), root, spec.commandLine().getErr());
        if (diags.stream().anyMatch(Diagnostic::isError)) return ExitCode.INVALID;
        int controls = c.result().policySet().map(s -> s.controls().size()).orElse(0);
        int tests = c.result().policySet().map(s -> s.tests().size()).orElse(0);
        int blocks = c.result().policySet().map(s -> s.authorizations().size()).orElse(0);
        spec.commandLine().getOut().println("ok: " + c.sources().size() + " file(s), " + controls + " control(s), " + tests + " test(s)"
                + (blocks == 0 ? "" : ", " + blocks + " authorize block(s)"));
        return ExitCode.OK;
    }
}
