package dev.warden.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeSecurityGroupsResponse;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.iot.IotClient;
import software.amazon.awssdk.services.iot.model.NotConfiguredException;
import software.amazon.awssdk.services.wafv2.Wafv2Client;
import software.amazon.awssdk.services.wafv2.model.ListWebAcLsResponse;
import software.amazon.awssdk.services.wafv2.model.ResourceType;
import software.amazon.awssdk.services.wafv2.model.WafNonexistentItemException;
import software.amazon.awssdk.services.wafv2.model.WebACLSummary;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Calls the AWS APIs and records their answers (and failures) in snapshot form. */
final class LiveCollector {

    private static final List<ResourceType> REGIONAL_RESOURCE_TYPES = List.of(ResourceType.APPLICATION_LOAD_BALANCER, ResourceType.API_GATEWAY,
            ResourceType.APPSYNC, ResourceType.COGNITO_USER_POOL, ResourceType.APP_RUNNER_SERVICE, ResourceType.VERIFIED_ACCESS_INSTANCE);

    private final AwsCollector.Options opts;
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final Map<String, ObjectNode> data = new ConcurrentHashMap<>();
    /** Three tiers so that no pool ever waits on itself: tasks (region x service) wait on sections, sections on items; items never wait. */
    private final ExecutorService sections;
    private final ExecutorService items;
    private final SdkHttpClient http;
    private final AwsCredentialsProvider creds;

    LiveCollector(AwsCollector.Options opts) {
        this.opts = opts;
        int n = Math.max(1, opts.concurrency());
        this.sections = Executors.newFixedThreadPool(n, daemon("warden-aws-section"));
        this.items = Executors.newFixedThreadPool(n, daemon("warden-aws-call"));
        // HttpURLConnection keeps at most `http.maxConnections` (default 5) idle connections per host; with more calls
        // in flight than that, every call beyond it opened a new connection (a TLS handshake each against AWS)
        if (System.getProperty("http.maxConnections") == null) System.setProperty("http.maxConnections", Integer.toString(Math.max(5, 2 * n)));
        this.http = UrlConnectionHttpClient.builder().connectionTimeout(opts.timeout()).socketTimeout(opts.timeout()).build();
        this.creds = opts.credentials() != null ? opts.credentials()
                : opts.profile() != null ? ProfileCredentialsProvider.create(opts.profile()) : DefaultCredentialsProvider.builder().build();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> { Thread t = new Thread(r, name); t.setDaemon(true); return t; };
    }

    AwsSnapshot collect() {
        Instant at = Instant.now(opts.clock());
        ExecutorService tasks = Executors.newFixedThreadPool(Math.max(1, opts.concurrency()), daemon("warden-aws-task"));
        try {
            List<String> regions = regions();
            List<Future<?>> fs = new ArrayList<>();
            for (String r : regions) {
                ObjectNode region = SdkJson.F.objectNode();
                region.set("iot", SdkJson.F.objectNode());
                region.set("ec2", SdkJson.F.objectNode());
                region.set("wafv2", SdkJson.F.objectNode());
                data.put(r, region);
                fs.add(tasks.submit(() -> guarded(r, "iot", () -> iot(r, region.withObjectProperty("iot")))));
                fs.add(tasks.submit(() -> guarded(r, "ec2", () -> ec2(r, region.withObjectProperty("ec2")))));
                fs.add(tasks.submit(() -> guarded(r, "wafv2", () -> waf(r, region.withObjectProperty("wafv2")))));
            }
            for (Future<?> f : fs) {
                try { f.get(); } catch (Exception e) { throw new IllegalStateException(e); }
            }
            Map<String, ObjectNode> sorted = new TreeMap<>(data);
            List<Fault> fs2 = new ArrayList<>(faults);
            // calls run concurrently: sort so that the same account gives the same snapshot file
            fs2.sort(java.util.Comparator.comparing(Fault::region).thenComparing(Fault::scope).thenComparing(Fault::call)
                    .thenComparing(Fault::section).thenComparing(Fault::message));
            return AwsSnapshot.of(at, regions, sorted, fs2);
        } finally {
            tasks.shutdownNow();
            sections.shutdownNow();
            items.shutdownNow();
            http.close();
        }
    }

    private void guarded(String region, String service, Runnable r) {
        progress("collecting " + service + " in " + region);
        try {
            r.run();
        } catch (RuntimeException e) {
            faults.add(Fault.of(e, region, service, service + ":" + region, "collect"));
        }
    }

    private void progress(String line) {
        PrintStream p = opts.progress();
        if (p != null) synchronized (p) { p.println("warden: " + line); }
    }

    private List<String> regions() {
        if (!opts.allRegions()) return List.copyOf(new java.util.LinkedHashSet<>(opts.regions()));
        String home = opts.regions().isEmpty() ? "us-east-1" : opts.regions().get(0);
        try (Ec2Client ec2 = configure(Ec2Client.builder(), home).build()) {
            return ec2.describeRegions(b -> b.allRegions(false)).regions().stream()
                    .filter(r -> !"not-opted-in".equals(r.optInStatus()))
                    .map(software.amazon.awssdk.services.ec2.model.Region::regionName).sorted().toList();
        } catch (RuntimeException e) {
            faults.add(Fault.of(e, home, "", "ec2:" + home, "DescribeRegions"));
            return opts.regions().isEmpty() ? List.of(home) : List.copyOf(opts.regions());
        }
    }

    private <B extends AwsClientBuilder<B, C> & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C> B configure(B b, String region) {
        b.region(Region.of(region)).credentialsProvider(creds).httpClient(http)
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(opts.retryStrategy().get())
                        .apiCallTimeout(opts.timeout().multipliedBy(4))
                        .apiCallAttemptTimeout(opts.timeout())
                        .build());
        if (opts.endpoint() != null) b.endpointOverride(opts.endpoint());
        return b;
    }

    private <T, R> List<R> parallel(Iterable<T> in, Function<T, R> f) { return parallel(items, in, f); }

    /**
     * Applies {@code f} to every element on the pool, submitting while {@code in} is still being iterated (a lazy
     * paginator: the first pages are being described while later pages are listed); results in input order. If the
     * iteration fails, the submitted work is cancelled and the failure rethrown.
     */
    private static <T, R> List<R> parallel(ExecutorService pool, Iterable<T> in, Function<T, R> f) {
        List<Future<R>> fs = new ArrayList<>();
        try {
            for (T t : in) fs.add(pool.submit(() -> f.apply(t)));
        } catch (RuntimeException e) {
            fs.forEach(x -> x.cancel(true));
            throw e;
        }
        return join(fs);
    }

    private static <R> List<R> join(List<Future<R>> fs) {
        List<R> out = new ArrayList<>(fs.size());
        for (Future<R> x : fs) out.add(join(x));
        return out;
    }

    private static <R> R join(Future<R> x) {
        try {
            return x.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** One per-item call on its own, its fields (or its unknown marker) in a fresh node to merge. */
    private ObjectNode part(String region, String service, String call, String field, java.util.function.Consumer<ObjectNode> fill) {
        ObjectNode x = SdkJson.F.objectNode();
        itemCall(region, service, call, x, field, () -> fill.accept(x));
        return x;
    }

    private static void merge(ObjectNode item, ObjectNode part) {
        part.fields().forEachRemaining(e -> {
            if (e.getKey().equals(AwsSnapshot.UNKNOWN)) item.withObjectProperty(AwsSnapshot.UNKNOWN).setAll((ObjectNode) e.getValue());
            else item.set(e.getKey(), e.getValue());
        });
    }

    /** Runs a call; a failure becomes a fault and {@code null}. */
    private <R> R call(String region, String section, String service, String call, java.util.function.Supplier<R> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            faults.add(Fault.of(e, region, section, service + ":" + region, call));
            return null;
        }
    }

    private static void unknown(ObjectNode item, String field, Fault f) {
        item.withObjectProperty(AwsSnapshot.UNKNOWN).put(field, f.message());
    }

    private void itemCall(String region, String service, String call, ObjectNode item, String field, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            Fault f = Fault.of(e, region, "", service + ":" + region, call);
            faults.add(f);
            unknown(item, field, f);
        }
    }

    // ------------------------------------------------------------------ IoT

    private void iot(String region, ObjectNode out) {
        try (IotClient iot = configure(IotClient.builder(), region).build()) {
            List<Runnable> parts = List.of(
                    () -> policies(iot, region, out),
                    () -> certificates(iot, region, out),
                    () -> caCertificates(iot, region, out),
                    () -> domains(iot, region, out),
                    () -> authorizers(iot, region, out),
                    () -> logging(iot, region, out),
                    () -> audit(iot, region, out));
            parallel(sections, parts, r -> { r.run(); return null; });
        }
    }

    private void policies(IotClient iot, String region, ObjectNode out) {
        // GetPolicy and ListTargetsForPolicy of a policy are independent: both go on the pool as soon as the
        // policy is listed, so a page's policies are fetched while the next page is being listed
        List<ObjectNode> list = call(region, "iot.policies", "iot", "ListPolicies", () -> {
            List<software.amazon.awssdk.services.iot.model.Policy> listed = new ArrayList<>();
            List<Future<ObjectNode>> docs = new ArrayList<>(), targets = new ArrayList<>();
            try {
                for (var p : iot.listPoliciesPaginator(b -> b.pageSize(250)).policies()) {
                    listed.add(p);
                    docs.add(items.submit(() -> part(region, "iot", "GetPolicy", "document",
                            x -> x.setAll(SdkJson.of(iot.getPolicy(b -> b.policyName(p.policyName())))))));
                    targets.add(items.submit(() -> part(region, "iot", "ListTargetsForPolicy", "targets", x -> {
                        ArrayNode t = SdkJson.F.arrayNode();
                        iot.listTargetsForPolicyPaginator(b -> b.policyName(p.policyName()).pageSize(250)).targets().forEach(t::add);
                        x.set("targets", t);
                    })));
                }
            } catch (RuntimeException e) {
                docs.forEach(f -> f.cancel(true));
                targets.forEach(f -> f.cancel(true));
                throw e;
            }
            List<ObjectNode> result = new ArrayList<>(listed.size());
            for (int i = 0; i < listed.size(); i++) {
                ObjectNode item = SdkJson.F.objectNode();
                item.put("policyName", listed.get(i).policyName());
                item.put("policyArn", listed.get(i).policyArn());
                merge(item, join(docs.get(i)));
                merge(item, join(targets.get(i)));
                result.add(item);
            }
            return result;
        });
        if (list == null) return;
        out.set("policies", array(list));
    }

    private void certificates(IotClient iot, String region, ObjectNode out) {
        certificateList(region, "iot.certificates", "ListCertificates", "DescribeCertificate", "certificates",
                () -> iot.listCertificatesPaginator(b -> b.pageSize(250)).certificates(),
                c -> new String[] {c.certificateArn(), c.certificateId(), c.statusAsString()},
                certId -> iot.describeCertificate(b -> b.certificateId(certId)).certificateDescription(), out);
    }

    private void caCertificates(IotClient iot, String region, ObjectNode out) {
        certificateList(region, "iot.caCertificates", "ListCACertificates", "DescribeCACertificate", "caCertificates",
                () -> iot.listCACertificatesPaginator(b -> b.pageSize(250)).certificates(),
                c -> new String[] {c.certificateArn(), c.certificateId(), c.statusAsString()},
                certId -> iot.describeCACertificate(b -> b.certificateId(certId)).certificateDescription(), out);
    }

    /**
     * Device and CA certificates are listed and described alike: list, then describe each (arn, id and status from
     * the listing; the description with its PEM reduced to key algorithm and size).
     */
    private <T> void certificateList(String region, String section, String listOp, String describeOp, String key,
                                     java.util.function.Supplier<Iterable<T>> list, Function<T, String[]> arnIdStatus,
                                     Function<String, software.amazon.awssdk.core.SdkPojo> describe, ObjectNode out) {
        List<ObjectNode> items = call(region, section, "iot", listOp, () -> parallel(list.get(), c -> {
            String[] ais = arnIdStatus.apply(c);
            ObjectNode item = SdkJson.F.objectNode();
            item.put("certificateArn", ais[0]);
            item.put("certificateId", ais[1]);
            item.put("status", ais[2]);
            itemCall(region, "iot", describeOp, item, "certificate", () -> item.setAll(Pem.strip(SdkJson.of(describe.apply(ais[1])))));
            return item;
        }));
        if (items == null) return;
        out.set(key, array(items));
    }

    private void domains(IotClient iot, String region, ObjectNode out) {
        List<software.amazon.awssdk.services.iot.model.DomainConfigurationSummary> list = call(region, "iot.domainConfigurations", "iot", "ListDomainConfigurations",
                () -> iot.listDomainConfigurationsPaginator(b -> b.pageSize(250)).domainConfigurations().stream().toList());
        if (list == null) return;
        List<ObjectNode> items = parallel(list, d -> {
            ObjectNode item = SdkJson.F.objectNode();
            item.put("domainConfigurationName", d.domainConfigurationName());
            item.put("domainConfigurationArn", d.domainConfigurationArn());
            itemCall(region, "iot", "DescribeDomainConfiguration", item, "domain", () ->
                    item.setAll(SdkJson.of(iot.describeDomainConfiguration(b -> b.domainConfigurationName(d.domainConfigurationName())))));
            return item;
        });
        out.set("domainConfigurations", array(items));
    }

    private void authorizers(IotClient iot, String region, ObjectNode out) {
        List<software.amazon.awssdk.services.iot.model.AuthorizerSummary> list = call(region, "iot.authorizers", "iot", "ListAuthorizers",
                () -> iot.listAuthorizersPaginator(b -> b.pageSize(250)).authorizers().stream().toList());
        if (list == null) return;
        List<ObjectNode> items = parallel(list, a -> {
            ObjectNode item = SdkJson.F.objectNode();
            item.put("authorizerName", a.authorizerName());
            item.put("authorizerArn", a.authorizerArn());
            itemCall(region, "iot", "DescribeAuthorizer", item, "authorizer", () ->
                    item.setAll(SdkJson.of(iot.describeAuthorizer(b -> b.authorizerName(a.authorizerName())).authorizerDescription())));
            return item;
        });
        out.set("authorizers", array(items));
    }

    private void logging(IotClient iot, String region, ObjectNode out) {
        try {
            out.set("v2LoggingOptions", SdkJson.of(iot.getV2LoggingOptions(b -> {})));
        } catch (NotConfiguredException e) {
            out.set("v2LoggingOptions", SdkJson.F.objectNode().put(AwsSnapshot.NOT_CONFIGURED, true));
        } catch (RuntimeException e) {
            faults.add(Fault.of(e, region, "iot.v2LoggingOptions", "iot:" + region, "GetV2LoggingOptions"));
        }
    }

    private void audit(IotClient iot, String region, ObjectNode out) {
        ObjectNode a = call(region, "iot.auditConfiguration", "iot", "DescribeAccountAuditConfiguration",
                () -> SdkJson.of(iot.describeAccountAuditConfiguration(b -> {})));
        if (a != null) out.set("auditConfiguration", a);
    }

    // ------------------------------------------------------------------ EC2

    private void ec2(String region, ObjectNode out) {
        try (Ec2Client ec2 = configure(Ec2Client.builder(), region).build()) {
            ArrayNode groups = call(region, "ec2.SecurityGroups", "ec2", "DescribeSecurityGroups", () -> {
                ArrayNode a = SdkJson.F.arrayNode();
                for (DescribeSecurityGroupsResponse page : ec2.describeSecurityGroupsPaginator(b -> b.maxResults(1000))) {
                    page.securityGroups().forEach(g -> a.add(SdkJson.of(g)));
                }
                return a;
            });
            if (groups == null) return;
            out.set("SecurityGroups", groups);
            ArrayNode enis = call(region, "ec2.NetworkInterfaces", "ec2", "DescribeNetworkInterfaces", () -> {
                ArrayNode a = SdkJson.F.arrayNode();
                for (NetworkInterface ni : ec2.describeNetworkInterfacesPaginator(b -> b.maxResults(1000)).networkInterfaces()) {
                    ObjectNode n = SdkJson.F.objectNode();
                    n.put("NetworkInterfaceId", ni.networkInterfaceId());
                    ArrayNode gs = n.putArray("Groups");
                    ni.groups().forEach(g -> gs.addObject().put("GroupId", g.groupId()).put("GroupName", g.groupName()));
                    a.add(n);
                }
                return a;
            });
            if (enis != null) out.set("NetworkInterfaces", enis);
        }
    }

    // ------------------------------------------------------------------ WAFv2

    private void waf(String region, ObjectNode out) {
        try (Wafv2Client waf = configure(Wafv2Client.builder(), region).build()) {
            wafScope(waf, region, "REGIONAL", out);
        }
        if (region.equals("us-east-1")) {
            try (Wafv2Client waf = configure(Wafv2Client.builder(), region).build()) {
                wafScope(waf, region, "CLOUDFRONT", out);
            }
        }
    }

    /** WAFv2 has no paginators: follow NextMarker until an empty page or a marker seen before. */
    static List<WebACLSummary> listWebAcls(Wafv2Client waf, String scope) {
        List<WebACLSummary> all = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String marker = null;
        while (true) {
            final String m = marker;
            ListWebAcLsResponse r = waf.listWebACLs(b -> b.scope(scope).limit(100).nextMarker(m));
            all.addAll(r.webACLs());
            marker = r.nextMarker();
            if (r.webACLs().isEmpty() || marker == null || marker.isEmpty() || !seen.add(marker)) return all;
        }
    }

    private void wafScope(Wafv2Client waf, String region, String scope, ObjectNode out) {
        List<WebACLSummary> list = call(region, "wafv2." + scope, "wafv2", "ListWebACLs", () -> listWebAcls(waf, scope));
        if (list == null) return;
        List<ObjectNode> items = parallel(list, s -> {
            ObjectNode item = SdkJson.F.objectNode();
            ObjectNode acl = item.putObject("WebACL");
            acl.put("Name", s.name()).put("Id", s.id()).put("ARN", s.arn());
            itemCall(region, "wafv2", "GetWebACL", item, "WebACL", () ->
                    item.set("WebACL", SdkJson.of(waf.getWebACL(b -> b.name(s.name()).id(s.id()).scope(scope)).webACL())));
            if (scope.equals("REGIONAL")) {
                itemCall(region, "wafv2", "ListResourcesForWebACL", item, "ResourceArns", () -> {
                    ArrayNode arns = SdkJson.F.arrayNode();
                    for (ResourceType t : REGIONAL_RESOURCE_TYPES) {
                        waf.listResourcesForWebACL(b -> b.webACLArn(s.arn()).resourceType(t)).resourceArns().forEach(arns::add);
                    }
                    item.set("ResourceArns", arns);
                });
            } else {
                item.withObjectProperty(AwsSnapshot.UNKNOWN).put("ResourceArns",
                        AwsSnapshot.CLOUDFRONT_ASSOCIATIONS);
            }
            itemCall(region, "wafv2", "GetLoggingConfiguration", item, "LoggingConfiguration", () -> {
                try {
                    item.set("LoggingConfiguration", SdkJson.of(waf.getLoggingConfiguration(b -> b.resourceArn(s.arn())).loggingConfiguration()));
                } catch (WafNonexistentItemException e) {
                    item.set("LoggingConfiguration", SdkJson.F.nullNode());
                }
            });
            return item;
        });
        out.set(scope, array(items));
    }

    private static ArrayNode array(List<? extends JsonNode> items) {
        ArrayNode a = SdkJson.F.arrayNode();
        items.forEach(a::add);
        return a;
    }
}
