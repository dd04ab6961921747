package dev.warden.cli;

import dev.warden.aws.AwsCollector;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The options of a live AWS collection, shared by {@code warden collect aws} and {@code warden scan --aws}. */
final class AwsOptions {
    @Option(names = "--profile", paramLabel = "PROFILE", description = "AWS named profile (default: the default credential chain)")
    String profile;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region to scan (repeatable; default: AWS_REGION)")
    List<String> regions = new ArrayList<>();

    @Option(names = "--all-regions", description = "scan every region enabled for the account")
    boolean allRegions;

    @Option(names = "--endpoint-url", paramLabel = "URL", description = "send every AWS call to this endpoint (e.g. a local emulator)")
    String endpointUrl;

    @Option(names = "--retry-mode", paramLabel = "MODE", defaultValue = "standard", description = "AWS SDK retry mode: standard or adaptive (default: ${DEFAULT-VALUE})")
    String retryMode;

    @Option(names = "--aws-timeout", paramLabel = "SECONDS", defaultValue = "20", description = "per-attempt timeout of an AWS call in seconds (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--concurrency", paramLabel = "N", defaultValue = "8", description = "AWS calls in flight at once (default: ${DEFAULT-VALUE})")
    int concurrency;

    /** True when a live-collection option was given (it only means something with {@code --aws}). */
    boolean usedWithoutAws() { return profile != null || !regions.isEmpty() || allRegions || endpointUrl != null; }

    /** Builds collector options; usage problems go to {@code usage}. */
    AwsCollector.Options toOptions(List<Diagnostic> usage) {
        AwsCollector.Options o = AwsCollector.Options.defaults();
        List<String> rs = new ArrayList<>(regions);
        if (rs.isEmpty() && !allRegions) {
            String env = System.getenv("AWS_REGION") != null ? System.getenv("AWS_REGION") : System.getenv("AWS_DEFAULT_REGION");
            if (env != null && !env.isBlank()) rs.add(env.strip());
        }
        if (rs.isEmpty() && !allRegions) usage.add(usage("--region", "no AWS region to scan", "pass --region <region> (repeatable) or --all-regions"));
        for (String r : rs) if (!AwsCollector.isRegionName(r)) usage.add(usage("--region", "`" + r + "` is not an AWS region name", "use a name like eu-west-1"));
        if (!regions.isEmpty() && allRegions) usage.add(usage("--all-regions", "--region and --all-regions together", "pass one or the other"));
        if (endpointUrl != null) {
            try {
                URI u = new URI(endpointUrl);
                if (u.getScheme() == null || !u.getScheme().matches("https?") || u.getHost() == null) throw new URISyntaxException(endpointUrl, "not an http(s) URL");
                o = o.withEndpoint(u);
            } catch (URISyntaxException e) {
                usage.add(usage("--endpoint-url", "`" + endpointUrl + "` is not an http(s) URL", "e.g. --endpoint-url http://localhost:4566"));
            }
        }
        String m = retryMode.toLowerCase(Locale.ROOT);
        if (!m.equals("standard") && !m.equals("adaptive")) usage.add(usage("--retry-mode", "unknown retry mode `" + retryMode + "`", "use standard or adaptive"));
        else o = o.withRetryMode(m.equals("adaptive") ? AwsCollector.RetryMode.ADAPTIVE : AwsCollector.RetryMode.STANDARD);
        if (timeoutSeconds < 1) usage.add(usage("--aws-timeout", "the timeout must be at least 1 second", ""));
        if (concurrency < 1 || concurrency > 64) usage.add(usage("--concurrency", "concurrency must be between 1 and 64", ""));
        PrintStream progress = System.console() != null && System.getenv("CI") == null ? System.err : null;
        return o.withProfile(profile).withRegions(rs).withAllRegions(allRegions).withTimeout(Duration.ofSeconds(Math.max(1, timeoutSeconds)))
                .withConcurrency(Math.max(1, Math.min(64, concurrency))).withProgress(progress);
    }

    private static Diagnostic usage(String option, String msg, String help) {
        return Diagnostic.error("cli.usage", Origin.api("command line", option), msg, help);
    }
}
