package dev.warden.pdp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import dev.warden.eval.authz.ClientInfo;
import dev.warden.eval.authz.Decision;
import dev.warden.eval.authz.Session;

import java.util.Locale;

/**
 * EMQX 5 HTTP authentication ({@code /emqx/authn}) and HTTP authorization ({@code /emqx/authz}). Answers are
 * always HTTP 200 with {@code {"result": "allow"|"deny"|"ignore"}}; authorization never answers {@code ignore}, so
 * a reachable PDP is fail-closed whatever {@code authorization.no_match} says.
 */
final class EmqxContract {
    private final PdpServer.Options opts;
    private final Clients clients;

    EmqxContract(PdpServer.Options opts, Clients clients) {
        this.opts = opts;
        this.clients = clients;
    }

    private ClientInfo client(Params p) {
        String id = p.required("clientid", "put \"clientid\": \"${clientid}\" in the EMQX request body");
        String cn = p.optional("cert_common_name", "undefined");
        if (cn == null) cn = Certs.cn(p.optional("cert_subject", "undefined"));
        Certs.Identity cert = cn == null ? null : new Certs.Identity(cn, java.util.List.of(), null);
        return clients.client(id, p.optional("username"), cert, p.optional("peerhost", "undefined"),
                Clients.protocol(p.optional("proto_ver", "undefined")), p.integer("listener_port", 0, 0, 65535));
    }

    Reply authenticate(String path, Params p, Headers h) {
        ClientInfo c = client(p);
        Session s = clients.connect("", c);
        Decision d = s.connectDecision();
        ObjectNode o = Params.JSON.createObjectNode();
        if (!d.allowed()) {
            o.put("result", "deny");
        } else if (opts.onConnectPass == PdpServer.OnConnectPass.ALLOW) {
            o.put("result", "allow");
            o.put("is_superuser", false);
        } else {
            o.put("result", "ignore");
        }
        return Reply.json(200, o, d.explain());
    }

    Reply authorize(String path, Params p, Headers h) {
        Decision d;
        String why;
        try {
            ClientInfo c = client(p);
            String topic = p.required("topic", "put \"topic\": \"${topic}\" in the EMQX request body");
            String action = p.required("action", "put \"action\": \"${action}\" in the EMQX request body").toLowerCase(Locale.ROOT);
            int qos = p.integer("qos", opts.unknownQos, 0, 2);
            Session s = clients.session("", c);
            switch (action) {
                case "publish" -> d = clients.options().enforcer.publish(s, topic, qos, p.flag("retain", opts.unknownRetain), 0);
                case "subscribe" -> d = clients.options().enforcer.subscribe(s, topic, qos);
                default -> {
                    return deny("unknown action \"" + Reply.clip(action) + "\" (expected publish or subscribe): denied");
                }
            }
            why = Clients.explain(s, d);
        } catch (BadRequest e) {
            // a misconfigured request template must not fall through to `no_match`: deny, and say why
            return deny("request cannot be evaluated, denied: " + e.getMessage() + (e.hint == null ? "" : " (" + e.hint + ")"));
        }
        ObjectNode o = Params.JSON.createObjectNode();
        o.put("result", d.allowed() ? "allow" : "deny");
        return Reply.json(200, o, why);
    }

    private static Reply deny(String why) {
        ObjectNode o = Params.JSON.createObjectNode();
        o.put("result", "deny");
        return Reply.json(200, o, why);
    }
}
