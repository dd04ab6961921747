package dev.warden.cli;

import dev.warden.aws.AwsCollector;
import dev.warden.aws.AwsSnapshot;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.model.fact.FactSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code warden collect}: collects facts without evaluating them, for a later {@code warden scan}. */
@Command(name = "collect", mixinStandardHelpOptions = true, description = "Collect facts for a later scan.",
        subcommands = {CollectCommand.Aws.class})
final class CollectCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** {@code warden collect aws}: writes a {@code warden.aws-snapshot/v1} file. */
    @Command(name = "aws", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Collect AWS IoT Core, EC2 security group and WAFv2 data into a snapshot file (read-only calls).",
            footer = {"", "Exit codes: 0 collected, 2 invalid options or some calls failed (the snapshot marks that data unknown).",
                    "Example: warden collect aws --profile audit --region eu-west-1 --out aws.json && warden scan -p POLICY --aws-snapshot aws.json"})
    static final class Aws implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin AwsOptions aws;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "snapshot file to write")
        Path out;

        @Override public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            Path root = Path.of("").toAbsolutePath();
            List<Diagnostic> usage = new ArrayList<>();
            AwsCollector.Options o = aws.toOptions(usage);
            if (!usage.isEmpty()) {
                Common.print(usage, List.of(), root, err);
                return ExitCode.INVALID;
            }
            AwsSnapshot snap = AwsCollector.collectSnapshot(o);
            FactSet facts = AwsCollector.facts(snap, o.clock());
            try {
                AwsCollector.writeSnapshot(snap, out);
            } catch (IOException e) {
                Common.print(List.of(Diagnostic.error("cli.cannot_write", Origin.api("command line", "--out " + out),
                        "cannot write the snapshot to `" + out + "`: " + e.getMessage(), "check that the directory exists and is writable")), List.of(), root, err);
                return ExitCode.INVALID;
            }
            if (!facts.diagnostics().isEmpty()) {
                Common.print(facts.diagnostics(), List.of(), root, err);
                return ExitCode.INVALID;
            }
            return ExitCode.OK;
        }
    }
}
