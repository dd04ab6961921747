package dev.warden.eval.authz;

import dev.warden.dsl.PolicyCompiler;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Seeded random {@code authorize} policies with the clients, topics and filters to try against them: the "hidden rule
 * set" generator for differential tests that run a broker adapter and the engine side by side. Only policies that
 * compile without errors are returned. Vocabulary: literal levels {@code a}, {@code b}, client ids {@code d1},
 * {@code d2}, user names {@code ops}, {@code u1}; patterns with {@code +}, {@code #}, {@code ${client.id}},
 * {@code ${username}}, empty levels and {@code $}-topics; QoS ranges, {@code retain false}, {@code when} conditions on
 * the user name; publish, subscribe and receive rules, allow and deny. Topic names and filters are never empty (no
 * MQTT client can send one).
 */
public final class RandomPolicies {
    private RandomPolicies() {}

    /** One client to connect: id and user name (null: none). */
    public record Client(String id, String username) {}

    /** A generated case set: the policy text, and the clients, topic names and topic filters to try. */
    public record Generated(long seed, String text, List<Client> clients, List<String> topics, List<String> filters) {}

    /** Which actions the policy may use (an adapter that cannot express receive rules leaves them out). */
    public enum Actions { PUBLISH_SUBSCRIBE, ALL }

    static final String[] IDS = {"d1", "d2"};
    static final String[] USERS = {"ops", "u1"};

    /** A compiling policy for {@code seed} (the seed is advanced internally until the policy compiles). */
    public static Generated generate(long seed, Actions actions, int topicCount, int filterCount) {
        SplittableRandom r = new SplittableRandom(seed);
        for (int attempt = 0; attempt < 1000; attempt++) {
            String text = policy(r, actions);
            if (PolicyCompiler.compile(List.of(new PolicyCompiler.Source("random.warden", text)), PolicyCompiler.Options.defaults()).ok()) {
                List<Client> clients = List.of(new Client("d1", null), new Client("d1", "ops"), new Client("d2", "u1"));
                // half the cases are the rules' own patterns instantiated for the clients, so that grants are hit too
                List<String> topics = mix(r, instances(text, false), names(r, topicCount, false), topicCount);
                List<String> filters = mix(r, instances(text, true), names(r, filterCount, true), filterCount);
                // subscriptions are granted only by exact containment, so random filters are mostly refused: add the
                // subscribe rules' own patterns for each client on top
                filters = withSubscribeGrants(text, filters);
                return new Generated(seed, text, clients, topics, filters);
            }
        }
        throw new IllegalStateException("no compiling policy for seed " + seed);
    }

    static String policy(SplittableRandom r, Actions actions) {
        StringBuilder b = new StringBuilder("authorize random \"generated\" {\n  default deny\n");
        int n = 3 + r.nextInt(6);
        for (int i = 0; i < n; i++) {
            boolean allow = r.nextInt(4) != 0;
            String action = switch (r.nextInt(actions == Actions.ALL ? 5 : 4)) {
                case 0, 1 -> "publish";
                case 2, 3 -> "subscribe";
                default -> "receive";
            };
            b.append("  ").append(allow ? "allow" : "deny ").append(' ').append(action).append(" \"").append(pattern(r)).append('"');
            if (allow && !action.equals("receive") && r.nextInt(3) == 0) {
                b.append(switch (r.nextInt(3)) { case 0 -> " qos 0"; case 1 -> " qos 0..1"; default -> " qos 1..2"; });
            }
            if (allow && action.equals("publish") && r.nextInt(4) == 0) b.append(" retain false");
            if (allow && r.nextInt(4) == 0) b.append(" when client.username == \"").append(USERS[r.nextInt(USERS.length)]).append('"');
            b.append('\n');
        }
        return b.append("}\n").toString();
    }

    static String pattern(SplittableRandom r) {
        int levels = 1 + r.nextInt(4);
        List<String> ls = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            String l = switch (r.nextInt(i == 0 ? 9 : 8)) {
                case 0, 1 -> "a";
                case 2 -> "b";
                case 3 -> "+";
                case 4 -> "${client.id}";
                case 5 -> "${username}";
                case 6 -> i == levels - 1 ? "#" : "a";
                case 7 -> r.nextInt(4) == 0 ? "" : "b";
                default -> "$x";
            };
            ls.add(l);
            if (l.equals("#")) break;
        }
        return String.join("/", ls);
    }

    /** The rules' patterns with the clients' ids and user names substituted (topic names: wildcards made literal). */
    static List<String> instances(String text, boolean filters) {
        Set<String> out = new LinkedHashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"([^\"]*)\"").matcher(text);
        while (m.find()) {
            String p = m.group(1);
            if (p.equals("generated")) continue;
            for (String id : IDS) {
                for (String u : USERS) {
                    String x = p.replace("${client.id}", id).replace("${username}", u);
                    if (!filters) x = x.replace("+", "b").replace("#", "a/b");
                    if (!x.isEmpty()) out.add(x);
                }
            }
        }
        return List.copyOf(out);
    }

    static List<String> withSubscribeGrants(String text, List<String> filters) {
        Set<String> out = new LinkedHashSet<>(filters);
        for (String line : text.split("\n")) {
            if (!line.trim().startsWith("allow subscribe")) continue;
            int a = line.indexOf('"'), b = line.indexOf('"', a + 1);
            out.addAll(instances("\"" + line.substring(a + 1, b) + "\"", true));
        }
        return List.copyOf(out);
    }

    static List<String> mix(SplittableRandom r, List<String> instances, List<String> random, int count) {
        Set<String> out = new LinkedHashSet<>();
        List<String> pool = new ArrayList<>(instances);
        for (int i = 0; i < count / 2 && !pool.isEmpty(); i++) out.add(pool.remove(r.nextInt(pool.size())));
        for (String x : random) {
            if (out.size() >= count) break;
            out.add(x);
        }
        return List.copyOf(out);
    }

    /** Distinct topic names (no wildcards) or filters over the same vocabulary, substitutions included. */
    static List<String> names(SplittableRandom r, int count, boolean filters) {
        Set<String> out = new LinkedHashSet<>();
        String[] vocab = {"a", "b", "d1", "d2", "ops", "u1", ""};
        for (int guard = 0; out.size() < count && guard < count * 50; guard++) {
            int levels = 1 + r.nextInt(4);
            List<String> ls = new ArrayList<>();
            for (int i = 0; i < levels; i++) {
                int k = r.nextInt(filters ? 10 : 8);
                String l = k == 7 && i == 0 ? "$x" : k == 8 ? "+" : k == 9 ? "#" : vocab[Math.min(k, vocab.length - 1)];
                if (l.isEmpty() && r.nextInt(3) != 0) l = "a"; // empty levels: some, not most
                ls.add(l);
                if (l.equals("#")) break;
            }
            String name = String.join("/", ls);
            if (!name.isEmpty()) out.add(name); // empty levels yes, but a topic name or filter has at least one character
        }
        return List.copyOf(out);
    }
}
