package dev.warden.mosquitto.target;

import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.dsl.ir.AuthzPolicy.Action;
import dev.warden.dsl.ir.AuthzPolicy.Rule;
import dev.warden.dsl.ir.Node;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.model.fact.Value;
import dev.warden.model.types.TopicFilter;
import dev.warden.mosquitto.target.MosquittoTarget.Options;
import dev.warden.mosquitto.target.MosquittoTarget.Result;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One run of the mosquitto target over one policy: rules to ACL lines, limits and connect rules to settings, the rest to diagnostics. */
final class Compilation {
    /** Room {@code max_packet_size} leaves above the payload: fixed header (5), topic length and topic (2 + 65535), packet id (2), properties. */
    static final long PROPERTIES_ALLOWANCE = 4096;
    static final long PACKET_OVERHEAD = 5 + 2 + 65535 + 2 + PROPERTIES_ALLOWANCE;
    /** The largest MQTT packet: 268435455 bytes of remaining length plus a 5-byte fixed header. */
    static final long MAX_MQTT_PACKET = 268_435_455L + 5;

    private final AuthzPolicy p;
    private final Options o;
    private final List<Diagnostic> diags = new ArrayList<>();

    /** A generated ACL line and the comment naming the rule it came from. */
    private record Line(String comment, String text) {}

    /** Who a rule applies to. */
    private sealed interface Audience permits All, Users, Unexpressible {}

    private record All() implements Audience {}

    private record Users(List<String> names) implements Audience {}

    private record Unexpressible(String why) implements Audience {}

    /** A topic rendered for one ACL scope: {@code exact} when expressible, else {@code problem} and a {@code widened} form (problem levels as {@code +}). */
    private record Rendered(String exact, String problem, String widened) {}

    private final List<Line> patternDenies = new ArrayList<>();
    private final List<Line> patternAllows = new ArrayList<>();
    private final Map<String, List<Line>> userDenies = new LinkedHashMap<>();
    private final Map<String, List<Line>> userAllows = new LinkedHashMap<>();
    private final List<Rule> globalDenies = new ArrayList<>();
    private final List<Rule> emittedAllows = new ArrayList<>();
    private boolean patternVariables;
    private boolean usernameAsClientId;

    Compilation(AuthzPolicy p, Options o) {
        this.p = p;
        this.o = o;
    }

    Result run() {
        for (Rule r : p.rules()) {
            if (r.allow()) allow(r);
            else deny(r);
        }
        for (String u : users()) {
            for (Rule g : globalDenies) {
                Rendered t = render(g.pattern(), u);
                if (t.exact() == null) {
                    diags.add(info(Codes.DENY_WIDENED, g.origin(), "for user `" + u + "`, `" + one(g.source()) + "` is emitted as `topic deny "
                                    + t.widened() + "`: " + t.problem(),
                            "mosquitto checks a user's `topic` lines before any `pattern` line, so every deny is repeated under each `user`"));
                }
                userDenies.get(u).add(new Line(comment(g) + " (repeated for user " + u + ")", "topic deny " + (t.exact() != null ? t.exact() : t.widened())));
            }
        }
        subscribeSemantics();
        denyDirections();
        int maxQos = qosAndRetain();
        boolean retainOff = retainAvailable();
        for (AuthzPolicy.ConnectRule c : p.connectRules()) connect(c, c.condition(), c.forbid());
        if (!authenticationRequired && !o.cnIsUsername()) {
            diags.add(info(Codes.ANONYMOUS_REFUSED, p.origin(), "mosquitto refuses clients without a user name (`allow_anonymous false` is always generated); "
                            + "this policy admits them",
                    "state it in the policy with `connect require client.username is set`, or give those clients user names in the password file"));
        }
        limits();
        if (patternVariables && !(o.cnIsUsername() && usernameAsClientId)) {
            diags.add(Diagnostic.warning(Codes.VARIABLE_SPANS_LEVELS, p.origin(),
                    "mosquitto 2.0 substitutes `%c` and `%u` as text, so a client id or username containing `/` reaches deeper levels of another client's namespace",
                    "mosquitto refuses ACL access only to ids containing `+` or `#`; bind identities to certificates "
                            + "(use_identity_as_username, and `connect require client.cert.cn == client.id`) or check ids in an auth plugin"));
        }
        List<Diagnostic> sorted = new ArrayList<>(diags);
        sorted.sort(Diagnostic.ORDER);
        return new Result(o.aclFile(), acl(), conf(maxQos, retainOff), sorted);
    }

    // ---- topic rules ----------------------------------------------------------------------------------------------

    private void allow(Rule r) {
        String access = r.action() == Action.PUBLISH ? "write" : "read";
        Audience a = audience(r.when());
        if (a instanceof Unexpressible u) {
            diags.add(Diagnostic.warning(Codes.CONDITION, r.origin(), "`" + one(r.source()) + "` is left out: " + u.why(),
                    "mosquitto can select clients only by username (`user <name>`); until this rule is enforced by an auth plugin, no client gets this access"));
            return;
        }
        boolean emitted = false;
        if (a instanceof All) {
            Rendered t = render(r.pattern(), null);
            if (t.exact() == null) {
                diags.add(Diagnostic.warning(Codes.TOPIC, r.origin(), "`" + one(r.source()) + "` is left out: " + t.problem(),
                        "no client gets this access from mosquitto; " + topicHelp(t.problem())));
                return;
            }
            patternAllows.add(new Line(comment(r), "pattern " + access + " " + t.exact()));
            emitted = true;
        } else if (a instanceof Users us) {
            for (String u : us.names()) {
                Rendered t = render(r.pattern(), u);
                if (t.exact() == null) {
                    diags.add(Diagnostic.warning(Codes.TOPIC, r.origin(), "`" + one(r.source()) + "` is left out for user `" + u + "`: " + t.problem(),
                            "topic lines under `user` substitute nothing; " + topicHelp(t.problem())));
                    continue;
                }
                user(u);
                userAllows.get(u).add(new Line(comment(r), "topic " + access + " " + t.exact()));
                emitted = true;
            }
        }
        if (!emitted) return;
        emittedAllows.add(r);
        if (r.action() == Action.RECEIVE) {
            diags.add(Diagnostic.warning(Codes.RECEIVE, r.origin(),
                    "mosquitto grants `read` for `" + one(r.source()) + "`, so the client may also subscribe to these topics itself",
                    "mosquitto has no delivery-only grant; use `allow subscribe` if that is intended, or enforce `receive` with an auth plugin"));
        }
    }

    private void deny(Rule r) {
        Audience a = audience(r.when());
        if (a instanceof Unexpressible u) {
            diags.add(info(Codes.DENY_WIDENED, r.origin(), "`" + one(r.source()) + "` applies to every client: " + u.why(),
                    "a deny that cannot be limited to its clients is applied to all of them (fail closed)"));
            a = new All();
        }
        if (a instanceof All) {
            Rendered t = render(r.pattern(), null);
            if (t.exact() == null) {
                diags.add(info(Codes.DENY_WIDENED, r.origin(), "`" + one(r.source()) + "` is emitted as `pattern deny " + t.widened() + "`: " + t.problem(),
                        "the deny covers more topics than written (fail closed)"));
            }
            patternDenies.add(new Line(comment(r), "pattern deny " + (t.exact() != null ? t.exact() : t.widened())));
            globalDenies.add(r);
        } else if (a instanceof Users us) {
            for (String u : us.names()) {
                Rendered t = render(r.pattern(), u);
                if (t.exact() == null) {
                    diags.add(info(Codes.DENY_WIDENED, r.origin(), "for user `" + u + "`, `" + one(r.source()) + "` is emitted as `topic deny " + t.widened() + "`: " + t.problem(),
                            "the deny covers more topics than written (fail closed)"));
                }
                user(u);
                userDenies.get(u).add(new Line(comment(r), "topic deny " + (t.exact() != null ? t.exact() : t.widened())));
            }
        }
    }

    private void subscribeSemantics() {
        for (Rule r : p.rules()) {
            if (r.action() == Action.PUBLISH) continue;
            if (!r.allow()) {
                diags.add(info(Codes.SUBSCRIBE, r.origin(), "mosquitto accepts subscriptions overlapping `" + r.pattern() + "` and withholds only the messages on matching topics",
                        "the acl_file never refuses a SUBSCRIBE; Warden's engine refuses the whole subscription"));
            } else if (r.action() == Action.SUBSCRIBE && emittedAllows.contains(r)) {
                diags.add(info(Codes.SUBSCRIBE, r.origin(), "mosquitto accepts any SUBSCRIBE and delivers only messages on topics matching `" + r.pattern() + "`",
                        "a subscription outside the grant gets a successful SUBACK but no messages; Warden's engine refuses it"));
            }
        }
    }

    private void denyDirections() {
        for (Rule d : p.rules()) {
            if (d.allow()) continue;
            for (Rule a : emittedAllows) {
                boolean otherDirection = d.action() == Action.PUBLISH ? a.action() != Action.PUBLISH : a.action() == Action.PUBLISH;
                if (otherDirection && a.pattern().overlaps(d.pattern())) {
                    diags.add(info(Codes.DENY_BOTH, d.origin(), "mosquitto's `deny` also blocks " + (d.action() == Action.PUBLISH ? "receiving" : "publishing")
                                    + " topics matching `" + d.pattern() + "`, which `" + one(a.source()) + "` (" + a.origin().display() + ") allows",
                            "an acl_file deny has no direction; split the topics if both directions must differ"));
                    break;
                }
            }
        }
    }

    /** Sets the listener's {@code max_qos} when every emitted grant stays below 2; reports per-rule ranges it cannot express. */
    private int qosAndRetain() {
        // `qos` does not apply to `receive` rules
        List<Rule> graded = emittedAllows.stream().filter(r -> r.action() != Action.RECEIVE).toList();
        if (graded.isEmpty()) return 2;
        int max = 0;
        for (Rule r : graded) max = Math.max(max, r.qosMax());
        for (Rule r : graded) {
            if (r.qosMin() > 0 || r.qosMax() < max) {
                diags.add(Diagnostic.warning(Codes.QOS, r.origin(), "mosquitto cannot restrict qos per topic: `" + one(r.source()) + "` also admits qos 0.." + max,
                        max < 2 ? "the listener's `max_qos " + max + "` bounds every client; narrower ranges need an auth plugin"
                                : "mosquitto bounds qos per listener only (`max_qos`), and other rules allow qos 2"));
            }
        }
        if (max < 2) {
            diags.add(info(Codes.DISCONNECTS, p.origin(), "`max_qos " + max + "`: a client publishing with a higher qos is disconnected, and subscriptions are granted at qos " + max + " at most",
                    "Warden's engine refuses only the offending publish or subscription"));
        }
        return max;
    }

    private boolean retainAvailable() {
        List<Rule> pubs = emittedAllows.stream().filter(r -> r.action() == Action.PUBLISH).toList();
        boolean allOff = !pubs.isEmpty() && pubs.stream().allMatch(r -> r.retain().equals(Optional.of(false)));
        if (allOff) {
            diags.add(info(Codes.DISCONNECTS, pubs.get(0).origin(), "`retain_available false`: no publish rule allows retain, and a client that publishes a retained message is disconnected",
                    "Warden's engine refuses only the retained publish"));
            return true;
        }
        for (Rule r : pubs) {
            if (r.retain().equals(Optional.of(false))) {
                diags.add(Diagnostic.warning(Codes.RETAIN, r.origin(), "mosquitto cannot refuse retained messages per topic: `" + one(r.source()) + "` also admits retain",
                        "`retain_available false` is global and other publish rules allow retain; enforce it with an auth plugin"));
            }
        }
        return false;
    }

    // ---- connect rules --------------------------------------------------------------------------------------------

    private void connect(AuthzPolicy.ConnectRule c, Node n, boolean forbid) {
        if (n instanceof Node.Logic l && l.and() != forbid) {
            // require a and b = require a, require b; forbid a or b = forbid a, forbid b
            connect(c, l.left(), forbid);
            connect(c, l.right(), forbid);
            return;
        }
        String word = forbid ? "forbid" : "require";
        String text = "connect " + word + " " + one(c.source());
        if (!forbid && n instanceof Node.Compare cmp && cmp.op() == Node.Op.EQ
                && Set.of("client.cert.cn", "client.id").equals(Set.of(String.valueOf(path(cmp.left())), String.valueOf(path(cmp.right()))))) {
            if (o.cnIsUsername()) {
                usernameAsClientId = true;
                diags.add(info(Codes.CONNECT_REWRITTEN, c.origin(), "`" + text + "` is enforced by `use_username_as_clientid true`: mosquitto replaces the client id by the certificate CN instead of refusing a mismatch",
                        "a client that sends another id is connected under its CN and may take over the session of that id"));
            } else {
                diags.add(Diagnostic.warning(Codes.CONNECT, c.origin(), "mosquitto cannot check `" + text + "`: clients it refuses are admitted",
                        "use a TLS listener with require_certificate and use_identity_as_username; then the CN becomes the client id"));
            }
            return;
        }
        if (needsCertificate(n, forbid)) {
            if (o.tls() == null || !o.tls().requireCertificate()) {
                diags.add(Diagnostic.warning(Codes.CONNECT, c.origin(), "mosquitto cannot check `" + text + "` on a listener without require_certificate: clients without a certificate are admitted",
                        "generate a TLS listener with `requireCertificate`"));
            }
            return;
        }
        if (needsAuthentication(n, forbid)) { // `allow_anonymous false` is always generated
            authenticationRequired = true;
            return;
        }
        String help = "enforce it in an authentication plugin (e.g. Warden's pdp-http adapter behind mosquitto-go-auth) or remove it from the policy";
        if (forbid && n instanceof Node.Relation rel && rel.rel() == Node.Rel.MATCHES && "client.id".equals(path(rel.left()))) {
            help = "mosquitto does not refuse such clients; with `pattern` lines it only denies all topic access to client ids containing `+` or `#`; " + help;
        }
        diags.add(Diagnostic.warning(Codes.CONNECT, c.origin(), "mosquitto cannot check `" + text + "`: clients it refuses are admitted", help));
    }

    private static boolean needsCertificate(Node n, boolean forbid) {
        if (n instanceof Node.Is is && is.test() == Node.Test.SET && is.negated() == forbid && "client.cert.cn".equals(path(is.operand()))) return true;
        return n instanceof Node.Compare cmp && cmp.op() == (forbid ? Node.Op.NE : Node.Op.EQ) && "certificate".equals(comparedTo(cmp, "client.auth"));
    }

    /** Whether a connect rule requires a user name (or a non-anonymous login), as `allow_anonymous false` does. */
    private boolean authenticationRequired;

    private static boolean needsAuthentication(Node n, boolean forbid) {
        if (n instanceof Node.Is is && is.test() == Node.Test.SET && is.negated() == forbid && "client.username".equals(path(is.operand()))) return true;
        return n instanceof Node.Compare cmp && cmp.op() == (forbid ? Node.Op.EQ : Node.Op.NE) && "anonymous".equals(comparedTo(cmp, "client.auth"));
    }

    // ---- limits ---------------------------------------------------------------------------------------------------

    private long payload = -1;
    private long packet = -1;

    private void limits() {
        AuthzPolicy.Limits l = p.limits();
        if (l.payloadBytes().isPresent()) {
            long written = l.payloadBytes().get();
            // mosquitto reads `message_size_limit 0` as "no limit": the tightest bound it can express is 1 byte
            payload = Math.max(written, 1);
            packet = Math.min(Math.max(payload + PACKET_OVERHEAD, 20), MAX_MQTT_PACKET);
            Origin at = l.payloadOrigin().orElse(p.origin());
            if (written == 0) {
                diags.add(Diagnostic.warning(Codes.PAYLOAD, at, "`limit payload 0` is emitted as `message_size_limit 1`: mosquitto reads 0 as no limit, so 1-byte payloads are also accepted",
                        "enforce empty-only payloads with an auth plugin"));
            }
            diags.add(Diagnostic.warning(Codes.PAYLOAD, at,
                    "payload limit " + payload + " bytes: `message_size_limit " + payload + "` bounds the payload exactly (global; an over-limit message is dropped: "
                            + "MQTT 5 qos 1/2 publishers get reason code 0x95 packet too large, MQTT 3.1.1 publishers are not told); `max_packet_size " + packet + "` bounds whole packets",
                    "max_packet_size counts the whole packet, not the payload: it is the payload limit plus 5 (fixed header) + 65537 (topic) + 2 (packet id) + "
                            + PROPERTIES_ALLOWANCE + " (MQTT 5 properties); a client sending a larger packet is disconnected"));
        }
        rate(l.publishPerClient(), "limit publish per client");
        rate(l.bytesPerClient(), "limit bytes per client");
        rate(l.publishPerIp(), "limit publish per ip");
        rate(l.bytesPerIp(), "limit bytes per ip");
        if (l.connectionsPerIp().isPresent()) {
            diags.add(Diagnostic.warning(Codes.CONNECTION_LIMIT, l.connectionsOrigin().orElse(p.origin()),
                    "mosquitto cannot limit connections per ip (`limit connections per ip " + l.connectionsPerIp().get() + "`)",
                    "mosquitto has only per-listener `max_connections`" + (o.maxConnections() == null ? " (not set: pass a maximum in the options)" : " (set to " + o.maxConnections() + ")")
                            + "; limit per address in the firewall, e.g. iptables `-m connlimit --connlimit-above " + l.connectionsPerIp().get() + "`"));
        }
    }

    private void rate(Optional<AuthzPolicy.Rate> r, String what) {
        if (r.isEmpty()) return;
        AuthzPolicy.Rate rate = r.get();
        diags.add(Diagnostic.warning(Codes.RATE_LIMIT, rate.origin().kind() == Origin.Kind.NONE ? p.origin() : rate.origin(),
                "mosquitto has no rate limits: `" + what + "` (" + fmt(rate.perSecond()) + "/s, burst " + rate.burst() + ") is not enforced",
                "enforce it with an auth plugin or a proxy in front of mosquitto; `max_inflight_messages` and `max_queued_messages` bound queues, not rates"));
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : String.format(java.util.Locale.ROOT, "%.3f", d);
    }

    // ---- conditions and topics ------------------------------------------------------------------------------------

    private Audience audience(Optional<Node> when) {
        if (when.isEmpty()) return new All();
        Node n = when.get();
        Set<String> fields = new LinkedHashSet<>();
        collectPaths(n, fields);
        String field = o.cnIsUsername() ? "client.cert.cn" : "client.username";
        if (o.cnIsUsername() && fields.contains("client.username")) {
            return new Unexpressible("with use_identity_as_username mosquitto replaces the MQTT username by the certificate CN");
        }
        List<String> names = usernames(n, field);
        if (names == null) {
            return new Unexpressible("mosquitto cannot evaluate this `when` condition (only `" + field + " == \"name\"`, `or` of those, and `in [...]` map to `user` blocks)");
        }
        for (String u : names) {
            if (u.isEmpty() || !u.equals(u.strip()) || u.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                return new Unexpressible("user name `" + u + "` cannot be written on an acl_file `user` line");
            }
        }
        return new Users(names);
    }

    private static List<String> usernames(Node n, String field) {
        if (n instanceof Node.Compare c && c.op() == Node.Op.EQ) {
            String v = comparedTo(c, field);
            return v == null ? null : List.of(v);
        }
        if (n instanceof Node.Logic l && !l.and()) {
            List<String> a = usernames(l.left(), field), b = usernames(l.right(), field);
            if (a == null || b == null) return null;
            LinkedHashSet<String> s = new LinkedHashSet<>(a);
            s.addAll(b);
            return List.copyOf(s);
        }
        if (n instanceof Node.Relation r && r.rel() == Node.Rel.IN && field.equals(path(r.left()))) {
            List<String> out = new ArrayList<>();
            if (r.right() instanceof Node.ListOf lo) {
                for (Node i : lo.items()) {
                    if (!(i instanceof Node.Const k && k.value() instanceof Value.Str s)) return null;
                    out.add(s.v());
                }
                return out;
            }
            if (r.right() instanceof Node.Const k && k.value() instanceof Value.Items items) {
                for (Value i : items.items()) {
                    if (!(i instanceof Value.Str s)) return null;
                    out.add(s.v());
                }
                return out;
            }
        }
        return null;
    }

    /** The string constant {@code field} is compared with, or null. */
    private static String comparedTo(Node.Compare c, String field) {
        if (field.equals(path(c.left())) && c.right() instanceof Node.Const k && k.value() instanceof Value.Str s) return s.v();
        if (field.equals(path(c.right())) && c.left() instanceof Node.Const k && k.value() instanceof Value.Str s) return s.v();
        return null;
    }

    /** {@code client.cert.cn} for the node of that expression, else null. */
    static String path(Node n) {
        if (n instanceof Node.Root r) return r.name();
        if (n instanceof Node.Field f) {
            String t = path(f.target());
            return t == null ? null : t + "." + f.name();
        }
        return null;
    }

    private static void collectPaths(Node n, Set<String> out) {
        String p = path(n);
        if (p != null) { out.add(p); return; }
        if (n instanceof Node.Compare c) { collectPaths(c.left(), out); collectPaths(c.right(), out); }
        else if (n instanceof Node.Logic l) { collectPaths(l.left(), out); collectPaths(l.right(), out); }
        else if (n instanceof Node.Not x) collectPaths(x.operand(), out);
        else if (n instanceof Node.Relation r) { collectPaths(r.left(), out); collectPaths(r.right(), out); }
        else if (n instanceof Node.Is i) collectPaths(i.operand(), out);
        else if (n instanceof Node.Call c) c.args().forEach(a -> collectPaths(a, out));
        else if (n instanceof Node.Convert c) collectPaths(c.operand(), out);
    }

    /**
     * Renders a filter for a {@code pattern} line ({@code user} null) or a {@code topic} line under {@code user}. Variables must be whole
     * levels: mosquitto 2.1 substitutes only whole-level {@code %c}/{@code %u}, and topic lines substitute nothing.
     */
    private Rendered render(TopicFilter f, String user) {
        List<String> exact = new ArrayList<>(), wide = new ArrayList<>();
        String problem = null;
        boolean vars = false;
        for (TopicFilter.Level l : f.levels()) {
            String level;
            String why = null;
            if (l instanceof TopicFilter.Plus) level = "+";
            else if (l instanceof TopicFilter.Hash) level = "#";
            else {
                TopicFilter.Lit lit = (TopicFilter.Lit) l;
                if (lit.isPlain()) {
                    level = lit.text();
                    if (user == null && (level.contains("%c") || level.contains("%u"))) why = "the level `" + level + "` contains `%c` or `%u`, which mosquitto would substitute in a pattern line";
                    else if (level.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) why = "the level contains a control character, which an acl_file line cannot hold";
                } else if (lit.parts().size() != 1) {
                    level = null;
                    why = "the level `" + lit.text() + "` mixes a variable with text; mosquitto substitutes only whole levels";
                } else {
                    String var = ((TopicFilter.Var) lit.parts().get(0)).name();
                    String[] r = variable(var, user);
                    level = r[0];
                    why = r[1];
                    if (level != null && user == null) vars = true;
                }
            }
            if (why != null && problem == null) problem = why;
            exact.add(why == null ? level : null);
            wide.add(why == null ? level : "+");
        }
        String wideText = String.join("/", wide);
        if (problem == null) {
            String text = String.join("/", exact);
            if (!text.equals(text.strip())) {
                return new Rendered(null, "the topic starts or ends with a blank, which mosquitto trims from acl_file lines", wideText.strip().isEmpty() ? "+" : wideText);
            }
            if (vars) patternVariables = true;
            return new Rendered(text, null, text);
        }
        return new Rendered(null, problem, wideText);
    }

    /** {text, null} or {null, why} for a whole-level variable. */
    private String[] variable(String var, String user) {
        boolean cn = o.cnIsUsername();
        switch (var) {
            case "client.id" -> {
                return user == null ? new String[] {"%c", null} : new String[] {null, "`${client.id}` cannot be used under `user` (topic lines substitute nothing)"};
            }
            case "username" -> {
                if (cn) return new String[] {null, "with use_identity_as_username mosquitto replaces the MQTT username by the certificate CN, so `${username}` is unavailable"};
                return user == null ? new String[] {"%u", null} : literal(user, var);
            }
            case "cert.cn" -> {
                if (!cn) return new String[] {null, "mosquitto knows the certificate CN only as the username (`use_identity_as_username` on a `require_certificate` listener)"};
                return user == null ? new String[] {"%u", null} : literal(user, var);
            }
            default -> {
                return new String[] {null, "mosquitto has no value for `${" + var + "}`"};
            }
        }
    }

    private static String[] literal(String user, String var) {
        if (user.contains("/") || user.contains("+") || user.contains("#")) {
            return new String[] {null, "user name `" + user + "` contains `/`, `+` or `#`, so `${" + var + "}` never matches a level"};
        }
        return new String[] {user, null};
    }

    private static String topicHelp(String problem) {
        if (problem.contains("use_identity_as_username")) return "generate a TLS listener with require_certificate and use_identity_as_username";
        return "rewrite the pattern with whole-level variables, or enforce it with an auth plugin";
    }

    private void user(String u) {
        userDenies.computeIfAbsent(u, k -> new ArrayList<>());
        userAllows.computeIfAbsent(u, k -> new ArrayList<>());
    }

    private Set<String> users() { return userDenies.keySet(); }

    // ---- output ---------------------------------------------------------------------------------------------------

    private String header(String what) {
        return "# " + what + " generated by Warden from authorize `" + p.name() + "` (" + p.origin().display() + "); regenerate it instead of editing\n";
    }

    private String acl() {
        StringBuilder b = new StringBuilder(header("acl_file"));
        b.append("# mosquitto checks a user's `topic` lines first, then the `pattern` lines; deny lines first in each list\n");
        if (patternDenies.isEmpty() && patternAllows.isEmpty() && users().isEmpty()) b.append("# no grants: every publish and delivery is denied\n");
        for (Line l : patternDenies) b.append('\n').append(l.comment()).append('\n').append(l.text()).append('\n');
        for (Line l : patternAllows) b.append('\n').append(l.comment()).append('\n').append(l.text()).append('\n');
        for (String u : users()) {
            b.append("\nuser ").append(u).append('\n');
            for (Line l : userDenies.get(u)) b.append(l.comment()).append('\n').append(l.text()).append('\n');
            for (Line l : userAllows.get(u)) b.append(l.comment()).append('\n').append(l.text()).append('\n');
        }
        return b.toString();
    }

    private String conf(int maxQos, boolean retainOff) {
        StringBuilder b = new StringBuilder(header("mosquitto.conf"));
        b.append("# for mosquitto 2.0; what mosquitto cannot enforce is reported by `warden compile --target mosquitto`\n");
        b.append("per_listener_settings false\n");
        b.append("allow_anonymous false\n");
        if (o.passwordFile() != null) b.append("password_file ").append(o.passwordFile()).append('\n');
        b.append("acl_file ").append(o.aclFile()).append('\n');
        if (payload >= 0) {
            b.append("message_size_limit ").append(payload).append('\n');
            b.append("max_packet_size ").append(packet).append('\n');
        }
        if (retainOff) b.append("retain_available false\n");
        b.append("\nlistener ").append(o.port());
        if (o.bindAddress() != null) b.append(' ').append(o.bindAddress());
        b.append('\n');
        MosquittoTarget.Tls t = o.tls();
        if (t != null) {
            b.append("certfile ").append(t.certfile()).append('\n');
            b.append("keyfile ").append(t.keyfile()).append('\n');
            if (t.cafile() != null) b.append("cafile ").append(t.cafile()).append('\n');
            if (t.requireCertificate()) b.append("require_certificate true\n");
            if (t.useIdentityAsUsername()) b.append("use_identity_as_username true\n");
            b.append("tls_version ").append(t.tlsVersion() == null ? "tlsv1.2" : t.tlsVersion()).append('\n');
        }
        if (usernameAsClientId) b.append("use_username_as_clientid true\n");
        if (o.maxConnections() != null) b.append("max_connections ").append(o.maxConnections()).append('\n');
        if (maxQos < 2) b.append("max_qos ").append(maxQos).append('\n');
        return b.toString();
    }

    private static String comment(Rule r) { return "# " + r.origin().display() + ": " + one(r.source()); }

    private static String one(String s) { return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip(); }

    private static Diagnostic info(String code, Origin at, String message, String help) {
        return new Diagnostic(Diagnostic.Level.INFO, code, at, 1, message, help);
    }
}
