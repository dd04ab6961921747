package dev.warden.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The rule set and request mix shared by the runtime-authorization benchmarks, rendered for each engine: Warden
 * policy text, a jCasbin model plus policy lines, and a Moquette ACL file.
 *
 * <p>Rules come in tenant groups of ten (tenant {@code t<i>}): five templated publish grants, four subscribe grants
 * (two templated, two with {@code +}), one templated publish deny. Requests are publishes by {@link #CLIENTS}
 * clients, each belonging to one tenant: 90% to one of the client's own topics in its tenant (allowed), 10% to
 * another client's namespace in that client's tenant (denied by default). Everything is generated from a fixed seed.
 */
public final class AuthzWorkload {
    /** Connected clients (sessions) the requests are spread over. */
    public static final int CLIENTS = 1000;
    /** Pre-built requests, cycled through by the benchmarks; a power of two. */
    public static final int REQUESTS = 4096;
    /** Rules per tenant group. */
    public static final int GROUP = 10;

    /** One rule: {@code allow} or deny, action ({@code publish} or {@code subscribe}), MQTT pattern with {@code ${client.id}}. */
    public record Rule(boolean allow, String action, String pattern) {}

    /** The rules, in order. */
    public final List<Rule> rules;
    /** Client ids and user names by client number. */
    public final String[] clientIds = new String[CLIENTS], usernames = new String[CLIENTS];
    /** Per request: client number, topic, and whether every engine must allow it. */
    public final int[] requestClient = new int[REQUESTS];
    public final String[] requestTopic = new String[REQUESTS];
    public final boolean[] expectAllowed = new boolean[REQUESTS];

    /** A workload of {@code ruleCount} rules (a multiple of {@link #GROUP}). */
    public AuthzWorkload(int ruleCount) {
        if (ruleCount < GROUP || ruleCount % GROUP != 0) throw new IllegalArgumentException("rule count must be a multiple of " + GROUP + ": " + ruleCount);
        int tenants = ruleCount / GROUP;
        List<Rule> r = new ArrayList<>(ruleCount);
        for (int t = 0; t < tenants; t++) {
            String p = "t" + t + "/";
            r.add(new Rule(true, "publish", p + "devices/${client.id}/telemetry/#"));
            r.add(new Rule(true, "publish", p + "devices/${client.id}/state/+"));
            r.add(new Rule(true, "publish", p + "devices/${client.id}/events/#"));
            r.add(new Rule(true, "subscribe", p + "devices/${client.id}/commands/+"));
            r.add(new Rule(true, "subscribe", p + "devices/${client.id}/config/#"));
            r.add(new Rule(true, "subscribe", p + "broadcast/+"));
            r.add(new Rule(true, "publish", p + "sites/${client.id}/+/metrics"));
            r.add(new Rule(true, "subscribe", p + "sites/+/alerts/#"));
            r.add(new Rule(true, "publish", p + "devices/${client.id}/logs/+"));
            r.add(new Rule(false, "publish", p + "devices/${client.id}/telemetry/admin"));
        }
        rules = List.copyOf(r);
        for (int c = 0; c < CLIENTS; c++) {
            clientIds[c] = String.format(Locale.ROOT, "dev-%05d", c);
            usernames[c] = "user" + c;
        }
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < REQUESTS; i++) {
            int c = rnd.nextInt(CLIENTS);
            boolean allowed = rnd.nextInt(10) != 0;
            int o = allowed ? c : (c + 1 + rnd.nextInt(CLIENTS - 1)) % CLIENTS;
            String owner = clientIds[o];
            String p = "t" + tenantOf(o, tenants) + "/";
            String topic = switch (rnd.nextInt(5)) {
                case 0 -> p + "devices/" + owner + "/telemetry/temp";
                case 1 -> p + "devices/" + owner + "/state/online";
                case 2 -> p + "devices/" + owner + "/events/door/open";
                case 3 -> p + "sites/" + owner + "/line-" + rnd.nextInt(8) + "/metrics";
                default -> p + "devices/" + owner + "/logs/boot";
            };
            requestClient[i] = c;
            requestTopic[i] = topic;
            expectAllowed[i] = allowed;
        }
    }

    /**
     * The tenant client {@code c} belongs to: {@code c * tenants / CLIENTS}, so the clients are spread evenly over the
     * whole rule set (first, middle and last tenant groups alike) at every size.
     */
    static int tenantOf(int c, int tenants) {
        return (int) ((long) c * tenants / CLIENTS);
    }

    /** The Warden policy: one {@code authorize} block with every rule, default deny, no limits. */
    public String wardenPolicy() { return wardenPolicy(0, rules.size()); }

    /** The Warden policy with rules {@code from} (inclusive) to {@code to} (exclusive) only. */
    public String wardenPolicy(int from, int to) {
        StringBuilder b = new StringBuilder((to - from) * 64);
        b.append("authorize bench \"generated: ").append(rules.size()).append(" rules\" {\n  default deny\n");
        for (Rule r : rules.subList(from, to)) {
            b.append("  ").append(r.allow() ? "allow " : "deny  ").append(r.action()).append(" \"").append(r.pattern()).append("\"\n");
        }
        return b.append("}\n").toString();
    }

    /**
     * The jCasbin model. A rule is {@code p, <action>, <keyMatch2 pattern>, allow|deny}; the client template is a
     * named key ({@code :cid}) that {@code keyMatch2} matches as one level and {@code keyGet2} binds, compared
     * with the requesting client id. Deny wins over allow (Casbin's allow-and-deny effect).
     */
    public static final String CASBIN_MODEL = """
            [request_definition]
            r = sub, obj, act

            [policy_definition]
            p = act, obj, eft

            [policy_effect]
            e = some(where (p.eft == allow)) && !some(where (p.eft == deny))

            [matchers]
            m = r.act == p.act && keyMatch2(r.obj, p.obj) && keyGet2(r.obj, p.obj, "cid") == r.sub
            """;

    /** The rules as jCasbin policy lines {@code [act, obj, eft]}. */
    public List<List<String>> casbinPolicies() {
        List<List<String>> out = new ArrayList<>(rules.size());
        for (Rule r : rules) out.add(List.of(r.action(), casbinPattern(r.pattern()), r.allow() ? "allow" : "deny"));
        return out;
    }

    /** MQTT pattern to keyMatch2: {@code ${client.id}} to {@code :cid}, {@code +} to a named key, {@code /#} to {@code /*}. */
    static String casbinPattern(String mqtt) {
        String[] levels = mqtt.split("/", -1);
        StringBuilder b = new StringBuilder();
        int plus = 0;
        for (int i = 0; i < levels.length; i++) {
            if (i > 0) b.append('/');
            String l = levels[i];
            b.append(switch (l) {
                case "${client.id}" -> ":cid";
                case "+" -> ":any" + plus++;
                case "#" -> "*";
                default -> l;
            });
        }
        return b.toString();
    }

    /**
     * The rules as a Moquette ACL file: {@code pattern write} for publish grants, {@code pattern read} for subscribe
     * grants, {@code %c} for the client id. Moquette ACLs have no deny, so deny rules are left out (the request mix
     * never touches them).
     */
    public String moquetteAcl() {
        StringBuilder b = new StringBuilder(rules.size() * 48);
        b.append("# generated: ").append(rules.size()).append(" rules\n");
        for (Rule r : rules) {
            if (!r.allow()) continue;
            b.append("pattern ").append(r.action().equals("publish") ? "write " : "read ").append(r.pattern().replace("${client.id}", "%c")).append('\n');
        }
        return b.toString();
    }
}
