package dev.warden.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import dev.warden.aws.AwsCollector;
import dev.warden.aws.AwsSnapshot;
import dev.warden.aws.FakeAws;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.Value;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.ref.Reference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Load harness (not JMH: one collection takes seconds) for LIVE AWS collection: the real SDK v2 clients of
 * {@link AwsCollector} talk to {@link FakeAws} on 127.0.0.1 through the endpoint override, exactly as
 * {@code warden collect aws --endpoint-url} does. The generated world holds {@code policies} IoT policies (unique
 * documents, 0-3 targets each), {@code groups} security groups (IPv4, IPv6, group references, prefix lists) with
 * network interfaces using half of them, and {@code webAcls} regional web ACLs, in one region.
 *
 * <p>Per run: wall time, HTTP requests served, TCP connections opened, bytes allocated (whole JVM, from GC
 * notifications: bytes freed by every GC plus the growth of used heap; the fake server's share from
 * {@code ThreadMXBean#getThreadAllocatedBytes} of its threads), peak used heap after any GC during the collection,
 * heap retained by the snapshot, and the snapshot -> facts step. Peer: Jackson {@code readTree} of every response
 * body served (JSON answers verbatim, EC2's XML pages as the JSON of the same page), one after another on one thread.
 *
 * <p>{@code java -Xms2g -Xmx2g -cp bench/target/benchmarks.jar dev.warden.bench.LiveCollectionHarness [--quick]
 * [--policies N] [--groups N] [--runs N]}
 */
public final class LiveCollectionHarness {
    private LiveCollectionHarness() {}

    public static final String REGION = "eu-west-1";
    private static final String ACCOUNT = "123456789012";
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double MIB = 1024.0 * 1024.0;

    /** Sizes of the generated world. */
    public record Scale(int policies, int groups, int webAcls) {
        public static final Scale FULL = new Scale(10_000, 5_000, 3);
        public static final Scale QUICK = new Scale(1_000, 500, 3);
    }

    // ------------------------------------------------------------------ the world

    private static String policyDocument(int i) {
        String arn = "arn:aws:iot:" + REGION + ":" + ACCOUNT + ":";
        String fleet = "fleet-" + i;
        String thing = "${iot:Connection.Thing.ThingName}";
        ArrayNode st = F.arrayNode();
        switch (i % 6) {
            case 0 -> { // least privilege per thing
                st.addObject().put("Effect", "Allow").put("Action", "iot:Connect").put("Resource", arn + "client/" + thing);
                st.addObject().put("Effect", "Allow").set("Action", F.arrayNode().add("iot:Publish").add("iot:Receive"));
                ((ObjectNode) st.get(1)).put("Resource", arn + "topic/" + fleet + "/" + thing + "/*");
                st.addObject().put("Effect", "Allow").put("Action", "iot:Subscribe").put("Resource", arn + "topicfilter/" + fleet + "/" + thing + "/*");
            }
            case 1 -> { // wide open
                st.addObject().put("Sid", fleet).put("Effect", "Allow").put("Action", "iot:*").put("Resource", "*");
            }
            case 2 -> { // spoofable client id plus an ineffective deny
                st.addObject().put("Effect", "Allow").put("Action", "iot:Connect").put("Resource", arn + "client/*");
                st.addObject().put("Effect", "Allow").put("Action", "iot:Publish").put("Resource", arn + "topic/" + fleet + "/${iot:ClientId}/*");
                st.addObject().put("Effect", "Deny").put("Action", "iot:Publish").put("Resource", arn + "topic/" + fleet + "/admin/#");
            }
            case 3 -> { // shadow access with a condition
                ObjectNode s = st.addObject().put("Effect", "Allow");
                s.set("Action", F.arrayNode().add("iot:GetThingShadow").add("iot:UpdateThingShadow"));
                s.put("Resource", arn + "thing/" + thing);
                s.putObject("Condition").putObject("Bool").put("iot:Connection.Thing.IsAttached", "true");
                st.addObject().put("Effect", "Allow").put("Action", "iot:Connect").put("Resource", arn + "client/" + fleet + "-*");
            }
            case 4 -> { // several topics, list resources
                ObjectNode s = st.addObject().put("Effect", "Allow").put("Action", "iot:Publish");
                ArrayNode r = s.putArray("Resource");
                for (String t : List.of("telemetry", "events", "alerts", "config/ack")) r.add(arn + "topic/" + fleet + "/" + t);
                st.addObject().put("Effect", "Allow").put("Action", "iot:Subscribe").put("Resource", arn + "topicfilter/" + fleet + "/config/#");
                st.addObject().put("Effect", "Allow").put("Action", "iot:Receive").put("Resource", arn + "topic/" + fleet + "/config/*");
            }
            default -> { // deny of a broad pattern, wildcard actions
                st.addObject().put("Effect", "Allow").put("Action", "iot:*").put("Resource", arn + "topic/" + fleet + "/*");
                st.addObject().put("Effect", "Deny").set("NotAction", F.arrayNode().add("iot:Publish"));
                ((ObjectNode) st.get(1)).put("Resource", arn + "topic/" + fleet + "/private/*");
            }
        }
        ObjectNode doc = F.objectNode().put("Version", "2012-10-17");
        doc.set("Statement", st);
        return doc.toString();
    }

    private static String sgId(int i) { return String.format(Locale.ROOT, "sg-%017x", 0x1000L + i); }

    private static ObjectNode perm(String proto, Integer from, Integer to) {
        ObjectNode p = F.objectNode().put("IpProtocol", proto);
        if (from != null) p.put("FromPort", from).put("ToPort", to);
        p.putArray("IpRanges");
        p.putArray("Ipv6Ranges");
        p.putArray("UserIdGroupPairs");
        p.putArray("PrefixListIds");
        return p;
    }

    /** The world served by {@link FakeAws} (layout of {@code fake-aws/world.json}), one region. */
    public static ObjectNode world(Scale s) {
        ObjectNode region = F.objectNode();
        String arn = "arn:aws:iot:" + REGION + ":" + ACCOUNT + ":";

        ObjectNode iot = region.putObject("iot");
        ArrayNode policies = iot.putArray("policies");
        ObjectNode targets = iot.putObject("targets");
        ArrayNode certs = iot.putArray("certificates");
        int nCerts = 10;
        for (int c = 0; c < nCerts; c++) {
            String id = String.format(Locale.ROOT, "%064x", 0xc0ffeeL + c);
            ObjectNode cert = certs.addObject().put("certificateArn", arn + "cert/" + id).put("certificateId", id)
                    .put("status", c % 5 == 4 ? "REVOKED" : "ACTIVE").put("ownedBy", ACCOUNT).put("certificateMode", "DEFAULT")
                    .put("caCertificateId", "ca0001").put("pem", "device-rsa.pem");
            cert.putObject("validity").put("notBefore", 1764035223L).put("notAfter", 1798595223L);
        }
        ObjectNode ca = iot.putArray("caCertificates").addObject().put("certificateArn", arn + "cacert/ca0001").put("certificateId", "ca0001")
                .put("status", "ACTIVE").put("autoRegistrationStatus", "DISABLE").put("ownedBy", ACCOUNT).put("pem", "ca-ec.pem");
        ca.putObject("validity").put("notBefore", 1764035223L).put("notAfter", 2079395223L);
        for (int i = 0; i < s.policies(); i++) {
            String name = "fleet-" + i + "-policy";
            policies.addObject().put("policyName", name).put("policyArn", arn + "policy/" + name)
                    .put("defaultVersionId", String.valueOf(1 + i % 4)).put("policyDocument", policyDocument(i));
            ArrayNode t = targets.putArray(name);
            for (int k = 0; k < i % 4; k++) {
                t.add(k == 2 ? arn + "thinggroup/fleet-" + i : certs.get((i + k) % nCerts).path("certificateArn").asText());
            }
        }
        ObjectNode dom = iot.putArray("domainConfigurations").addObject().put("domainConfigurationName", "iot:Data-ATS")
                .put("domainConfigurationArn", arn + "domainconfiguration/iot:Data-ATS").put("domainName", "abc-ats.iot." + REGION + ".amazonaws.com")
                .put("domainConfigurationStatus", "ENABLED").put("serviceType", "DATA").put("domainType", "AWS_MANAGED");
        dom.putObject("tlsConfig").put("securityPolicy", "IoTSecurityPolicy_TLS13_1_2_2022_10");
        iot.putArray("authorizers");
        iot.putObject("v2LoggingOptions").put("roleArn", "arn:aws:iam::" + ACCOUNT + ":role/iot-logging").put("defaultLogLevel", "WARN").put("disableAllLogs", false);
        iot.putObject("auditConfiguration").putObject("auditCheckConfigurations").putObject("LOGGING_DISABLED_CHECK").put("enabled", true);

        ObjectNode ec2 = region.putObject("ec2");
        ArrayNode groups = ec2.putArray("SecurityGroups");
        for (int i = 0; i < s.groups(); i++) {
            String id = sgId(i);
            ObjectNode g = groups.addObject().put("GroupId", id).put("GroupName", "g" + i).put("Description", "group " + i)
                    .put("OwnerId", ACCOUNT).put("VpcId", "vpc-" + (i % 20)).put("SecurityGroupArn", "arn:aws:ec2:" + REGION + ":" + ACCOUNT + ":security-group/" + id);
            ArrayNode in = g.putArray("IpPermissions");
            ObjectNode mqtt = perm("tcp", 8883, 8883);
            ((ArrayNode) mqtt.get("IpRanges")).addObject().put("CidrIp", i % 7 == 0 ? "0.0.0.0/0" : "10." + (i % 250) + ".0.0/16").put("Description", "devices");
            ((ArrayNode) mqtt.get("Ipv6Ranges")).addObject().put("CidrIpv6", i % 9 == 0 ? "::/0" : "2001:db8:" + Integer.toHexString(i % 65536) + "::/48");
            in.add(mqtt);
            ObjectNode ssh = perm("tcp", 22, 22);
            ((ArrayNode) ssh.get("IpRanges")).addObject().put("CidrIp", "10.0.0.0/8");
            if (i % 3 == 0) ((ArrayNode) ssh.get("PrefixListIds")).addObject().put("PrefixListId", "pl-0" + (i % 10)).put("Description", "corp");
            in.add(ssh);
            if (i > 0) {
                ObjectNode app = perm("tcp", 1883, 1884);
                ((ArrayNode) app.get("UserIdGroupPairs")).addObject().put("GroupId", sgId(i - 1)).put("UserId", ACCOUNT).put("Description", "from previous tier");
                in.add(app);
            }
            if (i % 11 == 0) {
                ObjectNode all = perm("-1", null, null);
                ((ArrayNode) all.get("IpRanges")).addObject().put("CidrIp", "192.168.0.0/16");
                in.add(all);
            }
            ObjectNode egress = perm("-1", null, null);
            ((ArrayNode) egress.get("IpRanges")).addObject().put("CidrIp", "0.0.0.0/0");
            ((ArrayNode) egress.get("Ipv6Ranges")).addObject().put("CidrIpv6", "::/0");
            g.putArray("IpPermissionsEgress").add(egress);
        }
        ArrayNode enis = ec2.putArray("NetworkInterfaces");
        for (int i = 0; i < s.groups() / 2; i++) {
            ObjectNode n = enis.addObject().put("NetworkInterfaceId", String.format(Locale.ROOT, "eni-%017x", i));
            n.putArray("Groups").addObject().put("GroupId", sgId(2 * i)).put("GroupName", "g" + (2 * i));
        }

        ArrayNode regional = region.putObject("wafv2").putArray("REGIONAL");
        for (int i = 0; i < s.webAcls(); i++) {
            String name = "acl-" + i, id = String.format(Locale.ROOT, "%08d-aaaa", i);
            String aclArn = "arn:aws:wafv2:" + REGION + ":" + ACCOUNT + ":regional/webacl/" + name + "/" + id;
            ObjectNode w = regional.addObject();
            ObjectNode acl = w.putObject("WebACL").put("Name", name).put("Id", id).put("ARN", aclArn).put("Capacity", 700).put("ManagedByFirewallManager", false);
            acl.putObject("DefaultAction").putObject(i % 2 == 0 ? "Allow" : "Block");
            acl.putObject("VisibilityConfig").put("SampledRequestsEnabled", true).put("CloudWatchMetricsEnabled", true).put("MetricName", name);
            ArrayNode rules = acl.putArray("Rules");
            ObjectNode common = rules.addObject().put("Name", "common").put("Priority", 1);
            common.putObject("OverrideAction").putObject("None");
            common.putObject("Statement").putObject("ManagedRuleGroupStatement").put("VendorName", "AWS").put("Name", "AWSManagedRulesCommonRuleSet");
            common.putObject("VisibilityConfig").put("SampledRequestsEnabled", true).put("CloudWatchMetricsEnabled", true).put("MetricName", "common");
            ObjectNode rate = rules.addObject().put("Name", "rate").put("Priority", 0);
            rate.putObject("Action").putObject("Block");
            rate.putObject("Statement").putObject("RateBasedStatement").put("Limit", 2000).put("AggregateKeyType", "IP");
            rate.putObject("VisibilityConfig").put("SampledRequestsEnabled", true).put("CloudWatchMetricsEnabled", true).put("MetricName", "rate");
            w.putObject("ResourceArns").putArray("APPLICATION_LOAD_BALANCER").add("arn:aws:elasticloadbalancing:" + REGION + ":" + ACCOUNT + ":loadbalancer/app/" + name + "/1");
            if (i % 3 != 2) {
                ObjectNode log = w.putObject("LoggingConfiguration").put("ResourceArn", aclArn);
                log.putArray("LogDestinationConfigs").add("arn:aws:logs:" + REGION + ":" + ACCOUNT + ":log-group:aws-waf-logs-" + name);
            } else {
                w.putNull("LoggingConfiguration");
            }
        }
        ObjectNode world = F.objectNode();
        world.set(REGION, region);
        return world;
    }

    // ------------------------------------------------------------------ collection

    /** What {@code warden collect aws --region eu-west-1 --endpoint-url <fake>} builds, with test credentials and no retry sleeps. */
    public static AwsCollector.Options options(FakeAws aws) {
        return AwsCollector.Options.defaults().withRegions(List.of(REGION)).withEndpoint(aws.uri())
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDBENCHONLY", "bench-secret-not-real")))
                .withRetryStrategy(() -> AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .backoffStrategy(BackoffStrategy.retryImmediately()).throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
                        .circuitBreakerEnabled(false).build())
                .withClock(CLOCK);
    }

    /** Facts for a snapshot, measured from the harness's fixed clock. */
    public static FactSet facts(AwsSnapshot s) { return AwsCollector.facts(s, CLOCK); }

    /** Number of items in a list of the {@code aws} root ({@code iot_policies}, {@code security_groups}, ...). */
    public static int count(FactSet f, String list) {
        Value.Obj root = (Value.Obj) f.targets("aws").get(0);
        return ((Value.Items) root.get(list)).items().size();
    }

    /** Checks one collection: no fault, nothing the fake did not understand, every item present. */
    static void check(FakeAws aws, AwsSnapshot snap, FactSet f, Scale s) {
        List<String> problems = new ArrayList<>();
        if (snap.faultCount() != 0) problems.add(snap.faultCount() + " faults: " + f.diagnostics());
        if (!aws.unmatched.isEmpty()) problems.add("unmatched requests: " + aws.unmatched);
        if (count(f, "iot_policies") != s.policies()) problems.add("iot_policies " + count(f, "iot_policies") + " != " + s.policies());
        if (count(f, "security_groups") != s.groups()) problems.add("security_groups " + count(f, "security_groups") + " != " + s.groups());
        if (count(f, "web_acls") != s.webAcls()) problems.add("web_acls " + count(f, "web_acls") + " != " + s.webAcls());
        if (!problems.isEmpty()) throw new IllegalStateException("live collection is wrong: " + problems);
    }

    // ------------------------------------------------------------------ memory accounting

    /** Sums what every GC freed (heap pools only) and the highest heap use right after a GC, from GC notifications. */
    static final class GcMeter {
        private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
        final AtomicLong freed = new AtomicLong();
        final AtomicLong peakAfterGc = new AtomicLong();
        final AtomicLong seen = new AtomicLong();
        private final long base;

        GcMeter() {
            base = collections();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener((n, hb) -> {
                    if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
                    long before = heap(info.getMemoryUsageBeforeGc()), after = heap(info.getMemoryUsageAfterGc());
                    freed.addAndGet(before - after);
                    peakAfterGc.accumulateAndGet(after, Math::max);
                    seen.incrementAndGet();
                }, null, null);
            }
        }

        private long heap(Map<String, MemoryUsage> m) {
            long s = 0;
            for (Map.Entry<String, MemoryUsage> e : m.entrySet()) if (heapPools.contains(e.getKey())) s += e.getValue().getUsed();
            return s;
        }

        static long collections() {
            long n = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) n += Math.max(0, gc.getCollectionCount());
            return n;
        }

        /** Waits until every GC so far has been reported (notifications arrive asynchronously, on another thread). */
        void settle() {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (seen.get() < collections() - base && System.nanoTime() < deadline) Thread.onSpinWait();
        }

        /** Settles, then starts counting from zero. */
        void reset() { settle(); freed.set(0); peakAfterGc.set(-1); }
    }

    private static final com.sun.management.ThreadMXBean THREADS = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static long usedHeap() { return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(); }

    private static long quietUsedHeap() {
        System.gc();
        System.gc();
        return usedHeap();
    }

    /** Bytes allocated so far by the fake server's threads, per thread id. */
    private static Map<Long, Long> serverThreads() {
        Map<Long, Long> m = new HashMap<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("fake-aws") || t.getName().startsWith("HTTP-Dispatcher")) m.put(t.getId(), THREADS.getThreadAllocatedBytes(t.getId()));
        }
        return m;
    }

    private static long delta(Map<Long, Long> before, Map<Long, Long> after) {
        long s = 0;
        for (Map.Entry<Long, Long> e : after.entrySet()) if (e.getValue() >= 0) s += e.getValue() - before.getOrDefault(e.getKey(), 0L);
        return s;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    // ------------------------------------------------------------------ runs

    /** One measured collection. */
    public record Run(long wallNanos, long cpuNanos, long requests, Map<String, Long> byOp, long connections, long bytesServed, long serverHandlerNanos,
                      long allocatedTotal, long allocatedServer, long peakAfterGc, long retainedSnapshot, long factsNanos, long factsAllocated,
                      int policies, int groups, int webAcls) {
        long allocatedClient() { return allocatedTotal - allocatedServer; }
    }

    /** Peer: readTree of every body served. */
    public record Peer(long nanos, long allocated, int documents, long chars) {}

    /** Collects once against {@code aws}, measuring; checks the result. */
    static Run collectOnce(FakeAws aws, Scale s, GcMeter gc) {
        aws.reset();
        long baseline = quietUsedHeap();
        gc.reset();
        Map<Long, Long> srv0 = serverThreads();
        long used0 = usedHeap();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        AwsSnapshot snap = AwsCollector.collectSnapshot(options(aws));
        long wall = System.nanoTime() - t0;
        long cpu = processCpuNanos() - cpu0;
        long used1 = usedHeap();
        Map<Long, Long> srv1 = serverThreads();
        gc.settle();
        long allocated = gc.freed.get() + used1 - used0;
        long peak = gc.peakAfterGc.get();
        long requests = aws.requests.size();
        Map<String, Long> byOp = new TreeMap<>(aws.requests.stream().collect(Collectors.groupingBy(FakeAws.Req::op, Collectors.counting())));
        long connections = aws.connections.size(), bytes = aws.bytesServed.get(), handler = aws.handlerNanos.get();
        aws.requests.clear();
        long retained = quietUsedHeap() - baseline;

        gc.reset();
        long fused0 = usedHeap();
        long f0 = System.nanoTime();
        FactSet facts = facts(snap);
        long factsNanos = System.nanoTime() - f0;
        long fused1 = usedHeap();
        gc.settle();
        long factsAllocated = gc.freed.get() + fused1 - fused0;
        check(aws, snap, facts, s);
        Reference.reachabilityFence(snap);
        return new Run(wall, cpu, requests, byOp, connections, bytes, handler, allocated, delta(srv0, srv1), peak, retained, factsNanos, factsAllocated,
                count(facts, "iot_policies"), count(facts, "security_groups"), count(facts, "web_acls"));
    }

    static Peer peer(List<String> bodies) throws IOException {
        long chars = 0;
        for (String b : bodies) chars += b.length();
        long a0 = THREADS.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        long nodes = 0;
        for (String b : bodies) nodes += JSON.readTree(b).size();
        long nanos = System.nanoTime() - t0;
        long alloc = THREADS.getCurrentThreadAllocatedBytes() - a0;
        if (nodes < 0) throw new AssertionError();
        return new Peer(nanos, alloc, bodies.size(), chars);
    }

    /** Everything measured: runs after warm-ups, and the peer runs. */
    public record Report(Scale scale, List<Run> runs, List<Peer> peers) {}

    /** Starts the fake, collects {@code warmups} times (the first one records the bodies for the peer), then {@code runs} times. */
    public static Report measure(Scale s, int warmups, int runs) throws IOException {
        GcMeter gc = new GcMeter();
        ObjectNode world = world(s);
        List<Run> out = new ArrayList<>();
        List<Peer> peers = new ArrayList<>();
        try (FakeAws aws = new FakeAws(world)) {
            ConcurrentLinkedQueue<String> bodies = new ConcurrentLinkedQueue<>();
            aws.jsonBodies = bodies;
            AwsSnapshot first = AwsCollector.collectSnapshot(options(aws));
            aws.jsonBodies = null;
            check(aws, first, facts(first), s);
            List<String> served = List.copyOf(bodies);
            bodies.clear();
            first = null;
            for (int i = 1; i < warmups; i++) collectOnce(aws, s, gc);
            for (int i = 0; i < runs; i++) {
                Run r = collectOnce(aws, s, gc);
                out.add(r);
                System.out.printf(Locale.ROOT, "run %d: %.0f ms, %d requests, %d connections, %.0f MiB allocated (client %.0f), peak after GC %s, facts %.0f ms%n",
                        i + 1, r.wallNanos() / 1e6, r.requests(), r.connections(), r.allocatedTotal() / MIB, r.allocatedClient() / MIB,
                        r.peakAfterGc() < 0 ? "n/a (no GC)" : String.format(Locale.ROOT, "%.0f MiB", r.peakAfterGc() / MIB),
                        r.factsNanos() / 1e6);
            }
            peer(served); // warm-up
            for (int i = 0; i < Math.max(3, runs); i++) peers.add(peer(served));
        }
        return new Report(s, out, peers);
    }

    // ------------------------------------------------------------------ printing

    private static double[] stats(List<? extends Number> xs) {
        double[] v = xs.stream().mapToDouble(Number::doubleValue).sorted().toArray();
        double med = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new double[] {med, v[0], v[v.length - 1]};
    }

    private static <T> void row(String name, List<T> xs, java.util.function.ToDoubleFunction<T> f, String unit) {
        double[] s = stats(xs.stream().map(x -> f.applyAsDouble(x)).toList());
        System.out.printf(Locale.ROOT, "%-40s %12.1f %12.1f %12.1f  %s%n", name, s[0], s[1], s[2], unit);
    }

    public static void print(Report r) {
        List<Run> runs = r.runs();
        List<Peer> peers = r.peers();
        Run any = runs.get(0);
        System.out.println();
        System.out.printf(Locale.ROOT, "== Live AWS collection through the loopback fake (%d IoT policies, %d security groups, %d web ACLs; one region; "
                + "%d measured runs; median [min..max]) ==%n", r.scale().policies(), r.scale().groups(), r.scale().webAcls(), runs.size());
        System.out.printf(Locale.ROOT, "%-40s %12s %12s %12s%n", "metric", "median", "min", "max");
        row("collect wall time", runs, x -> x.wallNanos() / 1e6, "ms");
        row("process CPU time during collect", runs, x -> x.cpuNanos() / 1e6, "ms (client + fake server, 2 cores)");
        row("fake server handler time (summed)", runs, x -> x.serverHandlerNanos() / 1e6, "ms");
        row("HTTP requests served", runs, Run::requests, "");
        row("requests per second", runs, x -> x.requests() / (x.wallNanos() / 1e9), "req/s");
        row("TCP connections opened", runs, Run::connections, "");
        row("response bytes served", runs, x -> x.bytesServed() / MIB, "MiB");
        row("allocated, whole JVM (GC accounting)", runs, x -> x.allocatedTotal() / MIB, "MiB");
        row("  of which fake server threads", runs, x -> x.allocatedServer() / MIB, "MiB");
        row("  collector side (whole - server)", runs, x -> x.allocatedClient() / MIB, "MiB");
        List<Run> withGc = runs.stream().filter(x -> x.peakAfterGc() >= 0).toList();
        if (withGc.isEmpty()) System.out.printf(Locale.ROOT, "%-40s %12s%n", "peak used heap after a GC, in collect", "no GC ran");
        else row("peak used heap after a GC, in collect", withGc, x -> x.peakAfterGc() / MIB,
                "MiB (incl. the fake's world; " + withGc.size() + " of " + runs.size() + " runs had a GC)");
        row("heap retained by the snapshot", runs, x -> x.retainedSnapshot() / MIB, "MiB");
        row("snapshot -> facts (AwsCollector.facts)", runs, x -> x.factsNanos() / 1e6, "ms");
        row("snapshot -> facts allocated", runs, x -> x.factsAllocated() / MIB, "MiB");
        row("peer: readTree of every body served", peers, x -> x.nanos() / 1e6, "ms (" + peers.get(0).documents() + " documents, "
                + String.format(Locale.ROOT, "%.1f", peers.get(0).chars() / MIB) + " MiB chars)");
        row("peer allocated", peers, x -> x.allocated() / MIB, "MiB");
        System.out.println("requests by operation: " + any.byOp());
        double peerMs = stats(peers.stream().map(Peer::nanos).toList())[0] / 1e6;
        double peerMiB = stats(peers.stream().map(Peer::allocated).toList())[0] / MIB;
        double[] wall = stats(runs.stream().map(x -> x.wallNanos() / 1e6).toList());
        double[] client = stats(runs.stream().map(x -> x.allocatedClient() / MIB).toList());
        double[] facts = stats(runs.stream().map(x -> x.factsNanos() / 1e6).toList());
        System.out.printf(Locale.ROOT, "ratio collect / peer readTree = %.1fx time (min %.1fx, max %.1fx), %.1fx allocation (collector side)%n",
                wall[0] / peerMs, wall[1] / peerMs, wall[2] / peerMs, client[0] / peerMiB);
        System.out.printf(Locale.ROOT, "ratio snapshot->facts / peer readTree = %.1fx time%n", facts[0] / peerMs);
    }

    public static void main(String[] args) throws IOException {
        Scale s = Scale.FULL;
        int runs = 3;
        List<String> a = Arrays.asList(args);
        for (int i = 0; i < a.size(); i++) {
            switch (a.get(i)) {
                case "--quick" -> s = Scale.QUICK;
                case "--policies" -> s = new Scale(Integer.parseInt(a.get(++i)), s.groups(), s.webAcls());
                case "--groups" -> s = new Scale(s.policies(), Integer.parseInt(a.get(++i)), s.webAcls());
                case "--runs" -> runs = Math.max(1, Integer.parseInt(a.get(++i)));
                default -> throw new IllegalArgumentException("usage: LiveCollectionHarness [--quick] [--policies N] [--groups N] [--runs N]; got " + a.get(i));
            }
        }
        System.out.printf(Locale.ROOT, "live collection: %d policies, %d groups, %d web ACLs; 1 warm-up + %d runs; max heap %d MiB; %d CPUs%n",
                s.policies(), s.groups(), s.webAcls(), runs, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
        print(measure(s, 1, runs));
    }
}
