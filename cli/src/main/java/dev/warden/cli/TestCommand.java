package dev.warden.cli;

import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.eval.PolicyTests;
import dev.warden.model.Diagnostic;
import dev.warden.aws.AwsFactSource;
import dev.warden.model.fact.FactSource;
import dev.warden.mosquitto.MosquittoFactSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code warden test}: runs the {@code test} blocks that ship with policies. */
@Command(name = "test", mixinStandardHelpOptions = true, description = "Run the tests written in policy files.")
final class TestCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "POLICY", arity = "1..*", description = "policy file, directory, or builtin:<name>")
    List<String> policies = new ArrayList<>();

    static Map<String, FactSource> sources() { return Map.of("mosquitto", MosquittoFactSource.INSTANCE, "aws", AwsFactSource.INSTANCE, "authz", dev.warden.eval.authz.AuthzFactSource.INSTANCE); }

    @Override public Integer call() {
        Path root = Path.of("").toAbsolutePath();
        List<Diagnostic> diags = new ArrayList<>();
        Common.Compiled c = Common.compile(policies, Map.of(), root, diags);
        PrintWriter out = spec.commandLine().getOut();
        if (diags.stream().anyMatch(Diagnostic::isError) || c.result().policySet().isEmpty()) {
            Common.print(diags, c.sources(), root, spec.commandLine().getErr());
            return ExitCode.INVALID;
        }
        CompiledPolicySet set = c.result().policySet().get();
        int passed = 0, failed = 0;
        for (PolicyTests.Outcome o : PolicyTests.run(set, sources())) {
            if (o.passed()) {
                passed++;
                out.println("PASS  " + o.test().name());
            } else {
                failed++;
                out.println("FAIL  " + o.test().name() + "  (" + o.test().location().display() + ")");
                for (String f : o.failures()) out.println("      " + f);
            }
        }
        out.println(passed + " passed, " + failed + " failed");
        out.flush();
        return failed == 0 ? ExitCode.OK : ExitCode.VIOLATIONS;
    }
}
