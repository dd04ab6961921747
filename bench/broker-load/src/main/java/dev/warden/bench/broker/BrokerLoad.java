package dev.warden.bench.broker;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import dev.warden.hivemq.WardenConfig;
import dev.warden.hivemq.WardenExtensionMain;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Broker throughput harness: HiveMQ CE embedded on loopback with the Warden extension vs the same broker with an
 * allow-all authenticator, alternating in one run. Per mode and round: a saturation phase (every client publishes
 * QoS 0 as fast as a bounded window allows; delivered msgs/s) and a paced phase (a fixed offered rate; p50/p99
 * publish-to-deliver latency). Bounded in clients, time and in-flight messages; binds 127.0.0.1 only.
 */
public final class BrokerLoad {

    /** Harness settings (see {@link #parse}). */
    public record Options(int clients, int subscribers, int seconds, int warmupSeconds, int rounds, int pacedRate, int payload, int window,
                          Path extensionFolder, boolean receiveCheck, boolean warmupRound, List<String> modes) {}

    /** One measured phase. */
    public record Phase(String mode, int round, String phase, double msgsPerSec, double p50Micros, double p99Micros, long delivered, long sent,
                        double cpuNanosPerMsg) {
        /** A phase whose CPU time was not measured. */
        public Phase(String mode, int round, String phase, double msgsPerSec, double p50Micros, double p99Micros, long delivered, long sent) {
            this(mode, round, phase, msgsPerSec, p50Micros, p99Micros, delivered, sent, Double.NaN);
        }
    }

    /**
     * CPU time of this whole process (broker, Warden and the MQTT clients), or -1. Unlike throughput it does not count
     * time the host took the CPU away, so its ratio between modes is steadier on a shared machine.
     */
    static long processCpuNanos() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /**
     * bare: allow-all authenticator only. warden: the extension with its defaults (receive-check = reload).
     * warden-on: receive-check = on (every delivery checked; the behaviour before receive-check = reload).
     * hooks: empty publish/subscription authorizer + inbound interceptor + outbound interceptor (without the outbound
     * one with --receive-check off): the hooks warden-on registers. perms: no hooks at all, the authenticator hands
     * HiveMQ per-client default permissions equivalent to the bench policy's topic rules (HiveMQ evaluates them in line;
     * no limits, no reason strings). hooks-in: one empty inbound publish interceptor only (the floor of any per-PUBLISH hook).
     * warden-perms: the extension with enforcement = permissions and the same policy (its limits keep one inbound
     * interceptor per PUBLISH). warden-acl / warden-perms-acl: hooks / permissions with the policy's topic rules only
     * (no limits), so permissions mode registers no per-PUBLISH hook.
     */
    static final List<String> MODES = List.of("bare", "warden", "warden-on", "hooks", "hooks-in", "perms", "warden-acl", "warden-perms",
            "warden-perms-acl");

    static final String POLICY = """
            authorize bench "Load clients publish their own topics; sinks read them all" {
              default deny
              connect forbid  client.id matches "[+#/]"
              allow publish   "load/${client.id}/#" qos 0..1 retain false
              deny  publish   "load/${client.id}/admin"
              allow subscribe "load/#" when client.username == "sink"
              limit payload 1KiB
              limit publish per client 1000000/s burst 1000000 then throttle
            }
            """;

    /** The bench policy's topic rules without its limits (an ACL-only policy: no per-PUBLISH work is needed in permissions mode). */
    static final String POLICY_ACL = POLICY.replaceAll("(?m)^\\s*limit .*\n", "");

    /** The policy a Warden mode enforces. */
    static String policy(String mode) { return mode.endsWith("-acl") ? POLICY_ACL : POLICY; }

    /** The enforcement mode a Warden mode uses. */
    static WardenConfig.Enforcement enforcement(String mode) {
        return mode.startsWith("warden-perms") ? WardenConfig.Enforcement.PERMISSIONS : WardenConfig.Enforcement.HOOKS;
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: BrokerLoad [--clients 100] [--subscribers 4] [--seconds 10] [--warmup 2] [--rounds 2] [--paced-rate 100]"
                    + " [--payload 64] [--window 32] [--receive-check on|off] [--warmup-round on|off] [--modes bare,warden[,warden-on,hooks,hooks-in,perms,warden-acl,warden-perms,warden-perms-acl]; default bare,warden,warden-perms-acl] [--extension-folder DIR]");
            System.exit(2);
            return;
        }
        List<Phase> phases = run(o, System.out);
        System.out.println();
        System.out.print(summary(phases));
    }

    /** Parses {@code --name value} options; unknown or malformed ones are an error naming the option. */
    public static Options parse(String[] args) {
        int clients = 100, subs = 4, seconds = 10, warm = 2, rounds = 2, paced = 100, payload = 64, window = 32;
        Path folder = null;
        boolean recv = true, warmRound = true;
        // the default mode and the one that meets the throughput target (ACL-only policy, enforcement = permissions)
        List<String> modes = List.of("bare", "warden", "warden-perms-acl");
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            if (i + 1 >= args.length) throw new IllegalArgumentException("`" + k + "` needs a value");
            String v = args[++i];
            switch (k) {
                case "--clients" -> clients = num(k, v, 1, 2000);
                case "--subscribers" -> subs = num(k, v, 1, 64);
                case "--seconds" -> seconds = num(k, v, 1, 300);
                case "--warmup" -> warm = num(k, v, 0, 60);
                case "--rounds" -> rounds = num(k, v, 1, 20);
                case "--paced-rate" -> paced = num(k, v, 1, 100_000);
                case "--payload" -> payload = num(k, v, 16, 1024);
                case "--window" -> window = num(k, v, 1, 10_000);
                case "--extension-folder" -> folder = Path.of(v);
                case "--receive-check" -> recv = onOff(k, v);
                case "--warmup-round" -> warmRound = onOff(k, v);
                case "--modes" -> {
                    modes = List.of(v.split(","));
                    if (!modes.contains("bare") || !modes.contains("warden") || !MODES.containsAll(modes))
                        throw new IllegalArgumentException("`--modes` lists bare and warden, optionally " + String.join(", ", MODES.subList(2, MODES.size()))
                                + " (e.g. bare,hooks,warden), found `" + v + "`");
                }
                default -> throw new IllegalArgumentException("unknown option `" + k + "`");
            }
        }
        return new Options(clients, subs, seconds, warm, rounds, paced, payload, window, folder, recv, warmRound, modes);
    }

    private static boolean onOff(String k, String v) {
        return switch (v) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("`" + k + "` must be on or off, found `" + v + "`");
        };
    }

    private static int num(String k, String v, int min, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("`" + k + "` must be a whole number from " + min + " to " + max + ", found `" + v + "`");
        }
    }

    /** Runs every round (bare, then Warden) and returns the phases measured. */
    public static List<Phase> run(Options o, java.io.PrintStream out) throws Exception {
        List<Phase> phases = new ArrayList<>();
        for (int r = o.warmupRound() ? 0 : 1; r <= o.rounds(); r++) { // round 0 warms the JIT up and is not counted
            List<String> order = new ArrayList<>(o.modes());
            if (r % 2 == 0) java.util.Collections.reverse(order); // alternate which mode runs first
            for (String mode : order) {
                for (Phase p : runMode(o, mode, r)) {
                    out.printf(Locale.ROOT, "round %d %-6s %-10s %10.0f msg/s  p50 %8.0f us  p99 %8.0f us  cpu %6.2f us/msg  (%d delivered of %d sent)%s%n",
                            p.round(), p.mode(), p.phase(), p.msgsPerSec(), p.p50Micros(), p.p99Micros(), p.cpuNanosPerMsg() / 1000, p.delivered(), p.sent(),
                            r == 0 ? "  [warm-up, not counted]" : "");
                    if (r > 0) phases.add(p);
                }
            }
        }
        return phases;
    }

    /** Medians over rounds per mode and phase, and the Warden/bare ratios. */
    public static String summary(List<Phase> phases) {
        StringBuilder b = new StringBuilder();
        b.append("| phase | mode | msgs/s | p50 µs | p99 µs | CPU µs/msg |\n|---|---|---:|---:|---:|---:|\n");
        for (String phase : List.of("saturation", "paced")) {
            for (String mode : MODES) {
                if (ps(phases, mode)) continue;
                b.append(String.format(Locale.ROOT, "| %s | %s | %.0f | %.0f | %.0f | %.2f |%n", phase, mode, median(phases, mode, phase, Phase::msgsPerSec),
                        median(phases, mode, phase, Phase::p50Micros), median(phases, mode, phase, Phase::p99Micros),
                        median(phases, mode, phase, Phase::cpuNanosPerMsg) / 1000));
            }
        }
        double tput = median(phases, "warden", "saturation", Phase::msgsPerSec) / median(phases, "bare", "saturation", Phase::msgsPerSec);
        double p99 = median(phases, "warden", "paced", Phase::p99Micros) / median(phases, "bare", "paced", Phase::p99Micros);
        double p50 = median(phases, "warden", "paced", Phase::p50Micros) / median(phases, "bare", "paced", Phase::p50Micros);
        for (String m : MODES.subList(2, MODES.size())) {
            if (ps(phases, m)) continue;
            b.append(String.format(Locale.ROOT, "%s/bare: saturation throughput %.3f, paced p50 %.3f, paced p99 %.3f%n", m,
                    median(phases, m, "saturation", Phase::msgsPerSec) / median(phases, "bare", "saturation", Phase::msgsPerSec),
                    median(phases, m, "paced", Phase::p50Micros) / median(phases, "bare", "paced", Phase::p50Micros),
                    median(phases, m, "paced", Phase::p99Micros) / median(phases, "bare", "paced", Phase::p99Micros)));
            pairedLine(b, phases, m);
        }
        if (!ps(phases, "hooks")) {
            b.append(String.format(Locale.ROOT, "%nhooks/bare: saturation throughput %.3f, paced p50 %.3f, paced p99 %.3f; warden/hooks: saturation throughput %.3f%n",
                    median(phases, "hooks", "saturation", Phase::msgsPerSec) / median(phases, "bare", "saturation", Phase::msgsPerSec),
                    median(phases, "hooks", "paced", Phase::p50Micros) / median(phases, "bare", "paced", Phase::p50Micros),
                    median(phases, "hooks", "paced", Phase::p99Micros) / median(phases, "bare", "paced", Phase::p99Micros),
                    median(phases, "warden", "saturation", Phase::msgsPerSec) / median(phases, "hooks", "saturation", Phase::msgsPerSec)));
        }
        b.append(String.format(Locale.ROOT, "warden/bare: saturation throughput %.3f (target >= 0.95), paced p50 %.3f, paced p99 %.3f (target <= 1.10)%n",
                tput, p50, p99));
        pairedLine(b, phases, "warden");
        return b.toString();
    }

    private static void pairedLine(StringBuilder b, List<Phase> phases, String m) {
        double[] tp = paired(phases, m, "saturation", Phase::msgsPerSec), pp = paired(phases, m, "paced", Phase::p99Micros);
        double[] cp = paired(phases, m, "saturation", Phase::cpuNanosPerMsg);
        b.append(String.format(Locale.ROOT, "  paired by round (each round's %s against that round's bare): saturation throughput median %.3f %s,"
                + " paced p99 median %.3f %s, saturation CPU per message median %.3f %s%n", m, median(tp), Arrays.toString(round3(tp)),
                median(pp), Arrays.toString(round3(pp)), median(cp), Arrays.toString(round3(cp))));
    }

    /**
     * Per round, {@code mode}'s value over the bare broker's in the same round. Modes of one round run back to back,
     * so these ratios are less exposed to load that comes and goes on a shared machine than a ratio of medians.
     */
    static double[] paired(List<Phase> phases, String mode, String phase, java.util.function.ToDoubleFunction<Phase> f) {
        return phases.stream().filter(p -> p.mode().equals(mode) && p.phase().equals(phase)).mapToDouble(p -> phases.stream()
                        .filter(q -> q.mode().equals("bare") && q.phase().equals(phase) && q.round() == p.round())
                        .mapToDouble(q -> f.applyAsDouble(p) / f.applyAsDouble(q)).findFirst().orElse(Double.NaN))
                .filter(x -> !Double.isNaN(x)).toArray();
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double[] round3(double[] v) {
        return Arrays.stream(v).map(x -> Math.round(x * 1000) / 1000.0).toArray();
    }

    private static boolean ps(List<Phase> phases, String mode) {
        return phases.stream().noneMatch(p -> p.mode().equals(mode));
    }

    private static double median(List<Phase> ps, String mode, String phase, java.util.function.ToDoubleFunction<Phase> f) {
        return median(ps.stream().filter(p -> p.mode().equals(mode) && p.phase().equals(phase)).mapToDouble(f).toArray());
    }

    // ------------------------------------------------------------------ one broker

    /** Allow-all authentication, so the bare broker does the same CONNECT work as with an authenticator. */
    static final class AllowAll implements ExtensionMain {
        @Override
        public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
            Services.securityRegistry().setAuthenticatorProvider(i -> (com.hivemq.extension.sdk.api.auth.SimpleAuthenticator) (a, o) -> o.authenticateSuccessfully());
        }

        @Override
        public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) { /* nothing */ }
    }

    /** The bench policy's topic rules as HiveMQ default permissions, computed per client at CONNECT; no other hook. */
    static final class Permissions implements ExtensionMain {
        @Override
        public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
            Services.securityRegistry().setAuthenticatorProvider(i -> (com.hivemq.extension.sdk.api.auth.SimpleAuthenticator) (a, o) -> {
                String id = a.getClientInformation().getClientId();
                var perms = o.getDefaultPermissions();
                perms.add(com.hivemq.extension.sdk.api.services.builder.Builders.topicPermission().topicFilter("load/" + id + "/admin")
                        .type(com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.PermissionType.DENY)
                        .activity(com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.MqttActivity.PUBLISH).build());
                perms.add(com.hivemq.extension.sdk.api.services.builder.Builders.topicPermission().topicFilter("load/" + id + "/#")
                        .qos(com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.Qos.ZERO_ONE)
                        .retain(com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.Retain.NOT_RETAINED)
                        .activity(com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.MqttActivity.PUBLISH).build());
                if (a.getConnectPacket().getUserName().filter("sink"::equals).isPresent()) {
                    perms.add(com.hivemq.extension.sdk.api.services.builder.Builders.topicPermission().topicFilter("load/#")
                            .activity(com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.MqttActivity.SUBSCRIBE).build());
                }
                perms.setDefaultBehaviour(com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour.DENY);
                o.authenticateSuccessfully();
            });
        }

        @Override
        public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) { /* nothing */ }
    }

    /** Allow-all with the same HiveMQ hooks Warden registers (authorizers, inbound and outbound interceptors): HiveMQ's own cost of the hooks. */
    static final class AllowAllHooks implements ExtensionMain {
        /** Allows every publish and subscription. */
        static final class Allow implements com.hivemq.extension.sdk.api.auth.PublishAuthorizer, com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer {
            @Override
            public void authorizePublish(com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput i,
                                         com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput o) { o.authorizeSuccessfully(); }

            @Override
            public void authorizeSubscribe(com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput i,
                                           com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput o) { o.authorizeSuccessfully(); }
        }

        private final boolean outbound;
        private final boolean authorizer;

        AllowAllHooks(boolean outbound, boolean authorizer) {
            this.outbound = outbound;
            this.authorizer = authorizer;
        }

        @Override
        public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
            Allow allow = new Allow();
            Services.securityRegistry().setAuthenticatorProvider(i -> (com.hivemq.extension.sdk.api.auth.SimpleAuthenticator) (a, o) -> o.authenticateSuccessfully());
            if (authorizer) Services.securityRegistry().setAuthorizerProvider(i -> allow);
            Services.initializerRegistry().setClientInitializer((i, ctx) -> {
                ctx.addPublishInboundInterceptor((a, o) -> { });
                if (outbound) ctx.addPublishOutboundInterceptor((a, o) -> { });
            });
        }

        @Override
        public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) { /* nothing */ }
    }

    static List<Phase> runMode(Options o, String mode, int round) throws Exception {
        Path dir = Files.createTempDirectory("warden-broker-load");
        try {
            int port = freePort();
            Path conf = Files.createDirectories(dir.resolve("conf"));
            Files.writeString(conf.resolve("config.xml"), """
                    <?xml version="1.0"?>
                    <hivemq>
                      <listeners><tcp-listener><port>%d</port><bind-address>127.0.0.1</bind-address></tcp-listener></listeners>
                      <persistence><mode>in-memory</mode></persistence>
                    </hivemq>
                    """.formatted(port));
            Files.writeString(conf.resolve("logback.xml"), """
                    <configuration>
                      <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender"><encoder><pattern>%msg%n</pattern></encoder></appender>
                      <root level="WARN"><appender-ref ref="OUT"/></root>
                    </configuration>
                    """);
            Path extensions = Files.createDirectories(dir.resolve("extensions"));
            var builder = EmbeddedHiveMQ.builder().withConfigurationFolder(conf).withDataFolder(Files.createDirectories(dir.resolve("data")))
                    .withExtensionsFolder(extensions);
            if (mode.equals("bare")) {
                builder.withEmbeddedExtension(EmbeddedExtension.builder().withId("allow-all").withName("allow-all").withVersion("1")
                        .withExtensionMain(new AllowAll()).build());
            } else if (mode.equals("perms")) {
                builder.withEmbeddedExtension(EmbeddedExtension.builder().withId("perms").withName("perms").withVersion("1")
                        .withExtensionMain(new Permissions()).build());
            } else if (mode.startsWith("hooks")) {
                boolean one = mode.equals("hooks-in");
                builder.withEmbeddedExtension(EmbeddedExtension.builder().withId("allow-all-hooks").withName("allow-all-hooks").withVersion("1")
                        .withExtensionMain(new AllowAllHooks(!one && o.receiveCheck(), !one)).build());
            } else if (o.extensionFolder() != null) {
                Path target = extensions.resolve("warden");
                copy(o.extensionFolder(), target);
                Files.writeString(target.resolve("policies").resolve("devices.warden"), policy(mode));
                Files.writeString(target.resolve("conf").resolve("warden.properties"), "policy = policies/\ndecision-log = logs/decisions.jsonl\nwatch = 2s\nreceive-check = "
                        + recv(o, mode).name().toLowerCase(Locale.ROOT) + "\nenforcement = " + enforcement(mode).name().toLowerCase(Locale.ROOT) + "\n");
            } else {
                Path policy = dir.resolve("bench.warden");
                Files.writeString(policy, policy(mode));
                WardenConfig cfg = WardenConfig.of(policy).withDecisionLog(dir.resolve("decisions.jsonl")).withWatch(java.time.Duration.ofSeconds(2))
                        .withReceiveCheck(recv(o, mode)).withEnforcement(enforcement(mode));
                builder.withEmbeddedExtension(EmbeddedExtension.builder().withId("warden").withName("Warden").withVersion("bench")
                        .withPriority(1000).withExtensionMain(new WardenExtensionMain(cfg)).build());
            }
            EmbeddedHiveMQ hivemq = builder.build();
            hivemq.start().join();
            try {
                return load(o, mode, round, port);
            } finally {
                hivemq.stop().join();
                hivemq.close();
            }
        } finally {
            delete(dir);
        }
    }

    /** warden-on checks every delivery; warden uses the default unless --receive-check off. */
    static WardenConfig.ReceiveCheck recv(Options o, String mode) {
        if (mode.equals("warden-on")) return WardenConfig.ReceiveCheck.ON;
        return o.receiveCheck() ? WardenConfig.ReceiveCheck.RELOAD : WardenConfig.ReceiveCheck.OFF;
    }

    /** Every message any sink received (closed-loop credit for the publishers). */
    static final LongAdder ARRIVED = new LongAdder();
    /** Every message any publisher sent. */
    static final LongAdder SENT = new LongAdder();

    static List<Phase> load(Options o, String mode, int round, int port) throws Exception {
        Histogram hist = new Histogram();
        LongAdder delivered = new LongAdder();
        AtomicBoolean recording = new AtomicBoolean();
        List<Mqtt5AsyncClient> subs = new ArrayList<>();
        for (int i = 0; i < o.subscribers(); i++) {
            Mqtt5AsyncClient s = MqttClient.builder().useMqttVersion5().identifier("sink" + i).serverHost("127.0.0.1").serverPort(port).buildAsync();
            s.connectWith().simpleAuth().username("sink").applySimpleAuth().send().get(30, TimeUnit.SECONDS);
            java.util.function.Consumer<com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish> onMessage = p -> {
                ARRIVED.increment();
                if (!recording.get()) return;
                long now = System.nanoTime();
                ByteBuffer b = p.getPayload().orElse(null);
                if (b == null || b.remaining() < 8) return;
                hist.record((now - b.getLong(b.position())) / 1000);
                delivered.increment();
            };
            for (int c = i; c < o.clients(); c += o.subscribers()) { // each sink reads its share of the publishers
                s.subscribeWith().topicFilter("load/c" + c + "/#").qos(MqttQos.AT_MOST_ONCE).callback(onMessage).send().get(30, TimeUnit.SECONDS);
            }
            subs.add(s);
        }
        List<Mqtt5AsyncClient> pubs = new ArrayList<>();
        for (int i = 0; i < o.clients(); i++) {
            Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5().identifier("c" + i).serverHost("127.0.0.1").serverPort(port).buildAsync();
            c.connect().get(30, TimeUnit.SECONDS);
            pubs.add(c);
        }
        if (mode.startsWith("warden") || mode.equals("perms")) { // never measure a broker that is not enforcing (e.g. HiveMQ disabled the extension)
            Mqtt5AsyncClient probe = MqttClient.builder().useMqttVersion5().identifier("probe").serverHost("127.0.0.1").serverPort(port).buildAsync();
            probe.connect().get(30, TimeUnit.SECONDS);
            boolean refused;
            try {
                probe.subscribeWith().topicFilter("load/#").send().get(30, TimeUnit.SECONDS);
                refused = false;
            } catch (java.util.concurrent.ExecutionException e) {
                refused = e.getCause() instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
            }
            probe.disconnect().get(10, TimeUnit.SECONDS);
            if (!refused) throw new IllegalStateException("the Warden extension is not enforcing (a forbidden subscription was granted); see the broker log");
        }
        ARRIVED.reset();
        SENT.reset();
        List<Phase> out = new ArrayList<>();
        if (!Boolean.getBoolean("bench.pacedOnly")) out.add(phase(o, mode, round, "saturation", pubs, 0, hist, delivered, recording));
        out.add(phase(o, mode, round, "paced", pubs, o.pacedRate(), hist, delivered, recording));
        for (Mqtt5AsyncClient c : pubs) c.disconnect().get(10, TimeUnit.SECONDS);
        for (Mqtt5AsyncClient s : subs) s.disconnect().get(10, TimeUnit.SECONDS);
        return out;
    }

    /** Publishes for warm-up + measurement; {@code rate} per client per second, or 0 for as fast as the window allows. */
    static Phase phase(Options o, String mode, int round, String name, List<Mqtt5AsyncClient> pubs, int rate, Histogram hist, LongAdder delivered,
                       AtomicBoolean recording) throws Exception {
        int threads = Math.min(2, pubs.size());
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(o.warmupSeconds());
        long end = measureFrom + TimeUnit.SECONDS.toNanos(o.seconds());
        LongAdder sent = new LongAdder();
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t;
            Thread th = new Thread(() -> publishLoop(o, pubs, first, threads, rate, start, end, measureFrom, sent), "load-" + t);
            th.start();
            ts.add(th);
        }
        while (System.nanoTime() < measureFrom) Thread.sleep(5);
        hist.reset();
        delivered.reset();
        long cpu0 = processCpuNanos();
        recording.set(true);
        while (System.nanoTime() < end) Thread.sleep(5);
        recording.set(false);
        long got = delivered.sum();
        long cpu1 = processCpuNanos();
        double cpuPerMsg = cpu0 < 0 || got == 0 ? Double.NaN : (cpu1 - cpu0) / (double) got;
        for (Thread th : ts) th.join(30_000);
        // let the queues drain before the next phase: until nothing arrives for 300 ms (at most 10 s)
        recording.set(true);
        long last = -1, quietSince = System.nanoTime(), drainEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < drainEnd && System.nanoTime() - quietSince < TimeUnit.MILLISECONDS.toNanos(300)) {
            long now = delivered.sum();
            if (now != last) { last = now; quietSince = System.nanoTime(); }
            Thread.sleep(20);
        }
        recording.set(false);
        return new Phase(mode, round, name, got / (double) o.seconds(), hist.percentile(0.50), hist.percentile(0.99), got, sent.sum(), cpuPerMsg);
    }

    private static void publishLoop(Options o, List<Mqtt5AsyncClient> pubs, int first, int step, int rate, long start, long end, long measureFrom,
                                    LongAdder sent) {
        List<Mqtt5AsyncClient> mine = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        for (int i = first; i < pubs.size(); i += step) {
            mine.add(pubs.get(i));
            topics.add("load/c" + i + "/data");
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<?>[][] window = new CompletableFuture<?>[mine.size()][o.window()];
        long[] n = new long[mine.size()];
        long tickNanos = TimeUnit.MILLISECONDS.toNanos(10);
        long next = start;
        while (System.nanoTime() < end) {
            int perTick = rate == 0 ? o.window() : Math.max(1, rate / 100);
            for (int c = 0; c < mine.size(); c++) {
                for (int k = 0; k < perTick; k++) {
                    int slot = (int) (n[c] % o.window());
                    CompletableFuture<?> prev = window[c][slot];
                    if (prev != null && !prev.isDone()) prev.join(); // bounded in the client: wait for the oldest
                    // closed loop: at most `window` messages per client between publish and delivery (lost ones time out after 1 s)
                    long limit = (long) o.window() * pubs.size(), stalled = System.nanoTime();
                    while (SENT.sum() - ARRIVED.sum() >= limit && System.nanoTime() - stalled < 1_000_000_000L) {
                        java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                    }
                    if (System.nanoTime() - stalled >= 1_000_000_000L) { ARRIVED.reset(); SENT.reset(); }

                    byte[] payload = new byte[o.payload()];
                    ByteBuffer.wrap(payload).putLong(0, System.nanoTime());
                    window[c][slot] = mine.get(c).publishWith().topic(topics.get(c)).qos(MqttQos.AT_MOST_ONCE).payload(payload).send();
                    n[c]++;
                    SENT.increment();
                    if (System.nanoTime() >= measureFrom) sent.increment();
                }
            }
            if (rate > 0) {
                next += tickNanos;
                long wait = next - System.nanoTime();
                if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
        }
        for (CompletableFuture<?>[] w : window) for (CompletableFuture<?> f : w) if (f != null) f.exceptionally(e -> null).join();
    }

    /** Latency histogram in microseconds: exact up to 100 ms, one overflow bucket. */
    static final class Histogram {
        private final AtomicLongArray counts = new AtomicLongArray(100_001);

        void record(long micros) { counts.incrementAndGet((int) Math.max(0, Math.min(100_000, micros))); }

        void reset() { for (int i = 0; i < counts.length(); i++) counts.set(i, 0); }

        double percentile(double q) {
            long total = 0;
            for (int i = 0; i < counts.length(); i++) total += counts.get(i);
            if (total == 0) return Double.NaN;
            long want = (long) Math.ceil(q * total), seen = 0;
            for (int i = 0; i < counts.length(); i++) {
                seen += counts.get(i);
                if (seen >= want) return i;
            }
            return 100_000;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static void copy(Path from, Path to) throws IOException {
        try (var s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else Files.copy(p, t);
            }
        }
    }

    static void delete(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is harmless
        }
    }
}
