package dev.warden.pdp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import dev.warden.eval.authz.ClientInfo;
import dev.warden.eval.authz.Decision;
import dev.warden.eval.authz.Enforcer;
import dev.warden.eval.authz.Session;

/**
 * The mosquitto-go-auth HTTP backend ({@code /go-auth/user}, {@code /go-auth/superuser}, {@code /go-auth/acl}),
 * params as JSON or form, answers for {@code http_response_mode status} and {@code json}: 200
 * {@code {"ok":true,"error":""}} to allow, 403 {@code {"ok":false,"error":"<why>"}} to deny; under
 * {@code /go-auth/text/...} for {@code http_response_mode text}: 200 {@code ok} / 403 with the reason. The superuser
 * check is always denied: a superuser skips every ACL check, which would bypass the policy.
 */
final class GoAuthContract {
    /** mosquitto's access values (MOSQ_ACL_READ, _WRITE, _SUBSCRIBE); 3 is read and write. */
    static final int READ = 1, WRITE = 2, SUBSCRIBE = 4;

    private final PdpServer.Options opts;
    private final Clients clients;

    GoAuthContract(PdpServer.Options opts, Clients clients) {
        this.opts = opts;
        this.clients = clients;
    }

    private ClientInfo client(Params p) {
        String id = p.required("clientid", "mosquitto-go-auth sends clientid; check that the request reaches the PDP unchanged");
        // go-auth sends neither the address nor the certificate: the IP is unknown here
        return clients.client(id, p.optional("username"), null, "", "", 0);
    }

    Reply user(String path, Params p, Headers h) {
        boolean text = path.startsWith("/go-auth/text/");
        ClientInfo c = client(p);
        Decision d = clients.connect("", c).connectDecision();
        if (!d.allowed()) return deny(text, d.explain());
        if (opts.onConnectPass == PdpServer.OnConnectPass.ALLOW) return allow(text, d.explain());
        return deny(text, "the client passes the connect rules, but Warden does not check passwords: another backend must authenticate it");
    }

    Reply superuser(String path, Params p, Headers h) {
        return deny(path.startsWith("/go-auth/text/"), "Warden grants no superuser: every operation is checked against the policy through the acl endpoint");
    }

    Reply acl(String path, Params p, Headers h) {
        boolean text = path.startsWith("/go-auth/text/");
        ClientInfo c = client(p);
        String topic = p.required("topic", "mosquitto-go-auth sends topic");
        int acc = p.integer("acc", -1, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (acc != READ && acc != WRITE && acc != (READ | WRITE) && acc != SUBSCRIBE) {
            return deny(text, "unknown access value acc=" + acc + " (1 read, 2 write, 3 read+write, 4 subscribe): denied");
        }
        Enforcer e = opts.enforcer;
        Session s = clients.session("", c);
        Decision d = null;
        if ((acc & WRITE) != 0) d = e.publish(s, topic, opts.unknownQos, opts.unknownRetain, 0);
        if ((acc & READ) != 0 && (d == null || d.allowed())) d = e.receive(s, topic);
        if (acc == SUBSCRIBE) d = e.subscribe(s, topic, opts.unknownQos);
        return d.allowed() ? allow(text, d.explain()) : deny(text, Clients.explain(s, d));
    }

    private static Reply allow(boolean text, String why) {
        if (text) return new Reply(200, "ok".getBytes(java.nio.charset.StandardCharsets.UTF_8), why, "text/plain; charset=utf-8");
        ObjectNode o = Params.JSON.createObjectNode();
        o.put("ok", true);
        o.put("error", "");
        return Reply.json(200, o, why);
    }

    private static Reply deny(boolean text, String why) {
        if (text) return new Reply(403, why.getBytes(java.nio.charset.StandardCharsets.UTF_8), why, "text/plain; charset=utf-8");
        ObjectNode o = Params.JSON.createObjectNode();
        o.put("ok", false);
        o.put("error", why);
        return Reply.json(403, o, why);
    }
}
