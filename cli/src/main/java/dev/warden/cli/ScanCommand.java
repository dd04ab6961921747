package dev.warden.cli;

import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.aws.AwsCollector;
import dev.warden.eval.Evaluator;
import dev.warden.eval.Finding;
import dev.warden.eval.ScanReport;
import dev.warden.eval.Status;
import dev.warden.eval.report.Reports;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.model.Severity;
import dev.warden.model.fact.FactSet;
import dev.warden.mosquitto.MosquittoCollector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code warden scan}: collects facts, evaluates policies, writes reports, sets the exit code. */
@Command(name = "scan", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Scan a deployment against policies and report violations.",
        footer = {"", "Exit codes: 0 compliant, 1 violations at or above --fail-on, 2 invalid policy/input/options, 3 internal error.",
                "Example: warden scan --policy builtin:mqtt-broker-baseline --mosquitto /etc/mosquitto/mosquitto.conf --format sarif --output warden.sarif"})
final class ScanCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-p", "--policy"}, required = true, paramLabel = "POLICY",
            description = "policy file, directory of .warden files, or builtin:<name> (repeatable)")
    List<String> policies = new ArrayList<>();

    @Option(names = "--mosquitto", paramLabel = "CONF", description = "a mosquitto.conf to scan (repeatable)")
    List<Path> mosquitto = new ArrayList<>();

    @Option(names = "--mosquitto-version", paramLabel = "VERSION", description = "the mosquitto version deployed with that config, e.g. 2.0.21")
    String mosquittoVersion;

    @Option(names = "--probe-version", description = "learn the mosquitto version by running `mosquitto -h` (see --mosquitto-bin)")
    boolean probeVersion;

    @Option(names = "--mosquitto-bin", paramLabel = "PATH", defaultValue = "mosquitto", description = "mosquitto binary for --probe-version (default: ${DEFAULT-VALUE})")
    String mosquittoBin;

    @Option(names = "--aws", description = "scan the AWS account live (IoT Core, EC2 security groups, WAFv2; read-only calls)")
    boolean aws;

    @Mixin AwsOptions awsOptions;

    @Option(names = "--aws-snapshot", paramLabel = "FILE|DIR", description = "scan a snapshot from `warden collect aws`, or a folder of AWS CLI captures (docs/aws.md) (repeatable)")
    List<Path> awsSnapshots = new ArrayList<>();

    @Option(names = "--param", paramLabel = "NAME=VALUE", description = "override a policy param, e.g. --param min_tls=1.3 (repeatable)")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", description = "text, json, sarif, junit or markdown (repeatable; pairs with --output by position)")
    List<String> formats = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "where the format at the same position goes (default: standard output)")
    List<Path> outputs = new ArrayList<>();

    @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "info",
            description = "lowest severity whose violations fail the run: info, low, medium, high, critical or none (default: ${DEFAULT-VALUE})")
    String failOn;

    @Option(names = "--fail-on-unknown", description = "also fail when a control could not be evaluated (UNKNOWN)")
    boolean failOnUnknown;

    @Option(names = "--root", paramLabel = "DIR", description = "directory report paths are relative to (default: the working directory)")
    Path root;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto", description = "auto, always or never (auto: only on a terminal, and never with NO_COLOR)")
    String color;

    @Override public Integer call() throws IOException {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        PrintWriter err = spec.commandLine().getErr();
        Path scanRoot = (root == null ? Path.of("") : root).toAbsolutePath().normalize();
        List<Diagnostic> usage = new ArrayList<>();

        Optional<Severity> threshold = Optional.empty();
        if (!failOn.equalsIgnoreCase("none")) {
            threshold = Severity.parse(failOn);
            if (threshold.isEmpty()) usage.add(usageError("--fail-on", "unknown severity `" + failOn + "`", "use info, low, medium, high, critical or none"));
        }
        if (formats.isEmpty()) formats.add("text");
        List<Reports.Format> fmts = new ArrayList<>();
        for (String f : formats) {
            Optional<Reports.Format> p = Reports.parse(f);
            if (p.isEmpty()) usage.add(usageError("--format", "unknown format `" + f + "`", "use text, json, sarif, junit or markdown"));
            else fmts.add(p.get());
        }
        if (outputs.size() > fmts.size()) usage.add(usageError("--output", "more --output than --format options", "give each --output a --format before it"));
        long toStdout = fmts.size() - Math.min(outputs.size(), fmts.size());
        if (toStdout > 1) usage.add(usageError("--format", "several formats would go to standard output", "give all but one format an --output FILE"));
        AwsCollector.Options awsOpts = aws ? awsOptions.toOptions(usage) : null;
        if (!aws && awsOptions.usedWithoutAws()) usage.add(usageError("--aws", "AWS options without --aws", "add --aws to scan the account live, or drop the AWS options"));
        if (!color.matches("(?i)auto|always|never")) usage.add(usageError("--color", "unknown value `" + color + "`", "use auto, always or never"));
        if (!usage.isEmpty()) {
            Common.print(usage, List.of(), scanRoot, err);
            return ExitCode.INVALID;
        }

        List<Diagnostic> policyDiags = new ArrayList<>();
        Common.Compiled compiled = Common.compile(policies, params, scanRoot, policyDiags);
        if (policyDiags.stream().anyMatch(Diagnostic::isError) || compiled.result().policySet().isEmpty()) {
            Common.print(policyDiags, compiled.sources(), scanRoot, err);
            return ExitCode.INVALID;
        }
        if (!policyDiags.isEmpty()) Common.print(policyDiags, compiled.sources(), scanRoot, err);
        CompiledPolicySet set = compiled.result().policySet().get();
        if (mosquitto.isEmpty() && !aws && awsSnapshots.isEmpty() && set.authorizations().isEmpty()) {
            Common.print(List.of(usageError("--mosquitto", "nothing to scan",
                    "pass --mosquitto <mosquitto.conf>, --aws or --aws-snapshot <file>, or a policy with `authorize` blocks to judge")), List.of(), scanRoot, err);
            return ExitCode.INVALID;
        }

        FactSet facts = FactSet.empty();
        List<String> inputs = new ArrayList<>();
        for (Path conf : mosquitto) {
            Path probe = probeVersion && mosquittoVersion == null ? Path.of(mosquittoBin) : null;
            facts = facts.merge(MosquittoCollector.collect(conf, new MosquittoCollector.Options(scanRoot, mosquittoVersion, probe)));
            inputs.add("mosquitto:" + PolicyLoader.display(conf, scanRoot));
        }

        if (awsOpts != null) {
            facts = facts.merge(AwsCollector.collect(awsOpts));
            inputs.add(awsOpts.allRegions() ? "aws:all-regions" : "aws:" + String.join(",", awsOpts.regions()));
        }
        for (Path snap : awsSnapshots) {
            facts = facts.merge(AwsCollector.readSnapshot(snap));
            inputs.add("aws-snapshot:" + PolicyLoader.display(snap, scanRoot));
        }

        if (!set.authorizations().isEmpty()) {
            inputs.add("authz:" + String.join(",", set.authorizations().stream().map(a -> a.name() + "@" + a.origin().display()).toList()));
        }
        List<Finding> findings = Evaluator.evaluate(set, facts);
        Map<String, String> shownParams = new LinkedHashMap<>();
        set.params().values().forEach(p -> shownParams.put(p.key(), p.value().display()));
        ScanReport report = new ScanReport(Main.version(), started, Duration.ofNanos(System.nanoTime() - t0), scanRoot, inputs,
                shownParams, Evaluator.controls(set), findings, facts.diagnostics());

        boolean tty = System.console() != null && System.getenv("NO_COLOR") == null;
        boolean useColor = color.equalsIgnoreCase("always") || (color.equalsIgnoreCase("auto") && tty);
        for (int i = 0; i < fmts.size(); i++) {
            Reports.Format f = fmts.get(i);
            if (i < outputs.size()) {
                Path out = outputs.get(i);
                try {
                    if (out.toAbsolutePath().getParent() != null) Files.createDirectories(out.toAbsolutePath().getParent());
                    try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                        Reports.writer(f).write(report, w, false);
                    }
                } catch (IOException e) {
                    Common.print(List.of(Diagnostic.error("cli.cannot_write", Origin.api("command line", "--output " + out),
                            "cannot write the " + f.id() + " report to `" + out + "`: " + e.getMessage(), "check that the directory exists and is writable")),
                            List.of(), scanRoot, err);
                    return ExitCode.INVALID;
                }
            } else {
                PrintWriter out = spec.commandLine().getOut();
                Reports.writer(f).write(report, out, useColor && f == Reports.Format.TEXT);
                out.flush();
            }
        }

        if (facts.diagnostics().stream().anyMatch(Diagnostic::isError)) {
            if (!fmts.contains(Reports.Format.TEXT) || outputs.size() > fmts.indexOf(Reports.Format.TEXT)) {
                Common.print(facts.diagnostics(), List.of(), scanRoot, err);
            }
            return ExitCode.INVALID;
        }
        final Optional<Severity> th = threshold;
        boolean violations = th.isPresent() && findings.stream()
                .anyMatch(f -> f.status() == Status.FAIL && f.severity().compareTo(th.get()) >= 0);
        boolean unknown = failOnUnknown && findings.stream().anyMatch(f -> f.status() == Status.UNKNOWN);
        return violations || unknown ? ExitCode.VIOLATIONS : ExitCode.OK;
    }

    private static Diagnostic usageError(String option, String msg, String help) {
        return Diagnostic.error("cli.usage", Origin.api("command line", option), msg.toLowerCase(Locale.ROOT).equals(msg) ? msg : msg, help);
    }
}
