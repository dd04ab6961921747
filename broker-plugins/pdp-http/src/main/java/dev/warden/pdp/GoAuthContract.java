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
 * {@code {"ok":true,"error":""}} to allow, 403 {@code {"ok":false,"error":"<why>"}} to deny. The superuser check is
 * always denied: a superuser skips every ACL check, which would bypass the policy.
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
        ClientInfo c = client(p);
        Decision d = clients.connect("", c).connectDecision();
        if (!d.allowed()) return deny(d.explain());
        if (opts.onConnectPass == PdpServer.OnConnectPass.ALLOW) return allow(d.explain());
        return deny("the client passes the connect rules, but Warden does not check passwords: another backend must authenticate it");
    }

    Reply superuser(String path, Params p, Headers h) {
        return deny("Warden grants no superuser: every operation is checked against the policy through the acl endpoint");
    }

    Reply acl(String path, Params p, Headers h) {
        ClientInfo c = client(p);
        String topic = p.required("topic", "mosquitto-go-auth sends topic");
        int acc = p.integer("acc", -1, Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (acc != READ && acc != WRITE && acc != (READ | WRITE) && acc != SUBSCRIBE) {
            return deny("unknown access value acc=" + acc + " (1 read, 2 write, 3 read+write, 4 subscribe): denied");
        }
        Enforcer e = opts.enforcer;
        Session s = clients.session("", c);
        Decision d = null;
        if ((acc & WRITE) != 0) d = e.publish(s, topic, opts.unknownQos, opts.unknownRetain, 0);
        if ((acc & READ) != 0 && (d == null || d.allowed())) d = e.receive(s, topic);
        if (acc == SUBSCRIBE) d = e.subscribe(s, topic, opts.unknownQos);
        return d.allowed() ? allow(d.explain()) : deny(Clients.explain(s, d));
    }

    private static Reply allow(String why) {
        ObjectNode o = Params.JSON.createObjectNode();
        o.put("ok", true);
        o.put("error", "");
        return Reply.json(200, o, why);
    }

    private static Reply deny(String why) {
        ObjectNode o = Params.JSON.createObjectNode();
        o.put("ok", false);
        o.put("error", why);
        return Reply.json(403, o, why);
    }
}
