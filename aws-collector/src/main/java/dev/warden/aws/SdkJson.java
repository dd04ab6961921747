package dev.warden.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Turns an SDK response into JSON keyed by the service model's member names: exactly what
 * {@code aws <service> <call> --output json} prints, so live collections and AWS CLI captures share one reader.
 */
final class SdkJson {
    private SdkJson() {}

    static final JsonNodeFactory F = JsonNodeFactory.instance;

    static ObjectNode of(SdkPojo pojo) {
        ObjectNode o = F.objectNode();
        for (SdkField<?> f : pojo.sdkFields()) {
            Object v = f.getValueOrDefault(pojo);
            JsonNode n = value(v);
            if (n != null) o.set(f.memberName(), n);
        }
        return o;
    }

    static JsonNode value(Object v) {
        if (v == null) return null;
        if (v instanceof SdkPojo p) return of(p);
        if (v instanceof String s) return F.textNode(s);
        if (v instanceof Boolean b) return F.booleanNode(b);
        if (v instanceof Integer i) return F.numberNode(i);
        if (v instanceof Long l) return F.numberNode(l);
        if (v instanceof Number n) return F.numberNode(n.doubleValue());
        if (v instanceof Instant t) return F.textNode(t.toString());
        if (v instanceof SdkBytes b) return F.textNode(Base64.getEncoder().encodeToString(b.asByteArray()));
        if (v instanceof List<?> l) {
            // auto-construct lists (a member absent from the response) stay absent
            if (l instanceof software.amazon.awssdk.core.util.SdkAutoConstructList) return null;
            ArrayNode a = F.arrayNode();
            for (Object e : l) { JsonNode n = value(e); a.add(n == null ? F.nullNode() : n); }
            return a;
        }
        if (v instanceof Map<?, ?> m) {
            if (m instanceof software.amazon.awssdk.core.util.SdkAutoConstructMap) return null;
            ObjectNode o = F.objectNode();
            m.forEach((k, x) -> { JsonNode n = value(x); if (n != null) o.set(String.valueOf(k), n); });
            return o;
        }
        return F.textNode(String.valueOf(v));
    }
}
