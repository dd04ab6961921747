package dev.warden.awsiot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.warden.aws.iot.IotGlob;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** AWS IoT's verdict on an emitted policy, read with IoT glob semantics ({@link IotGlob}); shared by the semantics tests. */
final class IotVerdicts {
    private IotVerdicts() {}

    static final ObjectMapper JSON = new ObjectMapper();
    /** The options the semantics tests compile with: a concrete region and account, so no ARN wildcard. */
    static final AwsIotTarget.Options OPTIONS = new AwsIotTarget.Options("aws", "eu-west-1", "123456789012");
    /** The ARN prefix of {@link #OPTIONS}. */
    static final String P = OPTIONS.arnPrefix();
    private static final Map<String, IotGlob> GLOBS = new ConcurrentHashMap<>();

    /** The emitted document as AWS IoT reads it for a connection of {@code thing}: the thing variable substituted. */
    static JsonNode forThing(String policyJson, String thing) {
        try {
            return JSON.readTree(policyJson.replace(AwsIotTarget.THING_NAME, thing));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** IoT policy evaluation: an explicit Deny wins, then any Allow; otherwise denied. */
    static boolean allows(JsonNode doc, String action, String arn) {
        boolean allow = false;
        for (JsonNode s : doc.get("Statement")) {
            boolean names = false;
            for (JsonNode a : s.get("Action")) names |= a.asText().equals(action);
            if (!names) continue;
            for (JsonNode r : s.get("Resource")) {
                if (!GLOBS.computeIfAbsent(r.asText(), IotGlob::parse).matches(arn)) continue;
                if (s.get("Effect").asText().equals("Deny")) return false;
                allow = true;
            }
        }
        return allow;
    }
}
