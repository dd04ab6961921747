package dev.warden.pdp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import dev.warden.eval.authz.ClientInfo;
import dev.warden.eval.authz.Decision;
import dev.warden.eval.authz.Session;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * VerneMQ webhooks ({@code /vernemq}, the hook named by the {@code vernemq-hook} header, or
 * {@code /vernemq/<hook>}): auth_on_register, auth_on_publish, auth_on_subscribe and their {@code _m5} variants;
 * on_client_offline, on_client_gone and on_session_expired release the client's session. Denied subscriptions are
 * answered per topic (QoS 128 for MQTT 3, reason code 135 "not authorized" for MQTT 5).
 */
final class VernemqContract {
    static final int SUB_FAILURE_V3 = 0x80, NOT_AUTHORIZED_V5 = 0x87;

    private final PdpServer.Options opts;
    private final Clients clients;
    private final Sessions sessions;

    VernemqContract(PdpServer.Options opts, Clients clients, Sessions sessions) {
        this.opts = opts;
        this.clients = clients;
        this.sessions = sessions;
    }

    Reply hook(String path, Params p, Headers h) {
        String header = h.getFirst("vernemq-hook");
        String fromPath = path.startsWith("/vernemq/") ? path.substring("/vernemq/".length()) : null;
        if (header != null && fromPath != null && !header.equals(fromPath)) {
            throw new BadRequest("PDP_VERNEMQ_HOOK", "vernemq-hook", "the vernemq-hook header (" + Reply.clip(header) + ") and the path (" + Reply.clip(fromPath) + ") disagree",
                    "register each hook with its own endpoint, or use /vernemq for all");
        }
        String hook = header != null ? header : fromPath;
        if (hook == null) {
            throw new BadRequest("PDP_VERNEMQ_HOOK", "vernemq-hook", "no vernemq-hook header", "VerneMQ sends it on every webhook call; name the hook in the path otherwise");
        }
        return switch (hook) {
            case "auth_on_register" -> register(p, false);
            case "auth_on_register_m5" -> register(p, true);
            case "auth_on_publish" -> publish(p);
            case "auth_on_publish_m5" -> publish(p);
            case "auth_on_subscribe" -> subscribe(p, false);
            case "auth_on_subscribe_m5" -> subscribe(p, true);
            case "on_client_offline", "on_client_gone", "on_session_expired" -> gone(p);
            default -> throw new BadRequest("PDP_VERNEMQ_HOOK", "vernemq-hook", "hook " + Reply.clip(hook) + " is not served by Warden",
                    "register auth_on_register, auth_on_publish, auth_on_subscribe (and _m5), on_client_offline, on_client_gone");
        };
    }

    private ClientInfo client(Params p, Certs.Identity cert, boolean m5, boolean withAddress) {
        String id = p.required("client_id", "VerneMQ sends client_id on every hook");
        return clients.client(id, p.optional("username"), cert, withAddress ? p.optional("peer_addr") : "", m5 ? "5" : "",
                withAddress ? p.integer("listener_port", 0, 0, 65535) : 0);
    }

    private Reply register(Params p, boolean m5) {
        String der = p.optional("client_cert");
        Certs.Identity cert = der == null ? null : Certs.fromBase64Der("client_cert", der);
        ClientInfo c = client(p, cert, m5, true);
        Decision d = clients.connect(p.optional("mountpoint"), c).connectDecision();
        if (!d.allowed()) return notAllowed(d.explain());
        ObjectNode o = Params.JSON.createObjectNode();
        o.put("result", opts.onConnectPass == PdpServer.OnConnectPass.ALLOW ? "ok" : "next");
        return Reply.json(200, o, d.explain());
    }

    private Reply publish(Params p) {
        ClientInfo c = client(p, null, false, false);
        String topic = p.required("topic", "VerneMQ sends topic");
        int qos = p.integer("qos", opts.unknownQos, 0, 2);
        boolean retain = p.flag("retain", opts.unknownRetain);
        int size = payloadSize(p.optional("payload"));
        Session s = clients.session(p.optional("mountpoint"), c);
        Decision d = opts.enforcer.publish(s, topic, qos, retain, size);
        if (!d.allowed()) return notAllowed(Clients.explain(s, d));
        ObjectNode o = Params.JSON.createObjectNode();
        o.put("result", "ok");
        return Reply.json(200, o, d.explain());
    }

    private int payloadSize(String payload) {
        if (payload == null) return 0;
        if (!opts.vernemqBase64Payload) return payload.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        try {
            return Base64.getDecoder().decode(payload).length;
        } catch (IllegalArgumentException e) {
            throw new BadRequest("PDP_BAD_PAYLOAD", "payload", "field `payload` is not base64: " + e.getMessage(),
                    "VerneMQ base64-encodes payloads by default; if base64_payload is off, start the PDP with that setting");
        }
    }

    private Reply subscribe(Params p, boolean m5) {
        ClientInfo c = client(p, null, m5, false);
        JsonNode topics = p.node("topics");
        if (topics == null || !topics.isArray() || topics.isEmpty()) {
            throw new BadRequest("PDP_MISSING_FIELD", "topics", "field `topics` must be a non-empty array of {topic, qos}", "VerneMQ sends the subscription's topics");
        }
        Session s = clients.session(p.optional("mountpoint"), c);
        ArrayNode out = Params.JSON.createArrayNode();
        List<String> why = new ArrayList<>();
        boolean anyDenied = false;
        int i = 0;
        for (JsonNode t : topics) {
            if (!t.isObject() || !t.path("topic").isTextual()) {
                throw new BadRequest("PDP_BAD_FIELD", "topics[" + i + "]", "topics[" + i + "] must be an object with a string `topic`", "send {\"topic\": \"a/b\", \"qos\": 1}");
            }
            Params tp = Params.json(t.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String filter = t.get("topic").asText();
            int qos = tp.integer("qos", opts.unknownQos, 0, 2);
            Decision d = opts.enforcer.subscribe(s, filter, qos);
            ObjectNode r = out.addObject();
            r.put("topic", filter);
            if (d.allowed()) {
                r.put("qos", qos);
                if (m5) for (String k : new String[]{"no_local", "rap", "retain_handling"}) if (t.has(k)) r.set(k, t.get(k));
            } else {
                anyDenied = true;
                r.put("qos", m5 ? NOT_AUTHORIZED_V5 : SUB_FAILURE_V3);
                why.add(filter + ": " + Clients.explain(s, d));
            }
            i++;
        }
        ObjectNode o = Params.JSON.createObjectNode();
        o.put("result", "ok");
        if (anyDenied) {
            if (m5) o.putObject("modifiers").set("topics", out);
            else o.set("topics", out);
        }
        return Reply.json(200, o, anyDenied ? String.join("; ", why) : "allow subscribe: every filter is allowed");
    }

    private Reply gone(Params p) {
        sessions.gone(p.optional("mountpoint"), p.required("client_id", "VerneMQ sends client_id"));
        return Reply.json(200, Params.JSON.createObjectNode(), null);
    }

    private static Reply notAllowed(String why) {
        ObjectNode o = Params.JSON.createObjectNode();
        o.putObject("result").put("error", "not_allowed");
        return Reply.json(200, o, why);
    }
}
