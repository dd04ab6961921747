package dev.warden.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What was collected from AWS, raw: the API answers in the shape {@code aws ... --output json} prints them (service
 * model member names), per region and service, plus the calls that failed. Derived facts (policy analysis,
 * certificate expiry relative to the scan time) are computed from it by {@link AwsCollector#facts}; they are never
 * stored. Certificate PEMs are reduced to key algorithm and size before they reach a snapshot.
 */
public final class AwsSnapshot {
    /** Format id written as {@code "schema"}. */
    public static final String SCHEMA = "warden.aws-snapshot/v1";
    /** Per-item member naming fields that a failed call left unknown, with the reason. */
    static final String UNKNOWN = "wardenUnknown";
    /** GetV2LoggingOptions answered NotConfiguredException. */
    static final String NOT_CONFIGURED = "notConfigured";
    /** Why a CLOUDFRONT web ACL's associations are unknown. */
    static final String CLOUDFRONT_ASSOCIATIONS = "CloudFront associations are listed by CloudFront (ListDistributionsByWebACLId), which Warden does not read yet";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Set<String> SECRET_KEYS = Set.of("certificatePem", "privateKey", "keyPair", "PrivateKey", "SecretAccessKey", "SessionToken", "AccessKeyId");

    private final Instant collectedAt;
    private final List<String> regions;
    private final Map<String, ObjectNode> data;
    private final List<Fault> faults;
    private final String source;

    private AwsSnapshot(Instant collectedAt, List<String> regions, Map<String, ObjectNode> data, List<Fault> faults, String source) {
        this.collectedAt = collectedAt;
        this.regions = List.copyOf(regions);
        this.data = new LinkedHashMap<>(data);
        this.faults = List.copyOf(faults);
        this.source = source;
    }

    static AwsSnapshot of(Instant at, List<String> regions, Map<String, ObjectNode> data, List<Fault> faults) {
        data.values().forEach(AwsSnapshot::scrub);
        return new AwsSnapshot(at, regions, data, faults, "aws");
    }

    static AwsSnapshot of(Instant at, List<String> regions, Map<String, ObjectNode> data, List<Fault> faults, String source) {
        data.values().forEach(AwsSnapshot::scrub);
        return new AwsSnapshot(at, regions, data, faults, source);
    }

    /** When the data was collected. */
    public Instant collectedAt() { return collectedAt; }

    /** Regions covered. */
    public List<String> regions() { return regions; }

    /** How many calls failed. */
    public int faultCount() { return faults.size(); }

    Map<String, ObjectNode> data() { return data; }

    List<Fault> faults() { return faults; }

    /** Where the data came from, for origins: {@code aws} (live), a snapshot file or a capture folder. */
    String source() { return source; }

    /** Removes secrets defensively wherever they appear (the collector never puts them there in the first place). */
    private static void scrub(JsonNode n) {
        if (n instanceof ObjectNode o) {
            SECRET_KEYS.forEach(o::remove);
            o.forEach(AwsSnapshot::scrub);
        } else if (n instanceof ArrayNode a) {
            a.forEach(AwsSnapshot::scrub);
        }
    }

    /** The versioned JSON form. */
    public String toJson() {
        ObjectNode root = SdkJson.F.objectNode();
        root.put("schema", SCHEMA);
        root.put("collected_at", collectedAt.toString());
        ArrayNode rs = root.putArray("regions");
        regions.forEach(rs::add);
        ArrayNode fs = root.putArray("faults");
        for (Fault f : faults) {
            fs.addObject().put("region", f.region()).put("section", f.section()).put("code", f.code()).put("scope", f.scope())
                    .put("call", f.call()).put("message", f.message()).put("help", f.help());
        }
        ObjectNode d = root.putObject("data");
        data.forEach(d::set);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses the JSON form; throws {@link IllegalArgumentException} with a user-facing message when it is not a v1 snapshot. */
    static AwsSnapshot fromJson(String text, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("not a Warden AWS snapshot (expected a JSON object)");
        String schema = root.path("schema").asText("");
        if (!schema.equals(SCHEMA)) {
            throw new IllegalArgumentException(schema.isEmpty() ? "not a Warden AWS snapshot (no `schema`)"
                    : "unsupported snapshot format `" + schema + "` (this Warden reads `" + SCHEMA + "`)");
        }
        Instant at;
        try {
            at = Instant.parse(root.path("collected_at").asText());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("`collected_at` is not an ISO-8601 instant");
        }
        List<String> regions = new ArrayList<>();
        root.path("regions").forEach(r -> regions.add(r.asText()));
        List<Fault> faults = new ArrayList<>();
        for (JsonNode f : root.path("faults")) {
            faults.add(new Fault(f.path("region").asText(""), f.path("section").asText(""), f.path("code").asText("aws.api_error"),
                    f.path("scope").asText(""), f.path("call").asText(""), f.path("message").asText(""), f.path("help").asText("")));
        }
        Map<String, ObjectNode> data = new LinkedHashMap<>();
        JsonNode d = root.path("data");
        for (Iterator<Map.Entry<String, JsonNode>> it = d.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue() instanceof ObjectNode o) data.put(e.getKey(), o);
        }
        for (String r : regions) data.computeIfAbsent(r, k -> SdkJson.F.objectNode());
        return of(at, regions, data, faults, source);
    }
}
