package dev.warden.awsiot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code warden compile --target aws-iot-policy}: an {@code authorize} block as an AWS IoT Core policy document with
 * the same scope, plus a diagnostic for everything an IoT policy cannot say exactly (see docs/aws-iot-target.md).
 */
public final class AwsIotTarget {
    private AwsIotTarget() {}

    /** The thing the connection is bound to; stands for {@code ${client.id}}. */
    public static final String THING_NAME = "${iot:Connection.Thing.ThingName}";
    /** The MQTT client id; stands for {@code ${client.id}} in a policy the custom authorizer answers. */
    public static final String CLIENT_ID = "${iot:ClientId}";
    /** The certificate's subject CN; stands for {@code ${cert.cn}}. */
    public static final String CERT_CN = "${iot:Certificate.Subject.CommonName}";
    /** AWS IoT rejects a policy document longer than this (whitespace not counted). */
    public static final int MAX_POLICY_CHARS = 2048;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final com.fasterxml.jackson.databind.ObjectWriter COMPACT = JSON.writer().without(SerializationFeature.INDENT_OUTPUT);
    private static final Pattern PARTITION = Pattern.compile("aws(-[a-z]+)*");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d+");
    private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** Characters AWS IoT allows in a thing name. */
    static final Pattern THING_NAME_CHARS = Pattern.compile("[a-zA-Z0-9:_-]+");

    /** The ARN scope of every resource: partition ({@code aws}, {@code aws-cn}, ...), region and account, or {@code *}. */
    public record Options(String partition, String region, String account) {
        public Options {
            partition = partition == null || partition.isBlank() ? "aws" : partition.strip();
            region = region == null || region.isBlank() ? "*" : region.strip();
            account = account == null || account.isBlank() ? "*" : account.strip();
        }

        /** {@code arn:aws:iot:*:*:}: any region and account. */
        public static Options wildcard() { return new Options("aws", "*", "*"); }

        /** The ARN prefix, e.g. {@code arn:aws:iot:eu-west-1:123456789012:}. */
        public String arnPrefix() { return "arn:" + partition + ":iot:" + region + ":" + account + ":"; }
    }

    /** The policy document (pretty JSON, Version 2012-10-17) and what it could not express exactly. */
    public record Result(String policyJson, List<Diagnostic> diagnostics) {
        public Result { diagnostics = List.copyOf(diagnostics); }

        /** True when no diagnostic is an error (the document is safe to deploy as the same scope or narrower). */
        public boolean ok() { return diagnostics.stream().noneMatch(Diagnostic::isError); }
    }

    /** Compiles a runtime policy for certificate-authenticated things (the client id is the thing name). */
    public static Result compile(AuthzPolicy policy, Options o) {
        Objects.requireNonNull(policy, "policy");
        Options opts = o == null ? Options.wildcard() : o;
        List<Diagnostic> diags = new ArrayList<>();
        checkOptions(opts, policy.origin(), diags);
        Emitter e = new Emitter(opts, policy, null, diags);
        e.run();
        String json = e.document(e.statements());
        int size = nonWhitespace(json);
        if (size > MAX_POLICY_CHARS)
            diags.add(Diagnostic.error("aws-iot.policy_too_large", policy.origin(),
                    "the policy document is " + size + " characters (whitespace excluded); AWS IoT accepts at most " + MAX_POLICY_CHARS,
                    "split the `authorize` block, or merge topic rules under a common prefix"));
        return new Result(json, diags);
    }

    private static void checkOptions(Options o, Origin at, List<Diagnostic> diags) {
        if (!PARTITION.matcher(o.partition()).matches())
            diags.add(Diagnostic.error("aws-iot.bad_option", at, "`" + o.partition() + "` is not an AWS partition",
                    "use `aws`, `aws-cn` or `aws-us-gov`"));
        if (!o.region().equals("*") && !REGION.matcher(o.region()).matches())
            diags.add(Diagnostic.error("aws-iot.bad_option", at, "`" + o.region() + "` is not an AWS region name",
                    "use a region such as `eu-west-1`, or `*` for any region"));
        if (!o.account().equals("*") && !ACCOUNT.matcher(o.account()).matches())
            diags.add(Diagnostic.error("aws-iot.bad_option", at, "`" + o.account() + "` is not a 12-digit AWS account id",
                    "use the account id, or `*` for any account"));
        if (o.region().equals("*") || o.account().equals("*"))
            diags.add(Diagnostic.warning("aws-iot.arn_wildcard", at, "the resource ARNs use `*` for the " + (o.region().equals("*") ? "region" : "account")
                            + ": an ARN glob `*` also matches `:` and `/`, so `" + o.arnPrefix() + "topic/devices/${iot:Connection.Thing.ThingName}/x` also allows "
                            + "a topic such as `a:b:topic/devices/<thing>/x`, and the analyzer cannot bind the resources to the thing",
                    "give the region and the account id"));
    }

    static int nonWhitespace(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) if (!Character.isWhitespace(s.charAt(i))) n++;
        return n;
    }

    // ------------------------------------------------------------------ specialised (custom authorizer)

    /** A connecting client's values, for a policy specialised to it: no variables, only its own names. */
    record Client(String id, String username, String certCn, Predicate<AuthzPolicy.Rule> active) {}

    /** The statements of a policy specialised to one client (each a JSON object), in order. */
    static List<ObjectNode> statementsFor(AuthzPolicy policy, Options o, Client c) {
        Emitter e = new Emitter(o, policy, c, new ArrayList<>());
        e.run();
        return e.statements();
    }

    /** A policy document holding these statements. */
    static String document(List<ObjectNode> statements, boolean pretty) {
        ObjectNode root = JSON.createObjectNode();
        root.put("Version", "2012-10-17");
        ArrayNode st = root.putArray("Statement");
        statements.forEach(st::add);
        try {
            return pretty ? JSON.writeValueAsString(root) : COMPACT.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ emission

    private static final class Stmt {
        final boolean allow;
        final List<String> actions;
        final boolean attached;
        final Set<String> resources = new LinkedHashSet<>();

        Stmt(boolean allow, List<String> actions, boolean attached) {
            this.allow = allow;
            this.actions = actions;
            this.attached = attached;
        }
    }

    private static final class Emitter {
        final Options o;
        final AuthzPolicy policy;
        final Client client;
        final List<Diagnostic> diags;
        final Map<String, Stmt> stmts = new LinkedHashMap<>();
        final Set<String> said = new HashSet<>();

        Emitter(Options o, AuthzPolicy policy, Client client, List<Diagnostic> diags) {
            this.o = o;
            this.policy = policy;
            this.client = client;
            this.diags = diags;
        }

        boolean isStatic() { return client == null; }

        void warn(String code, Origin at, String msg, String help) {
            if (isStatic()) diags.add(Diagnostic.warning(code, at, msg, help));
        }

        void info(String code, Origin at, String msg, String help) {
            if (isStatic()) diags.add(new Diagnostic(Diagnostic.Level.INFO, code, at, 1, msg, help));
        }

        void error(String code, Origin at, String msg, String help) {
            if (isStatic()) diags.add(Diagnostic.error(code, at, msg, help));
        }

        Stmt stmt(boolean allow, boolean attached, String... actions) {
            String key = allow + "|" + attached + "|" + String.join(",", actions);
            return stmts.computeIfAbsent(key, k -> new Stmt(allow, List.of(actions), attached));
        }

        String resolve(String var) {
            if (!isStatic()) {
                return switch (var) {
                    // Connect is pinned to the concrete id, so `${iot:ClientId}` is that id; the variable keeps the
                    // resources visibly bound to the device. An id with glob characters is written out, escaped.
                    case "client.id" -> {
                        String v = IotPatterns.value(client.id());
                        yield v == null ? null : v.equals(client.id()) ? CLIENT_ID : v;
                    }
                    case "username" -> IotPatterns.value(client.username());
                    case "cert.cn" -> IotPatterns.value(client.certCn());
                    default -> null;
                };
            }
            return switch (var) {
                case "client.id" -> THING_NAME;
                case "cert.cn" -> CERT_CN;
                default -> null;
            };
        }

        void run() {
            connect();
            for (AuthzPolicy.Rule r : policy.rules()) if (r.allow()) rule(r);
            for (AuthzPolicy.Rule r : policy.rules()) if (!r.allow()) rule(r);
            limits();
            if (isStatic() && stmts.values().stream().noneMatch(s -> s.allow && !s.actions.contains("iot:Connect")))
                warn("aws-iot.grants_nothing", policy.origin(), "the policy lets a device connect but grants no topic",
                        "add `allow publish|subscribe|receive` rules");
        }

        void connect() {
            if (!isStatic()) {
                String id = IotPatterns.value(client.id());
                if (id != null) stmt(true, false, "iot:Connect").resources.add(o.arnPrefix() + "client/" + id);
                return;
            }
            // the client id is always bound to a thing attached to the certificate: `${client.id}` is the thing name
            stmt(true, true, "iot:Connect").resources.add(o.arnPrefix() + "client/" + THING_NAME);
            for (AuthzPolicy.ConnectRule c : policy.connectRules()) {
                String src = c.source().replaceAll("\\s+", "");
                if (!c.forbid() && (src.equals("client.cert.cn==client.id") || src.equals("client.id==client.cert.cn"))) {
                    info("aws-iot.connect_binding", c.origin(), "`" + c.source() + "` is enforced as: the client id must be the name "
                            + "of a thing attached to the certificate (iot:Connection.Thing.IsAttached); AWS IoT does not compare the CN itself",
                            "name each thing after its certificate's CN when provisioning");
                } else if (c.forbid() && thingNamesNeverMatch(c.source())) {
                    info("aws-iot.connect_binding", c.origin(), "`" + c.source() + "` always holds: a thing name has only the characters [a-zA-Z0-9:_-]",
                            "");
                } else {
                    warn("aws-iot.connect_rule", c.origin(), "connect rule `" + c.source() + "` cannot be expressed in an AWS IoT policy; "
                                    + "certificate clients are admitted without it",
                            "enforce it with the Warden custom authorizer (docs/aws-iot-target.md)");
                }
            }
        }

        private static final Pattern ID_MATCHES = Pattern.compile("\\s*client\\.id\\s+matches\\s+\"\\[([^\\]^\\\\][^\\]\\\\]*)]\"\\s*");

        /** {@code client.id matches "[...]"} where the class holds only characters a thing name cannot have. */
        static boolean thingNamesNeverMatch(String condition) {
            java.util.regex.Matcher m = ID_MATCHES.matcher(condition);
            if (!m.matches()) return false;
            for (char ch : m.group(1).toCharArray())
                if (ch == '-' || THING_NAME_CHARS.matcher(String.valueOf(ch)).matches()) return false;
            return true;
        }

        void rule(AuthzPolicy.Rule r) {
            String what = (r.allow() ? "allow " : "deny ") + r.action().word() + " \"" + r.pattern().source() + "\"";
            if (r.when().isPresent()) {
                if (!isStatic()) {
                    if (!client.active().test(r)) return;
                } else if (r.allow()) {
                    warn("aws-iot.conditional_rule", r.origin(), "`" + what + "` has a `when` condition an IoT policy cannot test; it is left out",
                            "grant it with the Warden custom authorizer, or a separate policy attached only to those things");
                    return;
                } else {
                    warn("aws-iot.conditional_rule", r.origin(), "`" + what + "` has a `when` condition an IoT policy cannot test; it denies every device",
                            "deny it with the Warden custom authorizer instead");
                }
            }
            if (isStatic() && r.pattern().shareGroup() != null)
                warn("aws-iot.shared_subscription", r.origin(), "the `$share/" + r.pattern().shareGroup() + "/` prefix of `" + what
                        + "` is dropped; the rule applies to the plain filter", "");
            IotPatterns.Conversion conv = IotPatterns.convert(r.pattern(), this::resolve);
            if (!conv.ok()) {
                if (isStatic()) {
                    String v = "${" + conv.unresolved() + "}";
                    error("aws-iot.unsupported_variable", r.origin(), "`" + v + "` in `" + what + "` has no AWS IoT policy variable; the rule is left out"
                                    + (r.allow() ? "" : ", so the emitted policy denies less than the runtime policy"),
                            "scope with `${client.id}` (the thing name) or `${cert.cn}` (the certificate CN)");
                }
                // specialised: the client has no such value, so the runtime engine never matches the rule either
                return;
            }
            if (r.pattern().variables().contains("cert.cn") && said.add("cert.cn"))
                warn("aws-iot.cn_variable", r.origin(), "`${cert.cn}` becomes " + CERT_CN + ", substituted verbatim: a CN containing `/`, `*` or `?` "
                        + "spans levels or acts as a wildcard in AWS IoT, while the runtime engine matches it only as one whole level",
                        "issue certificates whose CN is a plain name, or scope with `${client.id}`");
            if (conv.plus())
                warn("aws-iot.plus_wildcard", r.origin(), plusConsequence(r, what), r.allow()
                        ? "name the level (e.g. `${client.id}`) or end the filter with `#` where several levels are meant"
                        : "deny whole subtrees with `#` where possible");
            if (conv.rootWildcard())
                warn("aws-iot.root_wildcard", r.origin(), "`" + what + "` starts with a wildcard; in AWS IoT `*` also matches reserved `$aws/...` topics, "
                        + "which MQTT leading wildcards never match", "start the filter with a literal level");
            if (r.allow() && !(r.qosMin() == 0 && r.qosMax() >= 1) && r.action() != AuthzPolicy.Action.RECEIVE)
                warn("aws-iot.qos", r.origin(), "`" + what + "` allows QoS " + r.qosMin() + ".." + r.qosMax()
                                + "; an AWS IoT policy cannot restrict QoS, so QoS 0..1 (all AWS IoT supports) are allowed",
                        "drop the QoS restriction, or enforce it with the Warden custom authorizer on a broker that can");
            String p = o.arnPrefix();
            switch (r.action()) {
                case PUBLISH -> {
                    boolean retain = !r.allow() || r.retain().orElse(true);
                    Stmt s = r.allow() ? (retain ? stmt(true, false, "iot:Publish", "iot:RetainPublish") : stmt(true, false, "iot:Publish"))
                            : stmt(false, false, "iot:Publish");
                    for (String g : conv.globs()) s.resources.add(p + "topic/" + g);
                }
                case SUBSCRIBE -> {
                    Stmt sub = stmt(r.allow(), false, "iot:Subscribe");
                    Stmt recv = stmt(r.allow(), false, "iot:Receive");
                    for (String g : conv.globs()) {
                        sub.resources.add(p + "topicfilter/" + g);
                        recv.resources.add(p + "topic/" + g);
                    }
                    if (r.allow() && said.add("share"))
                        info("aws-iot.shared_subscription", r.origin(), "shared subscriptions (`$share/<group>/...`) are not granted; the runtime engine allows them within `"
                                + r.pattern().source() + "`", "add `allow subscribe \"$share/<group>/...\"` rules if devices use shared subscriptions");
                    if (!r.allow())
                        info("aws-iot.deny_by_receive", r.origin(), "AWS IoT refuses only the filters of `" + what + "` at SUBSCRIBE; a wider allowed filter "
                                + "that overlaps it is accepted, and its messages on these topics are withheld by the Deny on iot:Receive", "");
                }
                case RECEIVE -> {
                    Stmt recv = stmt(r.allow(), false, "iot:Receive");
                    for (String g : conv.globs()) recv.resources.add(p + "topic/" + g);
                    if (!r.allow())
                        info("aws-iot.deny_by_receive", r.origin(), "AWS IoT accepts subscriptions that overlap `" + what
                                + "` (the runtime engine refuses them) and withholds the messages on these topics", "");
                }
            }
        }

        static String plusConsequence(AuthzPolicy.Rule r, String what) {
            String src = r.pattern().source();
            String example = src.replaceFirst("(^|/)\\+(/|$)", "$1x/y$2");
            return r.allow()
                    ? "`+` becomes `*` in `" + what + "`: AWS IoT's `*` crosses levels, so it also allows e.g. `" + example + "`, which the runtime engine refuses"
                    + (r.action() == AuthzPolicy.Action.SUBSCRIBE ? " (and filters with `#` in place of the `+`)" : "")
                    : "`+` becomes `*` in `" + what + "`: AWS IoT's `*` crosses levels, so it also denies e.g. `" + example + "`, which the runtime engine does not deny";
        }

        void limits() {
            AuthzPolicy.Limits l = policy.limits();
            Origin at = policy.origin();
            l.payloadBytes().ifPresent(b -> {
                Origin w = l.payloadOrigin().orElse(at);
                if (b >= 128 * 1024)
                    info("aws-iot.limit", w, "`limit payload` is not needed: AWS IoT Core's own payload limit (128 KiB) is at least as strict", "");
                else
                    warn("aws-iot.limit", w, "`limit payload " + b + " bytes` cannot be expressed in an AWS IoT policy; AWS IoT Core accepts up to 128 KiB",
                            "enforce smaller payloads in the devices or in a rule action");
            });
            rate(l.publishPerClient(), "publish per client");
            rate(l.bytesPerClient(), "bytes per client");
            rate(l.publishPerIp(), "publish per ip");
            rate(l.bytesPerIp(), "bytes per ip");
            l.connectionsPerIp().ifPresent(n -> warn("aws-iot.limit", l.connectionsOrigin().orElse(at),
                    "`limit connections per ip " + n + "` cannot be expressed in an AWS IoT policy", "limit connections per source with AWS WAF or network controls"));
        }

        void rate(java.util.Optional<AuthzPolicy.Rate> r, String what) {
            r.ifPresent(x -> warn("aws-iot.limit", x.origin(), "`limit " + what + "` cannot be expressed in an AWS IoT policy; only AWS IoT Core's "
                    + "account and per-connection quotas apply", "monitor with a Device Defender rules-profile metric (e.g. aws:num-messages-sent)"));
        }

        List<ObjectNode> statements() {
            List<ObjectNode> out = new ArrayList<>();
            for (Stmt s : stmts.values()) {
                if (s.resources.isEmpty()) continue;
                ObjectNode n = JSON.createObjectNode();
                n.put("Effect", s.allow ? "Allow" : "Deny");
                ArrayNode a = n.putArray("Action");
                s.actions.forEach(a::add);
                ArrayNode res = n.putArray("Resource");
                s.resources.forEach(res::add);
                if (s.attached) n.putObject("Condition").putObject("Bool").put("iot:Connection.Thing.IsAttached", "true");
                out.add(n);
            }
            return out;
        }

        String document(List<ObjectNode> st) {
            return AwsIotTarget.document(st, true);
        }
    }
}
