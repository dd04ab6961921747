package dev.warden.aws;

import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.model.fact.FactSet;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Collects the {@code aws} facts: live from the AWS APIs (IoT Core, EC2 security groups, WAFv2), from a Warden
 * snapshot file, or from a folder of AWS CLI captures (layout in {@code docs/aws.md}). Problems are data: a call
 * that fails becomes a diagnostic plus an unknown element in the affected lists; nothing here throws for them.
 */
public final class AwsCollector {
    private AwsCollector() {}

    /** The schema root this collector fills. */
    public static final String ROOT = "aws";

    /** How the SDK retries: the SDK's standard or adaptive mode. */
    public enum RetryMode { STANDARD, ADAPTIVE }

    /**
     * Live collection options.
     *
     * @param profile       named profile, or null for the default credential chain
     * @param regions       regions to scan (with {@code allRegions}, the first one is asked for the region list)
     * @param allRegions    scan every region enabled for the account (EC2 DescribeRegions)
     * @param endpoint      overrides every service endpoint (e.g. a local emulator), or null
     * @param credentials   explicit credentials (tests), or null
     * @param retryMode     SDK retry mode
     * @param retryStrategy explicit retry strategy (tests: no sleeping), or null for {@code retryMode}
     * @param timeout       per-attempt timeout (the whole call may take four times that, retries included)
     * @param concurrency   calls in flight at once
     * @param clock         the scan time certificate expiry and age are measured from
     * @param progress      where to print one progress line per service and region, or null for quiet
     */
    public record Options(String profile, List<String> regions, boolean allRegions, URI endpoint, AwsCredentialsProvider credentials,
                          RetryMode retryMode, Supplier<RetryStrategy> retryStrategy, Duration timeout, int concurrency, Clock clock,
                          PrintStream progress) {
        public Options {
            regions = List.copyOf(regions);
            Objects.requireNonNull(retryMode);
            Objects.requireNonNull(timeout);
            Objects.requireNonNull(clock);
            if (retryStrategy == null) {
                RetryMode m = retryMode;
                retryStrategy = () -> m == RetryMode.ADAPTIVE ? AwsRetryStrategy.adaptiveRetryStrategy() : AwsRetryStrategy.standardRetryStrategy();
            }
        }

        /** Default chain, no region yet, standard retries, 20 s attempts, 8 calls at once, system clock, quiet. */
        public static Options defaults() {
            return new Options(null, List.of(), false, null, null, RetryMode.STANDARD, null, Duration.ofSeconds(20), 8, Clock.systemUTC(), null);
        }

        public Options withProfile(String p) { return new Options(p, regions, allRegions, endpoint, credentials, retryMode, retryStrategy, timeout, concurrency, clock, progress); }
        public Options withRegions(List<String> r) { return new Options(profile, r, allRegions, endpoint, credentials, retryMode, retryStrategy, timeout, concurrency, clock, progress); }
        public Options withAllRegions(boolean a) { return new Options(profile, regions, a, endpoint, credentials, retryMode, retryStrategy, timeout, concurrency, clock, progress); }
        public Options withEndpoint(URI e) { return new Options(profile, regions, allRegions, e, credentials, retryMode, retryStrategy, timeout, concurrency, clock, progress); }
        public Options withCredentials(AwsCredentialsProvider c) { return new Options(profile, regions, allRegions, endpoint, c, retryMode, retryStrategy, timeout, concurrency, clock, progress); }
        public Options withRetryMode(RetryMode m) { return new Options(profile, regions, allRegions, endpoint, credentials, m, null, timeout, concurrency, clock, progress); }
        public Options withRetryStrategy(Supplier<RetryStrategy> s) { return new Options(profile, regions, allRegions, endpoint, credentials, retryMode, s, timeout, concurrency, clock, progress); }
        public Options withTimeout(Duration t) { return new Options(profile, regions, allRegions, endpoint, credentials, retryMode, retryStrategy, t, concurrency, clock, progress); }
        public Options withConcurrency(int n) { return new Options(profile, regions, allRegions, endpoint, credentials, retryMode, retryStrategy, timeout, n, clock, progress); }
        public Options withClock(Clock c) { return new Options(profile, regions, allRegions, endpoint, credentials, retryMode, retryStrategy, timeout, concurrency, c, progress); }
        public Options withProgress(PrintStream p) { return new Options(profile, regions, allRegions, endpoint, credentials, retryMode, retryStrategy, timeout, concurrency, clock, p); }
    }

    /** Collects live and returns the raw snapshot. Never throws for AWS faults. */
    public static AwsSnapshot collectSnapshot(Options o) {
        if (o.regions().isEmpty() && !o.allRegions()) {
            return AwsSnapshot.of(java.time.Instant.now(o.clock()), List.of(), Map.of(), List.of(new Fault("", "", Fault.BAD_INPUT, "aws:options", "collect",
                    "no region to scan", "pass --region <region> (repeatable) or --all-regions")), "aws");
        }
        return new LiveCollector(o).collect();
    }

    /** Collects live and returns the facts. Never throws for AWS faults. */
    public static FactSet collect(Options o) { return facts(collectSnapshot(o), o.clock()); }

    /** The facts of a snapshot, with certificate expiry and age measured from {@code clock}. */
    public static FactSet facts(AwsSnapshot s, Clock clock) { return FactBuilder.build(s, clock); }

    /** Writes a snapshot file. */
    public static void writeSnapshot(AwsSnapshot s, Path out) throws IOException {
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(out, s.toJson(), StandardCharsets.UTF_8);
    }

    /** Reads a snapshot file or an AWS CLI capture folder, measuring certificate times from now. */
    public static FactSet readSnapshot(Path p) { return readSnapshot(p, Clock.systemUTC()); }

    /** Reads a snapshot file or an AWS CLI capture folder; an unreadable input is a diagnostic, not an exception. */
    public static FactSet readSnapshot(Path p, Clock clock) {
        try {
            return facts(loadSnapshot(p), clock);
        } catch (IOException | IllegalArgumentException e) {
            return new FactSet(Map.of(), List.of(Diagnostic.error(Fault.BAD_INPUT, Origin.file(p.toString(), 0),
                    "cannot read the AWS snapshot `" + p + "`: " + e.getMessage(),
                    "pass a file written by `warden collect aws --out` or a folder of AWS CLI captures (docs/aws.md)")));
        }
    }

    /** Loads a snapshot file or an AWS CLI capture folder. */
    public static AwsSnapshot loadSnapshot(Path p) throws IOException {
        if (Files.isDirectory(p)) return CliCaptures.read(p);
        return AwsSnapshot.fromJson(Files.readString(p, StandardCharsets.UTF_8), p.toString());
    }

    /** Region names as AWS spells them, for option checks. */
    public static boolean isRegionName(String r) { return r != null && r.matches("[a-z]{2}(-[a-z]+)+-\\d+"); }

    static List<String> copy(List<String> l) { return new ArrayList<>(l); }
}
