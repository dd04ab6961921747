package dev.warden.dsl;

import dev.warden.dsl.PolicyCompiler.State;
import dev.warden.dsl.PolicyCompiler.Unit;
import dev.warden.dsl.ast.AuthzItem;
import dev.warden.dsl.ast.Decl;
import dev.warden.dsl.ast.Span;
import dev.warden.dsl.ast.Template;
import dev.warden.dsl.check.ExprChecker;
import dev.warden.dsl.check.Names;
import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.dsl.ir.AuthzPolicy.Action;
import dev.warden.dsl.ir.AuthzPolicy.OnExceed;
import dev.warden.dsl.ir.AuthzPolicy.Rate;
import dev.warden.dsl.ir.Node;
import dev.warden.model.Origin;
import dev.warden.model.fact.Value;
import dev.warden.model.schema.WardenSchema;
import dev.warden.model.types.ByteSize;
import dev.warden.model.types.TopicFilter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The {@code authorize} pass: checks runtime authorization blocks and lowers them to {@link AuthzPolicy}. */
final class AuthzCompiler {
    private AuthzCompiler() {}

    /** Template variables a topic rule may use, and the client field each one stands for. */
    static final Map<String, String> VARIABLES = Map.of("client.id", "client.id", "username", "client.username",
            "cert.cn", "client.cert.cn");

    private static final List<String> ACTIONS = List.of("publish", "subscribe", "receive");
    private static final List<String> LIMITS = List.of("payload", "publish", "bytes", "connections");
    private static final Pattern RATE = Pattern.compile("(\\d+)([A-Za-z]*)/([smh])");

    static void compile(State st) {
        Map<String, Span> names = new HashMap<>();
        for (Unit u : st.units) {
            for (Decl.Authorize a : u.ast.authorizations()) {
                Span prev = names.putIfAbsent(a.name(), a.nameSpan());
                if (prev != null) {
                    st.error("dsl.duplicate_authorize", a.nameSpan(), "authorize block `" + a.name() + "` is declared twice",
                            "the first declaration is at " + prev);
                    continue;
                }
                AuthzPolicy p = block(st, u, a);
                if (p != null) st.authorizations.add(p);
            }
        }
    }

    private static AuthzPolicy block(State st, Unit u, Decl.Authorize a) {
        ExprChecker ch = new ExprChecker(WardenSchema.RUNTIME, u.params, st.diags);
        ExprChecker.Scope scope = new ExprChecker.Scope(null);
        List<AuthzPolicy.ConnectRule> connect = new ArrayList<>();
        List<AuthzPolicy.Rule> rules = new ArrayList<>();
        Map<String, Span> limitSeen = new LinkedHashMap<>();
        Optional<Long> payload = Optional.empty();
        Optional<Origin> payloadOrigin = Optional.empty();
        Optional<Rate> pubClient = Optional.empty(), bytesClient = Optional.empty(), pubIp = Optional.empty(), bytesIp = Optional.empty();
        Optional<Integer> connIp = Optional.empty();
        Optional<Origin> connOrigin = Optional.empty();
        Span defaultSpan = null;
        boolean broken = false;
        for (AuthzItem item : a.items()) {
            if (item instanceof AuthzItem.Default d) {
                if (defaultSpan != null) st.error("dsl.duplicate_item", d.span(), "`default` is given twice in authorize `" + a.name() + "`", "keep one");
                defaultSpan = d.span();
                if (!d.word().equals("deny")) {
                    st.error("dsl.default_not_deny", d.wordSpan(), "`default " + d.word() + "` is not supported",
                            "runtime rules fail closed: write `default deny` (or leave it out) and grant what clients need with `allow`");
                }
            } else if (item instanceof AuthzItem.Connect c) {
                Node cond = ch.condition(c.condition(), scope, "a connect rule");
                String msg = c.message().map(t -> literal(st, t)).orElse("");
                connect.add(new AuthzPolicy.ConnectRule(connect.size(), c.forbid(), cond, msg, u.text(c.condition().span()), c.span().origin()));
            } else if (item instanceof AuthzItem.Rule r) {
                AuthzPolicy.Rule rule = rule(st, u, ch, scope, r, rules.size());
                if (rule != null) rules.add(rule);
                else broken = true;
            } else if (item instanceof AuthzItem.Limit l) {
                String what = l.what();
                if (!LIMITS.contains(what)) {
                    String help = Names.didYouMean(what, LIMITS);
                    st.error("dsl.bad_limit", l.whatSpan(), "unknown limit `" + what + "`",
                            help.isEmpty() ? "use one of " + String.join(", ", LIMITS) : help);
                    continue;
                }
                String key = what + l.per().map(p -> " per " + p).orElse("");
                Span prev = limitSeen.putIfAbsent(key, l.span());
                if (prev != null) {
                    st.error("dsl.duplicate_item", l.span(), "`limit " + key + "` is given twice in authorize `" + a.name() + "`",
                            "the first one is at " + prev);
                    continue;
                }
                switch (what) {
                    case "payload" -> {
                        if (!noExtras(st, l, false, false, false)) continue;
                        Long bytes = size(st, l.value());
                        if (bytes != null) {
                            payload = Optional.of(bytes);
                            payloadOrigin = Optional.of(l.span().origin());
                        }
                    }
                    case "connections" -> {
                        if (!noExtras(st, l, true, false, false)) continue;
                        if (!perIs(st, l, Set.of("ip"))) continue;
                        Integer n = count(st, l.value());
                        if (n != null) {
                            connIp = Optional.of(n);
                            connOrigin = Optional.of(l.span().origin());
                        }
                    }
                    default -> {
                        if (!perIs(st, l, Set.of("client", "ip"))) continue;
                        Rate rate = rate(st, l, what.equals("bytes"));
                        if (rate == null) continue;
                        boolean client = l.per().get().equals("client");
                        if (what.equals("publish")) {
                            if (client) pubClient = Optional.of(rate); else pubIp = Optional.of(rate);
                        } else {
                            if (client) bytesClient = Optional.of(rate); else bytesIp = Optional.of(rate);
                        }
                    }
                }
            }
        }
        if (!broken) lint(st, a, rules);
        AuthzPolicy.Limits limits = new AuthzPolicy.Limits(payload, payloadOrigin, pubClient, bytesClient, pubIp, bytesIp, connIp, connOrigin);
        return new AuthzPolicy(a.name(), a.title(), a.nameSpan().origin(), ch.slots(), connect, rules, limits);
    }

    private static String literal(State st, Template t) {
        StringBuilder b = new StringBuilder();
        for (Template.Part p : t.parts()) {
            if (p instanceof Template.Text x) b.append(x.text());
            else {
                st.error("dsl.template_not_allowed", t.span(), "a connect message cannot interpolate `{...}`",
                        "write the reason as plain text; the decision log already names the client");
                return "";
            }
        }
        return b.toString();
    }

    private static AuthzPolicy.Rule rule(State st, Unit u, ExprChecker ch, ExprChecker.Scope scope, AuthzItem.Rule r, int index) {
        String word = r.action();
        if (!ACTIONS.contains(word)) {
            String help = Names.didYouMean(word, ACTIONS);
            st.error("dsl.unknown_action", r.actionSpan(), "unknown action `" + word + "`",
                    help.isEmpty() ? "use one of " + String.join(", ", ACTIONS) : help);
            return null;
        }
        Action action = Action.valueOf(word.toUpperCase(Locale.ROOT));
        TopicFilter f;
        try {
            f = TopicFilter.parse(r.pattern());
        } catch (IllegalArgumentException e) {
            st.error("dsl.bad_topic", r.patternSpan(), "`" + r.pattern() + "` is not a valid topic pattern: " + e.getMessage(),
                    "write MQTT topic levels separated by `/`, with `+` or `#` as whole levels");
            return null;
        }
        boolean ok = true;
        if (f.shareGroup() != null) {
            st.error("dsl.bad_topic", r.patternSpan(), "a rule pattern cannot name a share group",
                    "write the filter without `$share/" + f.shareGroup() + "/`: shared subscriptions are checked on the filter after the group");
            ok = false;
        }
        for (TopicFilter.Level lv : f.levels()) {
            if (!(lv instanceof TopicFilter.Lit lit) || lit.isPlain()) continue;
            for (TopicFilter.Part p : lit.parts()) {
                if (!(p instanceof TopicFilter.Var v)) continue;
                if (!VARIABLES.containsKey(v.name())) {
                    String help = Names.didYouMean(v.name(), List.copyOf(VARIABLES.keySet()));
                    st.error("dsl.unknown_variable", r.patternSpan(), "unknown template variable `${" + v.name() + "}`",
                            help.isEmpty() ? "use one of ${client.id}, ${username}, ${cert.cn}" : help);
                    ok = false;
                }
            }
            if (lit.parts().size() != 1) {
                st.error("dsl.partial_variable", r.patternSpan(), "template variables must be a whole topic level in `" + r.pattern() + "`",
                        "write e.g. `devices/${client.id}/#` rather than `devices/id-${client.id}/#`");
                ok = false;
            }
        }
        int qosMin = 0, qosMax = 2;
        if (r.qos().isPresent()) {
            int[] q = r.qos().get();
            if (!r.allow()) {
                st.error("dsl.bad_qos", r.qosSpan(), "a deny rule cannot be limited to a QoS", "a deny applies to every QoS; drop `qos`");
                ok = false;
            } else if (action == Action.RECEIVE) {
                st.error("dsl.bad_qos", r.qosSpan(), "`qos` does not apply to `receive`", "limit the QoS on the `subscribe` rule");
                ok = false;
            } else if (q[0] < 0 || q[1] > 2 || q[0] > q[1]) {
                st.error("dsl.bad_qos", r.qosSpan(), "QoS range `" + q[0] + (q[0] == q[1] ? "" : ".." + q[1]) + "` is not within 0..2",
                        "MQTT QoS is 0, 1 or 2; write e.g. `qos 0..1`");
                ok = false;
            } else {
                qosMin = q[0];
                qosMax = q[1];
            }
        }
        if (r.retain().isPresent() && (action != Action.PUBLISH || !r.allow())) {
            st.error("dsl.bad_retain", r.span(), "`retain` applies only to `allow publish` rules",
                    "retained messages are published; drop `retain` here");
            ok = false;
        }
        Optional<Node> when = r.when().map(w -> ch.condition(w, scope, "a `when` condition"));
        if (!ok) return null;
        return new AuthzPolicy.Rule(index, r.allow(), action, f, qosMin, qosMax, r.retain(), when, u.text(r.span()), r.span().origin());
    }

    private static boolean noExtras(State st, AuthzItem.Limit l, boolean perAllowed, boolean burstAllowed, boolean thenAllowed) {
        if (!perAllowed && l.per().isPresent()) {
            st.error("dsl.bad_limit", l.perSpan(), "`limit " + l.what() + "` takes no `per`", "write `limit " + l.what() + " " + l.value().text() + "`");
            return false;
        }
        if (!burstAllowed && l.burst().isPresent()) {
            st.error("dsl.bad_limit", l.burst().get().span(), "`limit " + l.what() + "` takes no `burst`", "only rate limits have a burst");
            return false;
        }
        if (!thenAllowed && l.then().isPresent()) {
            st.error("dsl.bad_limit", l.thenSpan(), "`limit " + l.what() + "` takes no `then`", "only rate limits choose between throttle and disconnect");
            return false;
        }
        return true;
    }

    private static boolean perIs(State st, AuthzItem.Limit l, Set<String> allowed) {
        if (l.per().isEmpty()) {
            st.error("dsl.bad_limit", l.whatSpan(), "`limit " + l.what() + "` needs a scope",
                    "write `limit " + l.what() + " per " + (allowed.contains("client") ? "client" : "ip") + " ...`");
            return false;
        }
        if (!allowed.contains(l.per().get())) {
            st.error("dsl.bad_limit", l.perSpan(), "`limit " + l.what() + "` cannot be counted per `" + l.per().get() + "`",
                    "use " + String.join(" or ", allowed.stream().sorted().map(s -> "`per " + s + "`").toList()));
            return false;
        }
        return true;
    }

    private static Long size(State st, AuthzItem.LimitValue v) {
        try {
            if (v.text().matches("\\d+")) throw new IllegalArgumentException("no unit");
            return ByteSize.parse(v.text()).bytes();
        } catch (IllegalArgumentException e) {
            st.error("dsl.bad_limit", v.span(), "`" + v.text() + "` is not a size", "write a size with a unit, e.g. `128KiB`");
            return null;
        }
    }

    private static Integer count(State st, AuthzItem.LimitValue v) {
        try {
            int n = Integer.parseInt(v.text());
            if (n <= 0) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            st.error("dsl.bad_limit", v.span(), "`" + v.text() + "` is not a positive count", "write a whole number, e.g. `20`");
            return null;
        }
    }

    private static Rate rate(State st, AuthzItem.Limit l, boolean bytes) {
        Matcher m = RATE.matcher(l.value().text());
        String example = bytes ? "`64KiB/s`" : "`10/s`";
        if (!m.matches()) {
            st.error("dsl.bad_limit", l.value().span(), "`" + l.value().text() + "` is not a rate", "write a rate such as " + example);
            return null;
        }
        boolean hasUnit = !m.group(2).isEmpty();
        if (hasUnit != bytes) {
            st.error("dsl.bad_limit", l.value().span(), bytes ? "`limit bytes` needs a size per time" : "`limit publish` counts messages, not bytes",
                    "write a rate such as " + example);
            return null;
        }
        long amount;
        try {
            amount = bytes ? ByteSize.parse(m.group(1) + m.group(2)).bytes() : Long.parseLong(m.group(1));
        } catch (IllegalArgumentException e) {
            st.error("dsl.bad_limit", l.value().span(), "`" + l.value().text() + "` is not a rate", "write a rate such as " + example);
            return null;
        }
        if (amount <= 0) {
            st.error("dsl.bad_limit", l.value().span(), "a rate must be positive", "to forbid publishing, leave out the `allow publish` rules");
            return null;
        }
        long period = switch (m.group(3)) {
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
        long burst = amount;
        if (l.burst().isPresent()) {
            AuthzItem.LimitValue b = l.burst().get();
            Long parsed = bytes ? size(st, b) : count(st, b) == null ? null : (long) Integer.parseInt(b.text());
            if (parsed == null) return null;
            if (parsed < 1) {
                st.error("dsl.bad_limit", b.span(), "a burst must be at least one", "write e.g. `burst 20`");
                return null;
            }
            burst = parsed;
        }
        OnExceed then = OnExceed.THROTTLE;
        if (l.then().isPresent()) {
            switch (l.then().get()) {
                case "throttle" -> then = OnExceed.THROTTLE;
                case "disconnect" -> then = OnExceed.DISCONNECT;
                default -> {
                    st.error("dsl.bad_limit", l.thenSpan(), "unknown action `" + l.then().get() + "` for a rate limit",
                            "use `then throttle` (drop the message) or `then disconnect`");
                    return null;
                }
            }
        }
        return new Rate(amount, period, burst, then, l.span().origin());
    }

    // ------------------------------------------------------------------ lint

    private static boolean unconditional(AuthzPolicy.Rule r) {
        return r.when().isEmpty() || (r.when().get() instanceof Node.Const c && c.value() instanceof Value.Bool b && b.v());
    }

    private static void lint(State st, Decl.Authorize a, List<AuthzPolicy.Rule> rules) {
        if (rules.stream().noneMatch(AuthzPolicy.Rule::allow)) {
            st.warn("dsl.denies_everything", a.nameSpan(), "authorize `" + a.name() + "` has no `allow` rule: every publish and subscribe is refused",
                    "grant what clients need, e.g. `allow publish \"devices/${client.id}/#\"`");
        }
        Map<String, List<AuthzPolicy.Rule>> byFirst = new HashMap<>();
        for (AuthzPolicy.Rule r : rules) byFirst.computeIfAbsent(firstKey(r.pattern()), k -> new ArrayList<>()).add(r);
        for (AuthzPolicy.Rule r : rules) {
            if (r.when().isPresent() && r.when().get() instanceof Node.Const c && c.value() instanceof Value.Bool b && !b.v()) {
                warn(st, r, "dsl.rule_never_matches", "this rule's `when` condition is always false", "remove the rule or fix the condition");
                continue;
            }
            if (!r.allow()) continue;
            // only rules whose first level can contain r's first level are candidates (keeps large policies linear)
            List<AuthzPolicy.Rule> candidates = candidates(byFirst, r);
            for (AuthzPolicy.Rule d : candidates) {
                if (d.allow() || !unconditional(d) || !coversForDeny(d, r)) continue;
                warn(st, r, "dsl.rule_never_matches", "everything this rule allows is denied by the rule at " + d.origin().display(),
                        "narrow the deny or remove this allow");
                break;
            }
            for (AuthzPolicy.Rule o : candidates) {
                if (o == r || !o.allow() || o.action() != r.action() || !unconditional(o)) continue;
                boolean within = r.pattern().within(o.pattern());
                boolean same = within && o.pattern().within(r.pattern());
                if (!within || (same && o.index() > r.index())) continue;
                boolean weaker = o.qosMin() <= r.qosMin() && o.qosMax() >= r.qosMax()
                        && (o.retain().isEmpty() || (r.retain().isPresent() && !r.retain().get()) || o.retain().get());
                if (!weaker) continue;
                warn(st, r, "dsl.rule_shadowed", "this rule allows nothing that the rule at " + o.origin().display() + " does not already allow",
                        "remove it, or narrow the broader rule");
                break;
            }
        }
    }

    /** The literal levels a pattern starts with, up to its first wildcard or variable (at most 8), joined by NUL. */
    private static String firstKey(TopicFilter f) {
        StringBuilder k = new StringBuilder();
        int n = 0;
        for (TopicFilter.Level l : f.levels()) {
            if (!(l instanceof TopicFilter.Lit lit) || !lit.isPlain() || n == 8) break;
            k.append(lit.text()).append('\0');
            n++;
        }
        return k.toString();
    }

    /**
     * Rules that might contain {@code r}: a pattern can contain r only if its leading literal levels are a prefix of
     * r's (any literal level of it that differs from r's, or faces a wildcard or variable of r, excludes it). Source order.
     */
    private static List<AuthzPolicy.Rule> candidates(Map<String, List<AuthzPolicy.Rule>> byFirst, AuthzPolicy.Rule r) {
        String k = firstKey(r.pattern());
        List<AuthzPolicy.Rule> out = new ArrayList<>(byFirst.getOrDefault("", List.of()));
        for (int i = k.indexOf('\0'); i >= 0; i = k.indexOf('\0', i + 1)) out.addAll(byFirst.getOrDefault(k.substring(0, i + 1), List.of()));
        out.sort(java.util.Comparator.comparingInt(AuthzPolicy.Rule::index));
        return out;
    }

    /** Whether deny {@code d} refuses everything allow {@code r} would grant. */
    private static boolean coversForDeny(AuthzPolicy.Rule d, AuthzPolicy.Rule r) {
        boolean applies = d.action() == r.action()
                || (r.action() == Action.SUBSCRIBE && d.action() == Action.RECEIVE)
                || (r.action() == Action.RECEIVE && d.action() == Action.SUBSCRIBE);
        return applies && r.pattern().within(d.pattern());
    }

    private static void warn(State st, AuthzPolicy.Rule r, String code, String msg, String help) {
        st.diags.add(new dev.warden.model.Diagnostic(dev.warden.model.Diagnostic.Level.WARNING, code, r.origin(), r.source().length(), msg, help));
    }

    // ------------------------------------------------------------------ tests

    static final List<String> CLIENT_KEYS = List.of("id", "username", "cert", "sans", "issuer", "ip", "auth", "protocol", "listener", "policy");
    private static final List<String> TEST_ACTIONS = List.of("connect", "publish", "subscribe", "receive");

    /** Checks one {@code expect allow|deny ...} of a test; null after reporting an error. */
    static dev.warden.dsl.ir.CompiledTest.DecisionExpectation expectation(State st, dev.warden.dsl.ast.TestItem.ExpectDecision e) {
        boolean ok = true;
        if (!TEST_ACTIONS.contains(e.action())) {
            String help = Names.didYouMean(e.action(), TEST_ACTIONS);
            st.error("dsl.unknown_action", e.actionSpan(), "unknown action `" + e.action() + "`",
                    help.isEmpty() ? "use one of " + String.join(", ", TEST_ACTIONS) : help);
            return null;
        }
        boolean connect = e.action().equals("connect");
        if (connect && e.topic().isPresent()) {
            st.error("dsl.bad_expect", e.topicSpan(), "`expect ... connect` takes no topic", "drop the topic");
            ok = false;
        }
        if (!connect && e.topic().isEmpty()) {
            st.error("dsl.bad_expect", e.actionSpan(), "`expect ... " + e.action() + "` needs a topic",
                    "write e.g. `expect allow " + e.action() + " \"devices/d1/telemetry\" as { id \"d1\" }`");
            ok = false;
        }
        int qos = e.qos().orElse(0);
        if (qos < 0 || qos > 2) {
            st.error("dsl.bad_qos", e.span(), "QoS `" + qos + "` is not 0, 1 or 2", "write `qos 0`, `qos 1` or `qos 2`");
            ok = false;
        }
        long payload = 0;
        if (e.payload().isPresent()) {
            String p = e.payload().get();
            if (p.startsWith("?")) {
                st.error("dsl.bad_expect", e.payloadSpan(), "unknown option `" + p.substring(1) + "`", "a size is given as `payload 2KiB`");
                ok = false;
            } else {
                try {
                    payload = ByteSize.parse(p).bytes();
                } catch (IllegalArgumentException ex) {
                    st.error("dsl.bad_expect", e.payloadSpan(), "`" + p + "` is not a size", "write e.g. `payload 2KiB`");
                    ok = false;
                }
            }
        }
        Map<String, List<String>> client = new LinkedHashMap<>();
        for (dev.warden.dsl.ast.TestItem.Entry en : e.client()) {
            if (!CLIENT_KEYS.contains(en.key())) {
                String help = Names.didYouMean(en.key(), CLIENT_KEYS);
                st.error("dsl.bad_expect", en.span(), "unknown client attribute `" + en.key() + "`",
                        help.isEmpty() ? "use " + String.join(", ", CLIENT_KEYS) : help);
                ok = false;
                continue;
            }
            if (!en.key().equals("sans") && en.args().size() != 1) {
                st.error("dsl.bad_expect", en.span(), "`" + en.key() + "` takes one value", "write `" + en.key() + " \"...\"`");
                ok = false;
                continue;
            }
            if (en.key().equals("listener") && !en.args().get(0).matches("\\d{1,5}")) {
                st.error("dsl.bad_expect", en.span(), "listener `" + en.args().get(0) + "` is not a port", "write e.g. `listener \"8883\"`");
                ok = false;
                continue;
            }
            client.put(en.key(), en.args());
        }
        String policy = client.containsKey("policy") ? client.get("policy").get(0) : null;
        List<String> names = st.authorizations.stream().map(AuthzPolicy::name).toList();
        if (names.isEmpty()) {
            st.error("dsl.no_authorize", e.span(), "`expect " + (e.allow() ? "allow" : "deny") + "` needs an `authorize` block in the policy set",
                    "add `authorize <name> { ... }` with the rules this test checks");
            return null;
        }
        if (policy == null && names.size() > 1) {
            st.error("dsl.no_authorize", e.span(), "the policy set has several `authorize` blocks; say which one this expectation checks",
                    "add `policy \"<name>\"` to the client: one of " + String.join(", ", names));
            return null;
        }
        if (policy != null && !names.contains(policy)) {
            String help = Names.didYouMean(policy, names);
            st.error("dsl.no_authorize", e.span(), "no `authorize " + policy + "` block", help.isEmpty() ? "blocks: " + String.join(", ", names) : help);
            return null;
        }
        if (!ok) return null;
        return new dev.warden.dsl.ir.CompiledTest.DecisionExpectation(e.allow(), e.action(), e.topic().orElse(null), qos,
                e.retain().orElse(false), payload, client, policy == null ? names.get(0) : policy, e.span().origin());
    }
}
