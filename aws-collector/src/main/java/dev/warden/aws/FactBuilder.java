package dev.warden.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.aws.iot.IotPolicyAnalysis;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.ObjBuilder;
import dev.warden.model.fact.Value;
import dev.warden.model.schema.Schema;
import dev.warden.model.schema.WardenSchema;
import dev.warden.model.types.Cidr;
import dev.warden.model.types.PortSet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns a raw {@link AwsSnapshot} into {@code aws} facts, relative to the scan clock. */
final class FactBuilder {
    private static final Schema S = WardenSchema.SCHEMA;
    private static final Pattern ACCOUNT = Pattern.compile("^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\\d{12}):");

    private final AwsSnapshot snap;
    private final Instant now;
    /** Analysis is a pure function of the document text; identical documents (copies of one template) are analysed once. */
    private final java.util.Map<String, IotPolicyAnalysis> analyses = new java.util.HashMap<>();
    private String account;

    private FactBuilder(AwsSnapshot snap, Clock clock) {
        this.snap = snap;
        this.now = Instant.now(clock);
    }

    static FactSet build(AwsSnapshot snap, Clock clock) { return new FactBuilder(snap, clock).build(); }

    private FactSet build() {
        List<Value> policies = new ArrayList<>(), certs = new ArrayList<>(), cas = new ArrayList<>(), domains = new ArrayList<>(),
                authorizers = new ArrayList<>(), logging = new ArrayList<>(), audit = new ArrayList<>(), groups = new ArrayList<>(), acls = new ArrayList<>();
        for (String region : snap.regions()) {
            ObjectNode r = snap.data().get(region);
            JsonNode iot = r.path("iot"), ec2 = r.path("ec2"), waf = r.path("wafv2");
            each(region, iot, "policies", "iot.policies", policies, p -> policy(region, p));
            each(region, iot, "certificates", "iot.certificates", certs, c -> certificate(region, c));
            each(region, iot, "caCertificates", "iot.caCertificates", cas, c -> caCertificate(region, c, iot));
            each(region, iot, "domainConfigurations", "iot.domainConfigurations", domains, d -> domain(region, d));
            each(region, iot, "authorizers", "iot.authorizers", authorizers, a -> authorizer(region, a));
            single(region, iot, "v2LoggingOptions", "iot.v2LoggingOptions", logging, l -> logging(region, l));
            single(region, iot, "auditConfiguration", "iot.auditConfiguration", audit, a -> audit(region, a));
            each(region, ec2, "SecurityGroups", "ec2.SecurityGroups", groups, g -> securityGroup(region, g, ec2));
            each(region, waf, "REGIONAL", "wafv2.REGIONAL", acls, a -> webAcl(region, "REGIONAL", a));
            if (region.equals("us-east-1")) each(region, waf, "CLOUDFRONT", "wafv2.CLOUDFRONT", acls, a -> webAcl(region, "CLOUDFRONT", a));
        }
        Origin o = Origin.api("aws", "collect");
        String id = "aws:" + (account == null ? "unknown-account" : account);
        ObjBuilder b = new ObjBuilder(S, "Aws", id, o)
                .set("id", new Value.Str(id, o))
                .set("account_id", account == null ? new Value.Unknown("no resource ARN named the account", o) : new Value.Str(account, o))
                .set("regions", new Value.Items(snap.regions().stream().map(x -> (Value) new Value.Str(x, o)).toList(), o))
                .set("iot_policies", new Value.Items(policies, o))
                .set("iot_certificates", new Value.Items(certs, o))
                .set("iot_ca_certificates", new Value.Items(cas, o))
                .set("iot_domains", new Value.Items(domains, o))
                .set("iot_authorizers", new Value.Items(authorizers, o))
                .set("iot_logging", new Value.Items(logging, o))
                .set("iot_audit", new Value.Items(audit, o))
                .set("security_groups", new Value.Items(groups, o))
                .set("web_acls", new Value.Items(acls, o));
        List<Diagnostic> diags = new ArrayList<>();
        for (Fault f : snap.faults()) diags.add(Diagnostic.error(f.code(), Origin.api(f.scope(), f.call()), f.message(), f.help()));
        return new FactSet(Map.of(AwsCollector.ROOT, List.of(b.build())), diags);
    }

    // ------------------------------------------------------------------ sections

    /** Why a section is missing: the faults that removed it, or "not collected". */
    private Value.Unknown missing(String region, String section) {
        List<String> why = new ArrayList<>();
        Origin at = Origin.api(section.substring(0, section.indexOf('.')) + ":" + region, "collect");
        for (Fault f : snap.faults()) {
            if (f.region().equals(region) && !f.section().isEmpty() && (section.equals(f.section()) || section.startsWith(f.section() + "."))) {
                why.add(f.message());
                at = Origin.api(f.scope(), f.call());
            }
        }
        return new Value.Unknown(why.isEmpty() ? "`" + section + "` was not collected in " + region : String.join("; ", why), at);
    }

    private void each(String region, JsonNode service, String key, String section, List<Value> out, Function<JsonNode, Value> f) {
        JsonNode a = service.path(key);
        if (!a.isArray()) { out.add(missing(region, section)); return; }
        for (JsonNode n : a) out.add(f.apply(n));
    }

    private void single(String region, JsonNode service, String key, String section, List<Value> out, Function<JsonNode, Value> f) {
        JsonNode n = service.path(key);
        if (!n.isObject()) { out.add(missing(region, section)); return; }
        out.add(f.apply(n));
    }

    private void noteAccount(String arn) {
        if (account != null || arn == null) return;
        Matcher m = ACCOUNT.matcher(arn);
        if (m.find()) account = m.group(1);
    }

    /** The reason recorded for an item's member, or a generic one. */
    private static Value.Unknown unknown(JsonNode item, String field, String what, Origin o) {
        JsonNode u = item.path(AwsSnapshot.UNKNOWN);
        String reason = u.path(field).asText("");
        if (reason.isEmpty()) {
            Iterator<String> names = u.fieldNames();
            reason = names.hasNext() ? u.path(names.next()).asText() : "`" + what + "` was not collected";
        }
        return new Value.Unknown(reason, o);
    }

    private static boolean failed(JsonNode item, String field) { return item.path(AwsSnapshot.UNKNOWN).has(field); }

    private static Value str(JsonNode n, Origin o) { return n.isMissingNode() || n.isNull() ? new Value.Null(o) : new Value.Str(n.asText(), o); }

    /** A member the schema requires: missing from the answer is unknown, never "not set". */
    private static Value req(JsonNode n, String member, Origin o) {
        return n.isValueNode() && !n.isNull() ? new Value.Str(n.asText(), o) : new Value.Unknown("`" + member + "` was missing from the answer", o);
    }

    private static Value strings(JsonNode a, Origin o) {
        List<Value> l = new ArrayList<>();
        a.forEach(x -> l.add(new Value.Str(x.asText(), o)));
        return new Value.Items(l, o);
    }

    static Instant instant(JsonNode n) {
        if (n == null || n.isMissingNode() || n.isNull()) return null;
        if (n.isNumber()) return Instant.ofEpochMilli(Math.round(n.asDouble() * 1000));
        String s = n.asText();
        try { return Instant.parse(s); } catch (DateTimeParseException e) { /* next */ }
        try { return OffsetDateTime.parse(s).toInstant(); } catch (DateTimeParseException e) { /* next */ }
        try { return Instant.ofEpochMilli(Math.round(Double.parseDouble(s) * 1000)); } catch (NumberFormatException e) { return null; }
    }

    // ------------------------------------------------------------------ IoT

    private Value policy(String region, JsonNode p) {
        String arn = p.path("policyArn").asText();
        noteAccount(arn);
        Origin o = Origin.api(arn, "iot:GetPolicy");
        Origin ot = Origin.api(arn, "iot:ListTargetsForPolicy");
        ObjBuilder b = new ObjBuilder(S, "IotPolicy", arn, o)
                .set("id", new Value.Str(arn, o))
                .set("name", new Value.Str(p.path("policyName").asText(), o))
                .set("region", new Value.Str(region, o));
        if (p.path("targets").isArray()) {
            b.set("targets", strings(p.path("targets"), ot)).set("attached", new Value.Bool(!p.path("targets").isEmpty(), ot));
        } else {
            Value.Unknown u = unknown(p, "targets", "targets", ot);
            b.set("targets", u).set("attached", u);
        }
        JsonNode doc = p.path("policyDocument");
        if (!doc.isTextual()) {
            Value.Unknown u = unknown(p, "document", "policyDocument", o);
            for (String f : List.of("document", "statements", "connect_scope", "publish_topics", "receive_topics", "subscribe_filters",
                    "cross_device_reach", "overly_permissive", "overly_permissive_reasons", "ineffective_denies", "spoofable_variables")) b.set(f, u);
            return b.build();
        }
        b.set("document", new Value.Str(doc.asText(), o));
        Origin od = Origin.api(arn, "iot:GetPolicy").withNote("iot:GetPolicy (analysed)");
        IotPolicyAnalysis a;
        try {
            a = analyses.computeIfAbsent(doc.asText(), PolicyAnalysis::analyze);
        } catch (RuntimeException | LinkageError e) {
            a = null;
            Value.Unknown u = new Value.Unknown("the policy document could not be analysed: " + e, od);
            for (String f : List.of("statements", "connect_scope", "publish_topics", "receive_topics", "subscribe_filters", "cross_device_reach",
                    "overly_permissive", "overly_permissive_reasons", "ineffective_denies", "spoofable_variables")) b.set(f, u);
            return b.build();
        }
        List<Value> st = new ArrayList<>();
        int i = 0;
        for (IotPolicyAnalysis.Statement s : a.statements()) {
            String sid = arn + "#statement/" + (i++);
            st.add(new ObjBuilder(S, "IotStatement", sid, od)
                    .set("effect", new Value.Str(s.effect(), od))
                    .set("actions", new Value.Items(s.actions().stream().map(x -> (Value) new Value.Str(x, od)).toList(), od))
                    .set("resources", new Value.Items(s.resources().stream().map(x -> (Value) new Value.Str(x, od)).toList(), od))
                    .set("has_condition", new Value.Bool(s.hasCondition(), od)).build());
        }
        if (!a.problems().isEmpty()) {
            Value.Unknown u = new Value.Unknown("the policy document could not be read completely: " + String.join("; ", a.problems()), od);
            if (st.isEmpty()) b.set("statements", u);
            else { st.add(u); b.set("statements", new Value.Items(st, od)); }
            for (String f : List.of("connect_scope", "publish_topics", "receive_topics", "subscribe_filters", "cross_device_reach",
                    "overly_permissive", "overly_permissive_reasons", "ineffective_denies", "spoofable_variables")) b.set(f, u);
            return b.build();
        }
        return b.set("statements", new Value.Items(st, od))
                .set("connect_scope", a.connectScope() == null ? new Value.Unknown("connect scope not derived", od) : new Value.Str(a.connectScope(), od))
                .set("publish_topics", list(a.publishTopics(), od))
                .set("receive_topics", list(a.receiveTopics(), od))
                .set("subscribe_filters", list(a.subscribeFilters(), od))
                .set("cross_device_reach", new Value.Bool(a.crossDeviceReach(), od))
                .set("overly_permissive", new Value.Bool(a.overlyPermissive(), od))
                .set("overly_permissive_reasons", list(a.overlyPermissiveReasons(), od))
                .set("ineffective_denies", list(a.ineffectiveDenies(), od))
                .set("spoofable_variables", list(a.spoofableVariables(), od))
                .build();
    }

    private static Value list(List<String> l, Origin o) { return new Value.Items(l.stream().map(x -> (Value) new Value.Str(x, o)).toList(), o); }

    private Value certificate(String region, JsonNode c) {
        String arn = c.path("certificateArn").asText();
        noteAccount(arn);
        Origin o = Origin.api(arn, "iot:DescribeCertificate");
        ObjBuilder b = new ObjBuilder(S, "IotCertificate", arn, o)
                .set("id", new Value.Str(arn, o))
                .set("certificate_id", new Value.Str(c.path("certificateId").asText(), o))
                .set("region", new Value.Str(region, o))
                .set("status", req(c.path("status"), "status", o));
        if (failed(c, "certificate")) {
            Value.Unknown u = unknown(c, "certificate", "certificate", o);
            for (String f : List.of("ca_certificate_id", "expires_in", "age", "key_algorithm", "key_size")) b.set(f, u);
            return b.build();
        }
        b.set("ca_certificate_id", str(c.path("caCertificateId"), o));
        validity(c, b, o, true);
        key(c, b, o);
        return b.build();
    }

    private void validity(JsonNode c, ObjBuilder b, Origin o, boolean age) {
        Instant nb = instant(c.path("validity").path("notBefore")), na = instant(c.path("validity").path("notAfter"));
        b.set("expires_in", na == null ? new Value.Unknown("the certificate validity was not returned", o) : new Value.Dur(Duration.between(now, na), o));
        if (age) b.set("age", nb == null ? new Value.Unknown("the certificate validity was not returned", o) : new Value.Dur(Duration.between(nb, now), o));
    }

    private static void key(JsonNode c, ObjBuilder b, Origin o) {
        if (c.path(Pem.KEY_ALGORITHM).isTextual()) {
            b.set("key_algorithm", new Value.Str(c.path(Pem.KEY_ALGORITHM).asText(), o));
            b.set("key_size", c.path(Pem.KEY_SIZE).isNumber() ? new Value.Int(c.path(Pem.KEY_SIZE).asLong(), o)
                    : new Value.Unknown("the key size could not be read from the certificate", o));
        } else {
            Value.Unknown u = unknown(c, Pem.KEY_ALGORITHM, "key", o);
            b.set("key_algorithm", u).set("key_size", u);
        }
    }

    private Value caCertificate(String region, JsonNode c, JsonNode iot) {
        String arn = c.path("certificateArn").asText();
        noteAccount(arn);
        Origin o = Origin.api(arn, "iot:DescribeCACertificate");
        String id = c.path("certificateId").asText();
        ObjBuilder b = new ObjBuilder(S, "IotCaCertificate", arn, o)
                .set("id", new Value.Str(arn, o))
                .set("certificate_id", new Value.Str(id, o))
                .set("region", new Value.Str(region, o))
                .set("status", req(c.path("status"), "status", o));
        if (failed(c, "certificate")) b.set("expires_in", unknown(c, "certificate", "certificate", o));
        else validity(c, b, o, false);
        Origin oc = Origin.api(arn, "iot:ListCertificates");
        JsonNode certs = iot.path("certificates");
        if (!certs.isArray()) {
            b.set("active_certificates", missing(region, "iot.certificates"));
        } else {
            long n = 0;
            Value v = null;
            for (JsonNode d : certs) {
                if (failed(d, "certificate")) { v = unknown(d, "certificate", "certificate", oc); break; }
                if (id.equals(d.path("caCertificateId").asText()) && "ACTIVE".equals(d.path("status").asText())) n++;
            }
            b.set("active_certificates", v != null ? v : new Value.Int(n, oc));
        }
        return b.build();
    }

    private Value domain(String region, JsonNode d) {
        String arn = d.path("domainConfigurationArn").asText();
        noteAccount(arn);
        Origin o = Origin.api(arn, "iot:DescribeDomainConfiguration");
        ObjBuilder b = new ObjBuilder(S, "IotDomain", arn, o)
                .set("id", new Value.Str(arn, o))
                .set("name", new Value.Str(d.path("domainConfigurationName").asText(), o))
                .set("region", new Value.Str(region, o));
        if (failed(d, "domain")) {
            Value.Unknown u = unknown(d, "domain", "domain", o);
            for (String f : List.of("status", "domain_type", "tls_security_policy", "default_authorizer", "allow_authorizer_override")) b.set(f, u);
            return b.build();
        }
        return b.set("status", req(d.path("domainConfigurationStatus"), "domainConfigurationStatus", o))
                .set("domain_type", req(d.path("domainType"), "domainType", o))
                .set("tls_security_policy", str(d.path("tlsConfig").path("securityPolicy"), o))
                .set("default_authorizer", str(d.path("authorizerConfig").path("defaultAuthorizerName"), o))
                .set("allow_authorizer_override", new Value.Bool(d.path("authorizerConfig").path("allowAuthorizerOverride").asBoolean(false), o))
                .build();
    }

    private Value authorizer(String region, JsonNode a) {
        String arn = a.path("authorizerArn").asText();
        noteAccount(arn);
        Origin o = Origin.api(arn, "iot:DescribeAuthorizer");
        ObjBuilder b = new ObjBuilder(S, "IotAuthorizer", arn, o)
                .set("id", new Value.Str(arn, o))
                .set("name", new Value.Str(a.path("authorizerName").asText(), o))
                .set("region", new Value.Str(region, o));
        if (failed(a, "authorizer")) {
            Value.Unknown u = unknown(a, "authorizer", "authorizer", o);
            return b.set("status", u).set("signing_disabled", u).build();
        }
        return b.set("status", req(a.path("status"), "status", o))
                .set("signing_disabled", new Value.Bool(a.path("signingDisabled").asBoolean(false), o)).build();
    }

    private Value logging(String region, JsonNode l) {
        String id = "iot-logging:" + region;
        Origin o = Origin.api("iot:" + region, "iot:GetV2LoggingOptions");
        ObjBuilder b = new ObjBuilder(S, "IotLogging", id, o).set("id", new Value.Str(id, o)).set("region", new Value.Str(region, o));
        if (l.path(AwsSnapshot.NOT_CONFIGURED).asBoolean(false)) return b.set("enabled", new Value.Bool(false, o)).set("level", new Value.Null(o)).build();
        String level = l.path("defaultLogLevel").asText(null);
        boolean enabled = !l.path("disableAllLogs").asBoolean(false) && !"DISABLED".equals(level);
        return b.set("enabled", new Value.Bool(enabled, o)).set("level", level == null ? new Value.Null(o) : new Value.Str(level, o)).build();
    }

    private Value audit(String region, JsonNode a) {
        String id = "iot-audit:" + region;
        Origin o = Origin.api("iot:" + region, "iot:DescribeAccountAuditConfiguration");
        List<Value> checks = new ArrayList<>();
        a.path("auditCheckConfigurations").fields().forEachRemaining(e -> {
            if (e.getValue().path("enabled").asBoolean(false)) checks.add(new Value.Str(e.getKey(), o));
        });
        checks.sort(java.util.Comparator.comparing(Value::display));
        return new ObjBuilder(S, "IotAudit", id, o).set("id", new Value.Str(id, o)).set("region", new Value.Str(region, o))
                .set("enabled", new Value.Bool(!checks.isEmpty(), o)).set("enabled_checks", new Value.Items(checks, o)).build();
    }

    // ------------------------------------------------------------------ EC2

    private Value securityGroup(String region, JsonNode g, JsonNode ec2) {
        String gid = g.path("GroupId").asText();
        String owner = g.path("OwnerId").asText("");
        if (account == null && owner.matches("\\d{12}")) account = owner;
        String arn = g.path("SecurityGroupArn").isTextual() ? g.path("SecurityGroupArn").asText()
                : owner.isEmpty() ? region + "/" + gid : "arn:aws:ec2:" + region + ":" + owner + ":security-group/" + gid;
        Origin o = Origin.api(arn, "ec2:DescribeSecurityGroups");
        ObjBuilder b = new ObjBuilder(S, "SecurityGroup", arn, o)
                .set("id", new Value.Str(arn, o))
                .set("group_id", new Value.Str(gid, o))
                .set("name", new Value.Str(g.path("GroupName").asText(), o))
                .set("region", new Value.Str(region, o))
                .set("vpc_id", str(g.path("VpcId"), o));
        JsonNode enis = ec2.path("NetworkInterfaces");
        if (enis.isArray()) {
            boolean used = false;
            for (JsonNode n : enis) for (JsonNode x : n.path("Groups")) used |= gid.equals(x.path("GroupId").asText());
            b.set("in_use", new Value.Bool(used, Origin.api(arn, "ec2:DescribeNetworkInterfaces")));
        } else {
            b.set("in_use", missing(region, "ec2.NetworkInterfaces"));
        }
        b.set("ingress", new Value.Items(rules(gid, "ingress", g.path("IpPermissions"), o), o));
        b.set("egress", new Value.Items(rules(gid, "egress", g.path("IpPermissionsEgress"), o), o));
        return b.build();
    }

    private static List<Value> rules(String gid, String dir, JsonNode perms, Origin o) {
        List<Value> out = new ArrayList<>();
        String fromTo = dir.equals("ingress") ? "from" : "to";
        for (JsonNode p : perms) {
            String proto = protocol(p.path("IpProtocol").asText("-1"));
            PortSet ports;
            String portText;
            if ((proto.equals("tcp") || proto.equals("udp")) && p.path("FromPort").isNumber() && p.path("ToPort").isNumber()
                    && p.path("FromPort").asInt() >= 0 && p.path("FromPort").asInt() <= 65535 && p.path("ToPort").asInt() >= p.path("FromPort").asInt()) {
                int lo = p.path("FromPort").asInt(), hi = Math.min(65535, p.path("ToPort").asInt());
                ports = PortSet.range(lo, hi);
                portText = lo == hi ? Integer.toString(lo) : lo + "-" + hi;
            } else {
                ports = PortSet.ALL;
                portText = "all";
            }
            String head = gid + " " + dir + " " + proto + " " + portText + " " + fromTo + " ";
            for (JsonNode r : p.path("IpRanges")) out.add(rule(head, proto, ports, "cidr", r.path("CidrIp").asText(), r, o));
            for (JsonNode r : p.path("Ipv6Ranges")) out.add(rule(head, proto, ports, "cidr", r.path("CidrIpv6").asText(), r, o));
            for (JsonNode r : p.path("UserIdGroupPairs")) out.add(rule(head, proto, ports, "source_group", r.path("GroupId").asText(), r, o));
            for (JsonNode r : p.path("PrefixListIds")) out.add(rule(head, proto, ports, "prefix_list", r.path("PrefixListId").asText(), r, o));
        }
        return out;
    }

    private static Value rule(String head, String proto, PortSet ports, String kind, String source, JsonNode r, Origin o) {
        String id = head + source;
        ObjBuilder b = new ObjBuilder(S, "SgRule", id, o)
                .set("id", new Value.Str(id, o))
                .set("protocol", new Value.Str(proto, o))
                .set("ports", new Value.Ports(ports, o))
                .set("cidr", new Value.Null(o)).set("source_group", new Value.Null(o)).set("prefix_list", new Value.Null(o))
                .set("description", str(r.path("Description"), o));
        if (kind.equals("cidr")) {
            try {
                b.set("cidr", new Value.Net(Cidr.parse(source), o));
            } catch (IllegalArgumentException e) {
                b.set("cidr", new Value.Unknown("unreadable range `" + source + "`: " + e.getMessage(), o));
            }
        } else {
            b.set(kind, new Value.Str(source, o));
        }
        return b.build();
    }

    private static String protocol(String p) {
        return switch (p) {
            case "-1", "all" -> "all";
            case "6" -> "tcp";
            case "17" -> "udp";
            case "1" -> "icmp";
            case "58" -> "icmpv6";
            default -> p.toLowerCase(java.util.Locale.ROOT);
        };
    }

    // ------------------------------------------------------------------ WAFv2

    private Value webAcl(String region, String scope, JsonNode item) {
        JsonNode acl = item.path("WebACL");
        String arn = acl.path("ARN").asText();
        noteAccount(arn);
        Origin o = Origin.api(arn, "wafv2:GetWebACL");
        ObjBuilder b = new ObjBuilder(S, "WebAcl", arn, o)
                .set("id", new Value.Str(arn, o))
                .set("name", new Value.Str(acl.path("Name").asText(), o))
                .set("scope", new Value.Str(scope, o))
                .set("region", new Value.Str(region, o));
        Origin or = Origin.api(arn, "wafv2:ListResourcesForWebACL");
        if (item.path("ResourceArns").isArray()) {
            b.set("associated", new Value.Bool(!item.path("ResourceArns").isEmpty(), or)).set("associated_resources", strings(item.path("ResourceArns"), or));
        } else {
            Value.Unknown u = unknown(item, "ResourceArns", "associated resources", or);
            b.set("associated", u).set("associated_resources", u);
        }
        Origin ol = Origin.api(arn, "wafv2:GetLoggingConfiguration");
        b.set("logging", item.has("LoggingConfiguration") && !failed(item, "LoggingConfiguration")
                ? new Value.Bool(item.path("LoggingConfiguration").isObject(), ol) : unknown(item, "LoggingConfiguration", "logging configuration", ol));
        if (failed(item, "WebACL")) {
            Value.Unknown u = unknown(item, "WebACL", "web ACL", o);
            return b.set("default_action", u).set("rules", u).build();
        }
        JsonNode da = acl.path("DefaultAction");
        b.set("default_action", da.has("Block") ? new Value.Str("BLOCK", o) : da.has("Allow") ? new Value.Str("ALLOW", o)
                : new Value.Unknown("the default action is missing", o));
        List<Value> rules = new ArrayList<>();
        List<JsonNode> sorted = new ArrayList<>();
        acl.path("Rules").forEach(sorted::add);
        sorted.sort(java.util.Comparator.comparingInt(r -> r.path("Priority").asInt()));
        for (JsonNode r : sorted) rules.add(wafRule(arn, r, o));
        return b.set("rules", new Value.Items(rules, o)).build();
    }

    private static Value wafRule(String aclArn, JsonNode r, Origin o) {
        String name = r.path("Name").asText();
        String id = aclArn + "/rule/" + name;
        JsonNode st = r.path("Statement");
        String kind = st.has("RateBasedStatement") ? "rate_based" : st.has("ManagedRuleGroupStatement") ? "managed"
                : st.has("RuleGroupReferenceStatement") ? "rule_group" : st.has("IPSetReferenceStatement") ? "ip_set" : "other";
        String action;
        JsonNode a = r.path("Action");
        JsonNode ov = r.path("OverrideAction");
        if (a.isObject() && a.fieldNames().hasNext()) action = a.fieldNames().next().toUpperCase(java.util.Locale.ROOT);
        else if (ov.has("Count")) action = "COUNT";
        else action = "NONE";
        ObjBuilder b = new ObjBuilder(S, "WafRule", id, o)
                .set("id", new Value.Str(id, o))
                .set("name", new Value.Str(name, o))
                .set("priority", new Value.Int(r.path("Priority").asLong(), o))
                .set("kind", new Value.Str(kind, o))
                .set("action", new Value.Str(action, o))
                .set("overridden_to_count", new Value.Bool(ov.has("Count"), o));
        JsonNode rb = st.path("RateBasedStatement");
        b.set("rate_limit", rb.path("Limit").isNumber() ? new Value.Int(rb.path("Limit").asLong(), o) : new Value.Null(o));
        b.set("aggregate_key", str(rb.path("AggregateKeyType"), o));
        JsonNode m = st.path("ManagedRuleGroupStatement");
        b.set("vendor", str(m.path("VendorName"), o)).set("managed_name", str(m.path("Name"), o));
        List<Value> excluded = new ArrayList<>();
        JsonNode group = m.isObject() ? m : st.path("RuleGroupReferenceStatement");
        for (JsonNode x : group.path("ExcludedRules")) excluded.add(new Value.Str(x.path("Name").asText(), o));
        for (JsonNode x : group.path("RuleActionOverrides")) {
            if (x.path("ActionToUse").has("Count")) excluded.add(new Value.Str(x.path("Name").asText(), o));
        }
        return b.set("excluded_rules", new Value.Items(excluded, o)).build();
    }
}
