package dev.warden.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads a folder of {@code aws ... --output json} captures (layout and the shell loop that writes it: docs/aws.md)
 * into a snapshot. A missing or malformed file is a fault for the section it feeds, never an exception.
 */
final class CliCaptures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final List<Fault> faults = new ArrayList<>();

    private CliCaptures(Path dir) { this.dir = dir; }

    static AwsSnapshot read(Path dir) throws IOException { return new CliCaptures(dir).run(); }

    private AwsSnapshot run() throws IOException {
        List<String> regions = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).filter(AwsCollector::isRegionName).sorted().forEach(regions::add);
        }
        if (regions.isEmpty()) throw new IOException("no region folder (e.g. `eu-west-1/`) in `" + dir + "`");
        Map<String, ObjectNode> data = new TreeMap<>();
        for (String r : regions) data.put(r, region(r, dir.resolve(r)));
        Instant at = Files.getLastModifiedTime(dir).toInstant();
        Path stamp = dir.resolve("collected_at.txt");
        if (Files.isRegularFile(stamp)) {
            try { at = Instant.parse(Files.readString(stamp).strip()); } catch (RuntimeException e) { /* keep the folder time */ }
        }
        return AwsSnapshot.of(at, regions, data, faults, dir.toString());
    }

    private ObjectNode region(String region, Path r) {
        ObjectNode out = SdkJson.F.objectNode();
        ObjectNode iot = out.putObject("iot"), ec2 = out.putObject("ec2"), waf = out.putObject("wafv2");
        Path i = r.resolve("iot");

        JsonNode lp = file(region, "iot.policies", i.resolve("list-policies.json"));
        if (lp != null) {
            ArrayNode a = iot.putArray("policies");
            for (JsonNode p : lp.path("policies")) {
                String name = p.path("policyName").asText();
                ObjectNode item = a.addObject();
                item.put("policyName", name).put("policyArn", p.path("policyArn").asText());
                JsonNode g = item(region, item, "document", i.resolve("policies").resolve(name + ".json"));
                if (g != null) item.setAll((ObjectNode) g);
                JsonNode t = item(region, item, "targets", i.resolve("policy-targets").resolve(name + ".json"));
                if (t != null) item.set("targets", t.path("targets").isArray() ? t.path("targets") : SdkJson.F.arrayNode());
            }
        }
        JsonNode lc = file(region, "iot.certificates", i.resolve("list-certificates.json"));
        if (lc != null) {
            ArrayNode a = iot.putArray("certificates");
            for (JsonNode c : lc.path("certificates")) a.add(cert(region, c, i.resolve("certificates")));
        }
        JsonNode lca = file(region, "iot.caCertificates", i.resolve("list-ca-certificates.json"));
        if (lca != null) {
            ArrayNode a = iot.putArray("caCertificates");
            for (JsonNode c : lca.path("certificates")) a.add(cert(region, c, i.resolve("ca-certificates")));
        }
        JsonNode ld = file(region, "iot.domainConfigurations", i.resolve("list-domain-configurations.json"));
        if (ld != null) {
            ArrayNode a = iot.putArray("domainConfigurations");
            for (JsonNode d : ld.path("domainConfigurations")) {
                String name = d.path("domainConfigurationName").asText();
                ObjectNode item = a.addObject();
                item.put("domainConfigurationName", name).put("domainConfigurationArn", d.path("domainConfigurationArn").asText());
                JsonNode g = item(region, item, "domain", i.resolve("domain-configurations").resolve(name + ".json"));
                if (g != null) item.setAll((ObjectNode) g);
            }
        }
        JsonNode la = file(region, "iot.authorizers", i.resolve("list-authorizers.json"));
        if (la != null) {
            ArrayNode a = iot.putArray("authorizers");
            for (JsonNode d : la.path("authorizers")) {
                String name = d.path("authorizerName").asText();
                ObjectNode item = a.addObject();
                item.put("authorizerName", name).put("authorizerArn", d.path("authorizerArn").asText());
                JsonNode g = item(region, item, "authorizer", i.resolve("authorizers").resolve(name + ".json"));
                if (g != null && g.path("authorizerDescription").isObject()) item.setAll((ObjectNode) g.path("authorizerDescription"));
            }
        }
        JsonNode lo = file(region, "iot.v2LoggingOptions", i.resolve("get-v2-logging-options.json"));
        if (lo != null) iot.set("v2LoggingOptions", lo);
        JsonNode au = file(region, "iot.auditConfiguration", i.resolve("describe-account-audit-configuration.json"));
        if (au != null) iot.set("auditConfiguration", au);

        Path e = r.resolve("ec2");
        JsonNode sg = file(region, "ec2.SecurityGroups", e.resolve("describe-security-groups.json"));
        if (sg != null) {
            ec2.set("SecurityGroups", sg.path("SecurityGroups").isArray() ? sg.path("SecurityGroups") : SdkJson.F.arrayNode());
            JsonNode ni = file(region, "ec2.NetworkInterfaces", e.resolve("describe-network-interfaces.json"));
            if (ni != null) ec2.set("NetworkInterfaces", ni.path("NetworkInterfaces").isArray() ? ni.path("NetworkInterfaces") : SdkJson.F.arrayNode());
        }

        for (String scope : region.equals("us-east-1") ? List.of("REGIONAL", "CLOUDFRONT") : List.of("REGIONAL")) {
            Path w = r.resolve("wafv2").resolve(scope);
            JsonNode list = file(region, "wafv2." + scope, w.resolve("list-web-acls.json"));
            if (list == null) continue;
            ArrayNode a = waf.putArray(scope);
            for (JsonNode s : list.path("WebACLs")) {
                String name = s.path("Name").asText();
                ObjectNode item = a.addObject();
                item.putObject("WebACL").put("Name", name).put("Id", s.path("Id").asText()).put("ARN", s.path("ARN").asText());
                JsonNode g = item(region, item, "WebACL", w.resolve(name + ".json"));
                if (g != null && g.path("WebACL").isObject()) item.set("WebACL", g.path("WebACL"));
                if (scope.equals("REGIONAL")) {
                    JsonNode res = item(region, item, "ResourceArns", w.resolve(name + ".resources.json"));
                    if (res != null) item.set("ResourceArns", res.path("ResourceArns").isArray() ? res.path("ResourceArns") : SdkJson.F.arrayNode());
                } else {
                    item.withObjectProperty(AwsSnapshot.UNKNOWN).put("ResourceArns",
                            AwsSnapshot.CLOUDFRONT_ASSOCIATIONS);
                }
                JsonNode log = item(region, item, "LoggingConfiguration", w.resolve(name + ".logging.json"));
                if (log != null) item.set("LoggingConfiguration", log.path("LoggingConfiguration").isObject() ? log.path("LoggingConfiguration") : SdkJson.F.nullNode());
            }
        }
        return out;
    }

    private ObjectNode cert(String region, JsonNode c, Path folder) {
        String id = c.path("certificateId").asText();
        ObjectNode item = SdkJson.F.objectNode();
        item.put("certificateArn", c.path("certificateArn").asText()).put("certificateId", id).put("status", c.path("status").asText());
        JsonNode g = item(region, item, "certificate", folder.resolve(id + ".json"));
        if (g != null && g.path("certificateDescription").isObject()) item.setAll(Pem.strip((ObjectNode) g.path("certificateDescription").deepCopy()));
        return item;
    }

    /** A file feeding a whole section: missing or malformed is a fault for that section. */
    private JsonNode file(String region, String section, Path p) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        if (!Files.isRegularFile(p)) {
            faults.add(new Fault(region, section, "aws.not_captured", rel, "capture", "`" + rel + "` is missing, so `" + section + "` in " + region + " is unknown",
                    "capture it as shown in docs/aws.md"));
            return null;
        }
        try {
            JsonNode n = JSON.readTree(p.toFile());
            if (n == null || !n.isObject()) throw new IOException("not a JSON object");
            return n;
        } catch (IOException e) {
            faults.add(new Fault(region, section, Fault.BAD_INPUT, rel, "capture", "`" + rel + "` is not an AWS CLI JSON capture: " + e.getMessage(),
                    "capture it again with `--output json`"));
            return null;
        }
    }

    /** A file feeding one resource's member: missing or malformed marks that member unknown. */
    private JsonNode item(String region, ObjectNode item, String field, Path p) {
        String rel = dir.relativize(p).toString().replace('\\', '/');
        Fault f = null;
        JsonNode n = null;
        if (!Files.isRegularFile(p)) {
            f = new Fault(region, "", "aws.not_captured", rel, "capture", "`" + rel + "` is missing", "capture it as shown in docs/aws.md");
        } else {
            try {
                n = JSON.readTree(p.toFile());
                if (n == null || !n.isObject()) throw new IOException("not a JSON object");
            } catch (IOException e) {
                n = null;
                f = new Fault(region, "", Fault.BAD_INPUT, rel, "capture", "`" + rel + "` is not an AWS CLI JSON capture: " + e.getMessage(),
                        "capture it again with `--output json`");
            }
        }
        if (f != null) {
            faults.add(f);
            item.withObjectProperty(AwsSnapshot.UNKNOWN).put(field, f.message());
        }
        return n;
    }
}
