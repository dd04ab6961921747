package dev.warden.pdp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/** One HTTP answer: status, JSON (or empty) body and the one-line explanation sent as {@code Warden-Decision}. */
record Reply(int status, byte[] body, String explain, String contentType) {

    static final byte[] NONE = new byte[0];

    static Reply json(int status, Object value, String explain) {
        try {
            return new Reply(status, Params.JSON.writeValueAsBytes(value), explain, "application/json");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A 4xx/5xx error with a stable code, the offending field and a hint. */
    static Reply error(int status, String code, String field, String message, String hint) {
        ObjectNode o = Params.JSON.createObjectNode();
        ObjectNode e = o.putObject("error");
        e.put("code", code);
        if (field != null && !field.isEmpty()) e.put("field", field);
        e.put("message", message);
        if (hint != null && !hint.isEmpty()) e.put("hint", hint);
        return json(status, o, message);
    }

    static Reply text(int status, String text) {
        return new Reply(status, text.getBytes(StandardCharsets.UTF_8), null, "text/plain; version=0.0.4; charset=utf-8");
    }

    /** Shortens user-supplied text quoted in a message. */
    static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** The explanation as a header value: printable ASCII only, at most 300 characters. */
    String header() {
        if (explain == null) return null;
        StringBuilder b = new StringBuilder(Math.min(explain.length(), 300));
        for (int i = 0; i < explain.length() && b.length() < 300; i++) {
            char c = explain.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
