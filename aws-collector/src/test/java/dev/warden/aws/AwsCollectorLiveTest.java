package dev.warden.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.model.Diagnostic;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Live collection against {@link FakeAws}: real SDK clients, real wire protocols, loopback only. */
class AwsCollectorLiveTest {
    static final Clock CLOCK = Clock.fixed(Instant.parse("2027-01-01T00:00:00Z"), ZoneOffset.UTC);
    FakeAws aws;

    @BeforeEach void start() throws IOException { aws = new FakeAws(); }

    @AfterEach void stop() {
        assertEquals(List.of(), new ArrayList<>(aws.unmatched), "requests the fake did not understand");
        aws.close();
    }

    AwsCollector.Options opts(String... regions) {
        return AwsCollector.Options.defaults().withRegions(List.of(regions)).withEndpoint(aws.uri())
                .withCredentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTESTONLY", "test-secret-not-real")))
                .withRetryStrategy(() -> AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .backoffStrategy(BackoffStrategy.retryImmediately()).throttlingBackoffStrategy(BackoffStrategy.retryImmediately())
                        .circuitBreakerEnabled(false).build())
                .withTimeout(Duration.ofSeconds(5)).withClock(CLOCK);
    }

    static Value.Obj root(FactSet f) { return (Value.Obj) f.targets("aws").get(0); }

    static List<Value> items(Value.Obj o, String field) { return ((Value.Items) o.get(field)).items(); }

    static Value.Obj find(Value.Obj root, String list, String id) {
        for (Value v : items(root, list)) if (v instanceof Value.Obj o && o.id().equals(id)) return o;
        throw new AssertionError("no " + id + " in " + list + ": " + items(root, list));
    }

    static String s(Value.Obj o, String f) { return ((Value.Str) o.get(f)).v(); }

    static boolean b(Value.Obj o, String f) { return ((Value.Bool) o.get(f)).v(); }

    static long n(Value.Obj o, String f) { return ((Value.Int) o.get(f)).v(); }

    static List<String> strs(Value.Obj o, String f) { return items(o, f).stream().map(Value::display).toList(); }

    @Test
    void collectsEveryServiceInEveryRegion() {
        FactSet f = AwsCollector.collect(opts("eu-west-1", "us-east-1"));
        assertEquals(List.of(), f.diagnostics());
        Value.Obj a = root(f);
        assertEquals("aws:123456789012", a.id());
        assertEquals("123456789012", s(a, "account_id"));
        assertEquals(List.of("eu-west-1", "us-east-1"), strs(a, "regions"));

        assertEquals(3, items(a, "iot_policies").size());
        Value.Obj wide = find(a, "iot_policies", "arn:aws:iot:eu-west-1:123456789012:policy/wide+open");
        assertEquals("wide+open", s(wide, "name"));
        assertTrue(b(wide, "attached"));
        assertEquals(2, items(wide, "targets").size());
        assertTrue(s(wide, "document").contains("iot:*"));
        Value.Obj unused = find(a, "iot_policies", "arn:aws:iot:eu-west-1:123456789012:policy/unused");
        assertFalse(b(unused, "attached"));
        assertEquals(List.of(), items(unused, "targets"));

        Value.Obj cert = find(a, "iot_certificates", "arn:aws:iot:eu-west-1:123456789012:cert/aaaa1111");
        assertEquals("ACTIVE", s(cert, "status"));
        assertEquals("cccc3333", s(cert, "ca_certificate_id"));
        assertEquals("RSA", s(cert, "key_algorithm"));
        assertEquals(2048, n(cert, "key_size"));
        assertEquals(Duration.between(CLOCK.instant(), Instant.ofEpochSecond(1798595223)), ((Value.Dur) cert.get("expires_in")).v());
        assertEquals(Duration.between(Instant.ofEpochSecond(1764035223), CLOCK.instant()), ((Value.Dur) cert.get("age")).v());
        Value.Obj revoked = find(a, "iot_certificates", "arn:aws:iot:eu-west-1:123456789012:cert/bbbb2222");
        assertInstanceOf(Value.Null.class, revoked.get("ca_certificate_id"));
        assertTrue(((Value.Dur) revoked.get("expires_in")).v().isNegative());

        Value.Obj ca = find(a, "iot_ca_certificates", "arn:aws:iot:eu-west-1:123456789012:cacert/cccc3333");
        assertEquals(1, n(ca, "active_certificates"));
        assertEquals("ACTIVE", s(ca, "status"));

        Value.Obj dom = find(a, "iot_domains", "arn:aws:iot:eu-west-1:123456789012:domainconfiguration/iot:Data-ATS");
        assertEquals("IoTSecurityPolicy_TLS13_1_2_2022_10", s(dom, "tls_security_policy"));
        assertEquals("token-auth", s(dom, "default_authorizer"));
        assertTrue(b(dom, "allow_authorizer_override"));
        assertEquals("AWS_MANAGED", s(dom, "domain_type"));
        assertEquals("ENABLED", s(dom, "status"));
        Value.Obj auth = find(a, "iot_authorizers", "arn:aws:iot:eu-west-1:123456789012:authorizer/token-auth");
        assertTrue(b(auth, "signing_disabled"));

        Value.Obj logEu = find(a, "iot_logging", "iot-logging:eu-west-1");
        assertTrue(b(logEu, "enabled"));
        assertEquals("WARN", s(logEu, "level"));
        Value.Obj logUs = find(a, "iot_logging", "iot-logging:us-east-1");
        assertFalse(b(logUs, "enabled"));
        assertInstanceOf(Value.Null.class, logUs.get("level"));
        Value.Obj audit = find(a, "iot_audit", "iot-audit:eu-west-1");
        assertEquals(List.of("IOT_POLICY_OVERLY_PERMISSIVE_CHECK", "LOGGING_DISABLED_CHECK"), strs(audit, "enabled_checks"));
        assertFalse(b(find(a, "iot_audit", "iot-audit:us-east-1"), "enabled"));

        assertEquals(3, items(a, "security_groups").size());
        Value.Obj sg = find(a, "security_groups", "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0a1");
        assertTrue(b(sg, "in_use"));
        assertEquals("vpc-1", s(sg, "vpc_id"));
        List<String> ingress = items(sg, "ingress").stream().map(v -> ((Value.Obj) v).id()).toList();
        assertEquals(List.of("sg-0a1 ingress tcp 1883 from 0.0.0.0/0", "sg-0a1 ingress tcp 1883 from ::/0", "sg-0a1 ingress tcp 1883 from sg-0b2",
                "sg-0a1 ingress tcp 1883 from pl-123", "sg-0a1 ingress all all from 10.0.0.0/8"), ingress);
        Value.Obj anyone = (Value.Obj) items(sg, "ingress").get(0);
        assertEquals("anyone", s(anyone, "description"));
        assertEquals("0.0.0.0/0", anyone.get("cidr").display());
        assertInstanceOf(Value.Null.class, anyone.get("source_group"));
        Value.Obj all = (Value.Obj) items(sg, "ingress").get(4);
        assertEquals("all", s(all, "protocol"));
        assertEquals(dev.warden.model.types.PortSet.ALL, ((Value.Ports) all.get("ports")).v());
        assertEquals("sg-0b2", s((Value.Obj) items(sg, "ingress").get(2), "source_group"));
        assertEquals("pl-123", s((Value.Obj) items(sg, "ingress").get(3), "prefix_list"));
        assertEquals(1, items(sg, "egress").size());
        Value.Obj spare = find(a, "security_groups", "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0c3");
        assertFalse(b(spare, "in_use"));
        Value.Obj app = find(a, "security_groups", "arn:aws:ec2:eu-west-1:123456789012:security-group/sg-0b2");
        assertEquals(dev.warden.model.types.PortSet.range(8883, 8884), ((Value.Ports) ((Value.Obj) items(app, "ingress").get(0)).get("ports")).v());

        Value.Obj acl = find(a, "web_acls", "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/mqtt-api/11111111-aaaa");
        assertEquals("ALLOW", s(acl, "default_action"));
        assertTrue(b(acl, "associated"));
        assertTrue(b(acl, "logging"));
        List<Value> rules = items(acl, "rules");
        Value.Obj rate = (Value.Obj) rules.get(0);
        assertEquals("rate_based", s(rate, "kind"));
        assertEquals(2000, n(rate, "rate_limit"));
        assertEquals("IP", s(rate, "aggregate_key"));
        assertEquals("BLOCK", s(rate, "action"));
        Value.Obj common = (Value.Obj) rules.get(1);
        assertEquals("managed", s(common, "kind"));
        assertEquals("AWS", s(common, "vendor"));
        assertEquals("AWSManagedRulesCommonRuleSet", s(common, "managed_name"));
        assertTrue(b(common, "overridden_to_count"));
        assertEquals("COUNT", s(common, "action"));
        assertEquals(List.of("SizeRestrictions_BODY", "CrossSiteScripting_BODY"), strs(common, "excluded_rules"));
        Value.Obj idle = find(a, "web_acls", "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/idle/22222222-bbbb");
        assertFalse(b(idle, "associated"));
        assertFalse(b(idle, "logging"));
        assertEquals("BLOCK", s(idle, "default_action"));
        Value.Obj edge = find(a, "web_acls", "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/33333333-cccc");
        assertEquals("CLOUDFRONT", s(edge, "scope"));
        assertInstanceOf(Value.Unknown.class, edge.get("associated"), "CloudFront associations are not collected");
        assertEquals("ip_set", s((Value.Obj) items(edge, "rules").get(0), "kind"));
        // CLOUDFRONT is asked for in us-east-1 only
        assertEquals(0, aws.requests.stream().filter(r -> r.op().equals("ListWebACLs") && r.region().equals("eu-west-1")
                && "CLOUDFRONT".equals(r.params().get("Scope"))).count());
        assertTrue(aws.requests.stream().allMatch(r -> r.region().equals("eu-west-1") || r.region().equals("us-east-1")));
        // paths are percent-encoded on the wire
        assertTrue(aws.requests.stream().anyMatch(r -> r.op().equals("GetPolicy") && r.path().equals("/policies/wide%2Bopen")),
                aws.requests.stream().filter(r -> r.op().equals("GetPolicy")).map(FakeAws.Req::path).toList().toString());
    }

    /** The SDK ignores members it does not know: every member of every fixture must come back out, or the fixture has a typo. */
    @Test
    void everyFixtureMemberArrivesThroughTheSdk() {
        AwsSnapshot snap = AwsCollector.collectSnapshot(opts("eu-west-1", "us-east-1"));
        assertEquals(0, snap.faultCount());
        List<String> missing = new ArrayList<>();
        for (String region : List.of("eu-west-1", "us-east-1")) {
            JsonNode w = aws.world.path(region), got = snap.data().get(region);
            for (String k : List.of("policies", "certificates", "caCertificates", "domainConfigurations", "authorizers")) {
                for (int i = 0; i < w.path("iot").path(k).size(); i++) contains(region + ".iot." + k + "[" + i + "]", w.path("iot").path(k).get(i), got.path("iot").path(k).get(i), missing);
            }
            if (w.path("iot").path("v2LoggingOptions").isObject()) contains(region + ".iot.logging", w.path("iot").path("v2LoggingOptions"), got.path("iot").path("v2LoggingOptions"), missing);
            contains(region + ".iot.audit", w.path("iot").path("auditConfiguration"), got.path("iot").path("auditConfiguration"), missing);
            contains(region + ".ec2.SecurityGroups", w.path("ec2").path("SecurityGroups"), got.path("ec2").path("SecurityGroups"), missing);
            contains(region + ".ec2.NetworkInterfaces", w.path("ec2").path("NetworkInterfaces"), got.path("ec2").path("NetworkInterfaces"), missing);
            for (String scope : List.of("REGIONAL", "CLOUDFRONT")) {
                for (int i = 0; i < w.path("wafv2").path(scope).size(); i++) {
                    contains(region + ".wafv2." + scope + "[" + i + "]", w.path("wafv2").path(scope).get(i).path("WebACL"), got.path("wafv2").path(scope).get(i).path("WebACL"), missing);
                    JsonNode log = w.path("wafv2").path(scope).get(i).path("LoggingConfiguration");
                    if (log.isObject()) contains(region + ".wafv2.logging", log, got.path("wafv2").path(scope).get(i).path("LoggingConfiguration"), missing);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    /** Every member of {@code want} is in {@code got} with the same value (fixture-only helpers such as {@code pem} excepted). */
    static void contains(String at, JsonNode want, JsonNode got, List<String> missing) {
        if (want.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = want.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("pem") || e.getKey().equals("targets")) continue;
                JsonNode g = got == null ? null : got.get(e.getKey());
                if (g == null) { missing.add(at + "." + e.getKey()); continue; }
                contains(at + "." + e.getKey(), e.getValue(), g, missing);
            }
        } else if (want.isArray()) {
            if (got == null || !got.isArray() || got.size() != want.size()) { missing.add(at + " (list size)"); return; }
            for (int i = 0; i < want.size(); i++) contains(at + "[" + i + "]", want.get(i), got.get(i), missing);
        } else if (want.isNumber() && at.contains("validity")) {
            if (!Instant.ofEpochSecond(want.asLong()).toString().equals(got.asText())) missing.add(at + " = " + got);
        } else if (!want.asText().equals(got.asText())) {
            missing.add(at + " = " + got + " (want " + want + ")");
        }
    }

    @Test
    void snapshotsNeverHoldPemsKeysOrCredentials() {
        String json = AwsCollector.collectSnapshot(opts("eu-west-1")).toJson();
        assertFalse(json.contains("BEGIN CERTIFICATE"));
        assertFalse(json.contains("certificatePem"));
        assertFalse(json.contains("PRIVATE KEY"));
        assertFalse(json.contains("AKIDTESTONLY"));
        assertFalse(json.contains("test-secret-not-real"));
        assertTrue(json.contains("\"keyAlgorithm\" : \"RSA\""));
    }

    @Test
    void snapshotRoundTripGivesTheSameFacts(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        aws.fail(r -> r.op().equals("GetPolicy") && r.path().endsWith("/unused"), FakeAws.Kind.ACCESS_DENIED, -1);
        AwsSnapshot snap = AwsCollector.collectSnapshot(opts("eu-west-1", "us-east-1"));
        FactSet live = AwsCollector.facts(snap, CLOCK);
        Path file = dir.resolve("snap.json");
        AwsCollector.writeSnapshot(snap, file);
        String text = Files.readString(file);
        assertTrue(text.startsWith("{\n  \"schema\" : \"warden.aws-snapshot/v1\""), text.substring(0, 60));
        FactSet back = AwsCollector.readSnapshot(file, CLOCK);
        assertEquals(live.diagnostics(), back.diagnostics());
        assertSameFacts(live, back);
        AwsCollector.writeSnapshot(AwsCollector.loadSnapshot(file), dir.resolve("again.json"));
        assertEquals(text, Files.readString(dir.resolve("again.json")));
    }

    @Test
    void unreadableSnapshotsAreDiagnostics(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path bad = dir.resolve("x.json");
        Files.writeString(bad, "{\"schema\": \"warden.aws-snapshot/v9\"}");
        FactSet f = AwsCollector.readSnapshot(bad, CLOCK);
        assertEquals(List.of("aws.bad_input"), f.diagnostics().stream().map(Diagnostic::code).toList());
        assertTrue(f.diagnostics().get(0).message().contains("unsupported snapshot format `warden.aws-snapshot/v9`"));
        Files.writeString(bad, "not json");
        assertEquals(1, AwsCollector.readSnapshot(bad, CLOCK).diagnostics().size());
        assertEquals(1, AwsCollector.readSnapshot(dir.resolve("missing.json"), CLOCK).diagnostics().size());
        assertTrue(AwsCollector.readSnapshot(dir.resolve("missing.json"), CLOCK).targets("aws").isEmpty());
    }

    // ------------------------------------------------------------------ pagination

    @Test
    void everyListIsFollowedAcrossPages() {
        FactSet whole = AwsCollector.collect(opts("eu-west-1", "us-east-1"));
        aws.requests.clear();
        aws.pageSize = 1;
        FactSet paged = AwsCollector.collect(opts("eu-west-1", "us-east-1"));
        assertEquals(List.of(), paged.diagnostics());
        assertSameFacts(whole, paged);
        assertEquals(3, aws.count("ListPolicies", "eu-west-1"));
        assertEquals(2, aws.count("ListCertificates", "eu-west-1"));
        assertEquals(3, aws.count("DescribeSecurityGroups", "eu-west-1"));
        assertEquals(2, aws.count("DescribeNetworkInterfaces", "eu-west-1"));
        assertEquals(2, aws.count("ListWebACLs", "eu-west-1"));
        assertEquals(4, aws.count("ListTargetsForPolicy", "eu-west-1"), "wide+open has two targets: two pages; the others one page each");
    }

    @Test
    void aRepeatedWafMarkerEndsTheListing() {
        aws.repeatWafMarker = true;
        FactSet f = AwsCollector.collect(opts("eu-west-1"));
        assertEquals(List.of(), f.diagnostics());
        assertEquals(2, aws.count("ListWebACLs", "eu-west-1"), "the second answer repeats the first marker");
        assertEquals(2, items(root(f), "web_acls").size(), "the same ACL listed twice is kept as listed");
    }

    // ------------------------------------------------------------------ faults

    static List<String> diag(FactSet f) {
        return f.diagnostics().stream().map(d -> d.code() + " " + d.at().source() + " " + d.at().note()).sorted().toList();
    }

    static long unknowns(Value.Obj a, String list) { return items(a, list).stream().filter(v -> v instanceof Value.Unknown).count(); }

    @Test
    void throttlingThatOutlastsRetriesIsUnknownNotEmpty() {
        aws.fail(r -> r.op().equals("ListPolicies"), FakeAws.Kind.THROTTLE, -1);
        aws.fail(r -> r.op().equals("DescribeNetworkInterfaces"), FakeAws.Kind.THROTTLE, -1);
        aws.fail(r -> r.op().equals("GetWebACL") && "idle".equals(r.params().get("Name")), FakeAws.Kind.THROTTLE, -1);
        FactSet f = AwsCollector.collect(opts("eu-west-1"));
        assertEquals(List.of("aws.throttled ec2:eu-west-1 DescribeNetworkInterfaces", "aws.throttled iot:eu-west-1 ListPolicies",
                "aws.throttled wafv2:eu-west-1 GetWebACL"), diag(f));
        assertEquals(3, aws.count("ListPolicies"), "standard mode: three attempts");
        assertEquals(3, aws.count("DescribeNetworkInterfaces"), "EC2 RequestLimitExceeded is retried too");
        Value.Obj idle = find(root(f), "web_acls", "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/idle/22222222-bbbb");
        assertInstanceOf(Value.Unknown.class, idle.get("rules"));
        assertInstanceOf(Value.Unknown.class, idle.get("default_action"));
        assertFalse(b(idle, "associated"), "what did answer is kept");
        Value.Obj a = root(f);
        assertEquals(1, items(a, "iot_policies").size());
        Value.Unknown u = (Value.Unknown) items(a, "iot_policies").get(0);
        assertTrue(u.reason().contains("ListPolicies"), u.reason());
        assertEquals(0, unknowns(a, "iot_certificates"));
        assertEquals(2, items(a, "iot_certificates").size());
    }

    @Test
    void theProductionRetryStrategyRetriesThrottling() {
        aws.fail(r -> r.op().equals("DescribeSecurityGroups"), FakeAws.Kind.THROTTLE, 2);
        aws.fail(r -> r.op().equals("GetPolicy"), FakeAws.Kind.SERVER_ERROR, 1);
        AwsCollector.Options o = opts("eu-west-1").withRetryMode(AwsCollector.RetryMode.STANDARD);
        FactSet f = AwsCollector.collect(o);
        assertEquals(List.of(), f.diagnostics());
        assertEquals(3, aws.count("DescribeSecurityGroups"), "two throttled attempts, then success");
        assertEquals(4, aws.count("GetPolicy"), "one 503 retried, three policies");
        assertEquals(3, items(root(f), "security_groups").size());
    }

    @Test
    void serverErrorsAfterRetriesAreUnknown() {
        aws.fail(r -> r.op().equals("DescribeSecurityGroups"), FakeAws.Kind.SERVER_ERROR, -1);
        aws.fail(r -> r.op().equals("ListWebACLs"), FakeAws.Kind.SERVER_ERROR, -1);
        FactSet f = AwsCollector.collect(opts("eu-west-1"));
        assertEquals(List.of("aws.service_error ec2:eu-west-1 DescribeSecurityGroups", "aws.service_error wafv2:eu-west-1 ListWebACLs"), diag(f));
        Value.Obj a = root(f);
        assertEquals(1, items(a, "security_groups").size());
        assertEquals(1, unknowns(a, "security_groups"));
        assertEquals(1, unknowns(a, "web_acls"));
        assertEquals(0, aws.count("DescribeNetworkInterfaces"));
    }

    @Test
    void accessDeniedInOneRegionMakesThatRegionUnknownEverywhere() {
        aws.fail(r -> r.region().equals("us-east-1"), FakeAws.Kind.ACCESS_DENIED, -1);
        FactSet f = AwsCollector.collect(opts("eu-west-1", "us-east-1"));
        assertEquals(List.of(
                "aws.access_denied ec2:us-east-1 DescribeSecurityGroups",
                "aws.access_denied iot:us-east-1 DescribeAccountAuditConfiguration",
                "aws.access_denied iot:us-east-1 GetV2LoggingOptions",
                "aws.access_denied iot:us-east-1 ListAuthorizers",
                "aws.access_denied iot:us-east-1 ListCACertificates",
                "aws.access_denied iot:us-east-1 ListCertificates",
                "aws.access_denied iot:us-east-1 ListDomainConfigurations",
                "aws.access_denied iot:us-east-1 ListPolicies",
                "aws.access_denied wafv2:us-east-1 ListWebACLs",
                "aws.access_denied wafv2:us-east-1 ListWebACLs"), diag(f));
        assertTrue(f.diagnostics().stream().allMatch(d -> d.isError() && !d.help().isEmpty()));
        assertTrue(f.diagnostics().stream().filter(d -> d.at().note().equals("ListPolicies")).findFirst().orElseThrow().help().contains("iot:ListPolicies"));
        Value.Obj a = root(f);
        for (String list : List.of("iot_policies", "iot_certificates", "iot_ca_certificates", "iot_domains", "iot_authorizers", "iot_logging",
                "iot_audit", "security_groups")) {
            assertEquals(1, unknowns(a, list), list);
        }
        assertEquals(2, unknowns(a, "web_acls"), "REGIONAL and CLOUDFRONT");
        assertEquals(3, items(a, "iot_policies").size() - 1, "eu-west-1 is complete");
        assertEquals(0, aws.count("ListPolicies", "us-east-1") - 1, "access denied is not retried");
    }

    @Test
    void aFailedCallOnOneResourceMakesOnlyItsFieldsUnknown() {
        aws.fail(r -> r.op().equals("GetPolicy") && r.path().endsWith("/unused"), FakeAws.Kind.ACCESS_DENIED, -1);
        aws.fail(r -> r.op().equals("DescribeNetworkInterfaces"), FakeAws.Kind.ACCESS_DENIED, -1);
        aws.fail(r -> r.op().equals("GetLoggingConfiguration") && r.params().getOrDefault("ResourceArn", "").contains("idle"), FakeAws.Kind.ACCESS_DENIED, -1);
        FactSet f = AwsCollector.collect(opts("eu-west-1"));
        assertEquals(List.of("aws.access_denied ec2:eu-west-1 DescribeNetworkInterfaces", "aws.access_denied iot:eu-west-1 GetPolicy",
                "aws.access_denied wafv2:eu-west-1 GetLoggingConfiguration"), diag(f));
        Value.Obj a = root(f);
        Value.Obj unused = find(a, "iot_policies", "arn:aws:iot:eu-west-1:123456789012:policy/unused");
        for (String field : List.of("document", "statements", "connect_scope", "overly_permissive")) assertInstanceOf(Value.Unknown.class, unused.get(field), field);
        assertFalse(b(unused, "attached"));
        assertInstanceOf(Value.Str.class, find(a, "iot_policies", "arn:aws:iot:eu-west-1:123456789012:policy/wide+open").get("document"));
        for (Value g : items(a, "security_groups")) assertInstanceOf(Value.Unknown.class, ((Value.Obj) g).get("in_use"));
        assertInstanceOf(Value.Unknown.class, find(a, "web_acls", "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/idle/22222222-bbbb").get("logging"));
        assertTrue(b(find(a, "web_acls", "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/mqtt-api/11111111-aaaa"), "logging"));
    }

    @Test
    void slowAnswersTimeOutIntoUnknown() {
        aws.slow(r -> r.op().equals("DescribeAccountAuditConfiguration"), 3000);
        FactSet f = AwsCollector.collect(opts("eu-west-1").withTimeout(Duration.ofMillis(300)));
        assertEquals(List.of("aws.timeout iot:eu-west-1 DescribeAccountAuditConfiguration"), diag(f));
        Value.Obj a = root(f);
        assertEquals(1, unknowns(a, "iot_audit"));
        assertEquals(1, items(a, "iot_logging").size());
        assertEquals(0, unknowns(a, "iot_logging"));
    }

    @Test
    void aDisabledRegionIsReportedAsSuch() {
        aws.fail(r -> r.region().equals("us-east-1"), FakeAws.Kind.REGION_DISABLED, -1);
        FactSet f = AwsCollector.collect(opts("eu-west-1", "us-east-1"));
        assertEquals(10, f.diagnostics().size(), f.diagnostics().toString());
        assertTrue(f.diagnostics().stream().allMatch(d -> d.code().equals("aws.region_disabled") && d.at().source().endsWith(":us-east-1")),
                f.diagnostics().toString());
        assertEquals(1, unknowns(root(f), "iot_logging"));
    }

    @Test
    void oneCallAtATimeStillFinishes() {
        FactSet f = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30),
                () -> AwsCollector.collect(opts("eu-west-1", "us-east-1").withConcurrency(1)));
        assertEquals(List.of(), f.diagnostics());
        assertEquals(3, items(root(f), "iot_policies").size());
    }

    @Test
    void aPolicyDocumentTheAnalyzerCannotReadMakesItsDerivedFieldsUnknown() {
        String snap = """
                {"schema": "warden.aws-snapshot/v1", "collected_at": "2026-01-01T00:00:00Z", "regions": ["eu-west-1"], "faults": [],
                 "data": {"eu-west-1": {"iot": {"policies": [{"policyName": "broken", "policyArn": "arn:aws:iot:eu-west-1:123456789012:policy/broken",
                   "policyDocument": "{ not json", "targets": []}]}, "ec2": {}, "wafv2": {}}}}
                """;
        FactSet f = AwsCollector.facts(AwsSnapshot.fromJson(snap, "test"), CLOCK);
        Value.Obj a = root(f);
        Value.Obj p = find(a, "iot_policies", "arn:aws:iot:eu-west-1:123456789012:policy/broken");
        assertEquals("{ not json", s(p, "document"));
        for (String field : List.of("connect_scope", "publish_topics", "overly_permissive", "cross_device_reach", "spoofable_variables")) {
            assertInstanceOf(Value.Unknown.class, p.get(field), field);
        }
        assertFalse(b(p, "attached"));
        // sections absent from the snapshot are unknown, not empty
        assertEquals(1, unknowns(a, "security_groups"));
        assertEquals(1, unknowns(a, "iot_certificates"));
        assertEquals(1, unknowns(a, "web_acls"));
    }

    @Test
    void allRegionsAsksEc2AndSkipsRegionsNotOptedIn() {
        FactSet f = AwsCollector.collect(opts("eu-west-1").withAllRegions(true));
        assertEquals(List.of(), f.diagnostics());
        assertEquals(List.of("eu-west-1", "us-east-1"), strs(root(f), "regions"));
        assertEquals(1, aws.count("DescribeRegions"));
    }

    @Test
    void noRegionIsADiagnostic() {
        FactSet f = AwsCollector.collect(AwsCollector.Options.defaults());
        assertEquals(List.of("aws.bad_input"), f.diagnostics().stream().map(Diagnostic::code).toList());
        assertTrue(aws.requests.isEmpty());
    }

    @Test
    void collectionIsQuietUnlessAskedForProgress() {
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        AwsCollector.collect(opts("eu-west-1").withProgress(new java.io.PrintStream(buf, true)));
        assertEquals(List.of("warden: collecting ec2 in eu-west-1", "warden: collecting iot in eu-west-1", "warden: collecting wafv2 in eu-west-1"),
                buf.toString().lines().sorted().collect(Collectors.toList()));
    }

    /** Where two fact trees first differ, for readable failures; empty when equal. */
    static String diff(Value a, Value b, String at) {
        if (a.equals(b)) return "";
        if (a instanceof Value.Obj x && b instanceof Value.Obj y) {
            if (!x.id().equals(y.id())) return at + ": id " + x.id() + " vs " + y.id();
            for (String k : x.fields().keySet()) {
                String d = diff(x.get(k), y.get(k), at + "." + k);
                if (!d.isEmpty()) return d;
            }
            return at + ": origin " + x.origin() + " vs " + y.origin();
        }
        if (a instanceof Value.Items x && b instanceof Value.Items y) {
            if (x.items().size() != y.items().size()) return at + ": " + x.items().size() + " vs " + y.items().size() + " items";
            for (int i = 0; i < x.items().size(); i++) {
                String d = diff(x.items().get(i), y.items().get(i), at + "[" + i + "]");
                if (!d.isEmpty()) return d;
            }
            return at + ": origin " + x.origin() + " vs " + y.origin();
        }
        return at + ": " + a + " vs " + b;
    }

    static void assertSameFacts(FactSet want, FactSet got) {
        assertEquals("", diff(root(want), root(got), "aws"));
        assertEquals(want.roots(), got.roots());
    }
}
