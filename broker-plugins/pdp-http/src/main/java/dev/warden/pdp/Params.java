package dev.warden.pdp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URLDecoder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The fields of one request, read from a JSON object, an {@code application/x-www-form-urlencoded} body or a query
 * string; brokers send numbers and flags either as JSON numbers/booleans or as strings, both are accepted.
 */
final class Params {
    static final ObjectMapper JSON = JsonMapper.builder()
            .build();

    static {
        JSON.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(1 << 20).build());
    }

    private final ObjectNode fields;

    private Params(ObjectNode fields) { this.fields = fields; }

    /** Parses a body according to its content type; an empty body gives the query-string fields. */
    static Params of(String contentType, byte[] body, String query) {
        String ct = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (body.length == 0) return form(query == null ? "" : query);
        if (ct.startsWith("application/x-www-form-urlencoded")) return form(utf8(body, "body"));
        return json(body);
    }

    static Params json(byte[] body) {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new BadRequest("PDP_BAD_JSON", "", "the request body is not valid JSON" + where + ": " + withoutQuotes(e.getOriginalMessage()),
                    "send a JSON object (Content-Type: application/json) or a form (application/x-www-form-urlencoded)");
        } catch (java.io.IOException e) {
            throw new BadRequest("PDP_BAD_JSON", "", "the request body cannot be read: " + e.getMessage(), "send a JSON object");
        }
        if (n == null || !n.isObject()) {
            throw new BadRequest("PDP_BAD_JSON", "", "the request body must be a JSON object, not " + (n == null ? "nothing" : n.getNodeType().name().toLowerCase(Locale.ROOT)),
                    "send one JSON object with the fields the broker's contract defines");
        }
        return new Params((ObjectNode) n);
    }

    /** A parser message up to its first quoted fragment: body text (possibly a password) is never echoed. */
    private static String withoutQuotes(String m) {
        if (m == null) return "syntax error";
        int cut = m.length();
        for (char q : new char[]{'\'', '"', '(', '\n'}) {
            int i = m.indexOf(q);
            if (i >= 0 && i < cut) cut = i;
        }
        String s = m.substring(0, cut).strip();
        return s.isEmpty() ? "syntax error" : s;
    }

    static Params form(String text) {
        ObjectNode o = JSON.createObjectNode();
        if (!text.isEmpty()) {
            for (String pair : text.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                try {
                    String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    if (!o.has(k)) o.put(k, v);
                } catch (IllegalArgumentException e) {
                    throw new BadRequest("PDP_BAD_FORM", "", "the form data is not valid URL encoding: " + e.getMessage(),
                            "percent-encode every field (application/x-www-form-urlencoded)");
                }
            }
        }
        return new Params(o);
    }

    private static String utf8(byte[] b, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw new BadRequest("PDP_BAD_ENCODING", "", "the " + what + " is not UTF-8", "send UTF-8 text");
        }
    }

    JsonNode node(String name) {
        JsonNode n = fields.get(name);
        return n == null || n.isNull() || n.isMissingNode() ? null : n;
    }

    boolean has(String name) { return node(name) != null; }

    /** A text field; null when absent or JSON null. Numbers and booleans are given as their text. */
    String text(String name) {
        JsonNode n = node(name);
        if (n == null) return null;
        if (n.isValueNode()) return n.asText();
        throw new BadRequest("PDP_BAD_FIELD", name, "field `" + name + "` must be a string, not " + n.getNodeType().name().toLowerCase(Locale.ROOT),
                "send `" + name + "` as a JSON string");
    }

    /** A required non-empty text field. */
    String required(String name, String hint) {
        String s = text(name);
        if (s == null || s.isEmpty()) throw new BadRequest("PDP_MISSING_FIELD", name, "field `" + name + "` is missing", hint);
        return s;
    }

    /** Absent or empty text (and the given placeholders of an unset broker variable) become null. */
    String optional(String name, String... unsetMarkers) {
        String s = text(name);
        if (s == null || s.isEmpty()) return null;
        for (String m : unsetMarkers) if (s.equals(m)) return null;
        return s;
    }

    /** An integer given as a JSON number or a decimal string; {@code dflt} when absent or empty. */
    int integer(String name, int dflt, int min, int max) {
        JsonNode n = node(name);
        if (n == null) return dflt;
        int v;
        if (n.isIntegralNumber() && n.canConvertToInt()) {
            v = n.intValue();
        } else if (n.isTextual()) {
            String s = n.asText().trim();
            if (s.isEmpty()) return dflt;
            try {
                v = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new BadRequest("PDP_BAD_FIELD", name, "field `" + name + "` must be an integer, got \"" + Reply.clip(s) + "\"", "send a whole number");
            }
        } else {
            throw new BadRequest("PDP_BAD_FIELD", name, "field `" + name + "` must be an integer", "send a whole number");
        }
        if (v < min || v > max) {
            throw new BadRequest("PDP_BAD_FIELD", name, "field `" + name + "` is " + v + ", outside " + min + ".." + max, "send a value in " + min + ".." + max);
        }
        return v;
    }

    /** A flag given as a JSON boolean, true/false, 1/0 (number or string); {@code dflt} when absent or empty. */
    boolean flag(String name, boolean dflt) {
        JsonNode n = node(name);
        if (n == null) return dflt;
        if (n.isBoolean()) return n.booleanValue();
        String s = n.asText().trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "": return dflt;
            case "true": case "1": return true;
            case "false": case "0": return false;
            default: throw new BadRequest("PDP_BAD_FIELD", name, "field `" + name + "` must be true or false, got \"" + Reply.clip(s) + "\"", "send true/false or 1/0");
        }
    }
}
