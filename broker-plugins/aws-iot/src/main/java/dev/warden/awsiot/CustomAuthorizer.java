package dev.warden.awsiot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.eval.Conditions;
import dev.warden.eval.authz.AuthzEngine;
import dev.warden.eval.authz.ClientInfo;
import dev.warden.eval.authz.Decision;
import dev.warden.eval.authz.Enforcer;
import dev.warden.eval.authz.Session;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.model.fact.Value;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * AWS IoT Core custom-authorizer Lambda handler: checks the credentials ({@link Credentials}), decides the
 * {@code authorize} block's connect rules with the {@link Enforcer}, and answers the policy emitted by
 * {@link AwsIotTarget} specialised to the connecting client (its own client id, user name and active rules written
 * out, no variables). Refusals and malformed events answer {@code isAuthenticated: false} with a
 * {@code wardenRefusal} (code, location, message, hint), never a stack trace. Never logs a password or token.
 */
public final class CustomAuthorizer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PRINCIPAL = Pattern.compile("[a-zA-Z0-9]{1,128}");
    /** AWS IoT: at most 10 policy documents per answer. */
    static final int MAX_DOCUMENTS = 10;

    /** Decides whether a connection's credentials are genuine; the only place that sees the password or token. */
    @FunctionalInterface
    public interface Credentials {
        /** The authenticated identity, or empty to refuse. */
        Optional<Identity> verify(Request r);

        /**
         * The default: a token whose signature AWS IoT verified ({@code signatureVerified: true}; the authorizer must
         * have signing enabled) authenticates as {@code token}; anything else is refused (no password store is known).
         */
        static Credentials signedTokens() {
            return r -> r.token() != null && !r.token().isEmpty() && r.signatureVerified()
                    ? Optional.of(new Identity(r.username(), "token")) : Optional.empty();
        }
    }

    /** Who the credentials proved the client to be: user name (may be null) and how ({@code token}, {@code password}). */
    public record Identity(String username, String auth) {}

    /**
     * One authorizer event, read: the MQTT user name without the {@code ?x-amz-customauthorizer-...} query string,
     * the base64-decoded password, the token. {@link #toString()} never shows the password or token.
     */
    public record Request(String clientId, String username, byte[] password, String token, boolean signatureVerified,
                          List<String> protocols, String serverName, String connectionId) {
        public Request { protocols = List.copyOf(protocols); }

        @Override
        public String toString() {
            return "Request[clientId=" + clientId + ", username=" + username + ", password=" + (password == null ? "absent" : "<redacted>")
                    + ", token=" + (token == null ? "absent" : "<redacted>") + ", signatureVerified=" + signatureVerified
                    + ", protocols=" + protocols + ", serverName=" + serverName + ", connectionId=" + connectionId + "]";
        }
    }

    /** The answer to AWS IoT, with the reason when refused. */
    public record Response(boolean authenticated, String principalId, int disconnectAfterInSeconds, int refreshAfterInSeconds,
                           List<String> policyDocuments, Optional<Diagnostic> refusal) {
        public Response { policyDocuments = List.copyOf(policyDocuments); }

        /** The Lambda response object (documented members, plus {@code wardenRefusal} when refused). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("isAuthenticated", authenticated);
            m.put("principalId", principalId);
            m.put("disconnectAfterInSeconds", disconnectAfterInSeconds);
            m.put("refreshAfterInSeconds", refreshAfterInSeconds);
            m.put("policyDocuments", policyDocuments);
            refusal.ifPresent(d -> {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("code", d.code());
                r.put("at", d.at().display());
                r.put("message", d.message());
                r.put("hint", d.help());
                m.put("wardenRefusal", r);
            });
            return m;
        }
    }

    /** Connection lifetime and policy refresh, in seconds (AWS IoT accepts 300..86400 for both). */
    public record Timing(int disconnectAfterInSeconds, int refreshAfterInSeconds) {
        public Timing {
            if (disconnectAfterInSeconds < 300 || disconnectAfterInSeconds > 86_400 || refreshAfterInSeconds < 300 || refreshAfterInSeconds > 86_400)
                throw new IllegalArgumentException("disconnectAfterInSeconds and refreshAfterInSeconds must be within 300..86400 (AWS IoT limits), not "
                        + disconnectAfterInSeconds + " and " + refreshAfterInSeconds);
        }

        public static Timing defaults() { return new Timing(86_400, 300); }
    }

    private final Enforcer enforcer;
    private final AwsIotTarget.Options arn;
    private final Credentials credentials;
    private final Timing timing;
    private final Consumer<String> log;
    /** Why the environment could not configure the authorizer; every client is refused while set. */
    private final Diagnostic configError;

    /**
     * The Lambda entry point's constructor, configured from the environment (see docs/aws-iot-target.md):
     * {@code WARDEN_POLICY} (file or folder, default {@code $LAMBDA_TASK_ROOT/policy}), {@code WARDEN_AUTHORIZE},
     * {@code WARDEN_WATCH_SECONDS}, {@code WARDEN_AWS_PARTITION} (default {@code aws}), {@code AWS_REGION},
     * {@code WARDEN_AWS_ACCOUNT} (default {@code *}), {@code WARDEN_DISCONNECT_AFTER_SECONDS},
     * {@code WARDEN_REFRESH_AFTER_SECONDS}; credentials: {@link Credentials#signedTokens()}. Never throws: a bad
     * setting refuses every client and says why in the log.
     */
    public CustomAuthorizer() {
        this(System.getenv(), Credentials.signedTokens(), System.err::println);
    }

    /**
     * Configured from the process environment like the no-argument constructor, with your own credential check: call
     * it from the no-argument constructor of a small handler class of yours that delegates {@code handleRequest}.
     */
    public static CustomAuthorizer fromEnvironment(Credentials credentials) {
        return new CustomAuthorizer(System.getenv(), credentials, System.err::println);
    }

    /** Configured from an environment map (the no-argument constructor passes the process environment). */
    CustomAuthorizer(Map<String, String> env, Credentials credentials, Consumer<String> log) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.log = log == null ? s -> {} : log;
        Enforcer e = null;
        AwsIotTarget.Options o = AwsIotTarget.Options.wildcard();
        Timing t = Timing.defaults();
        Diagnostic err = null;
        Origin at = Origin.api("environment", "custom authorizer configuration");
        try {
            o = new AwsIotTarget.Options(get(env, "WARDEN_AWS_PARTITION", "aws"), get(env, "AWS_REGION", "*"), get(env, "WARDEN_AWS_ACCOUNT", "*"));
            List<Diagnostic> bad = AwsIotTarget.compile(EMPTY, o).diagnostics().stream().filter(Diagnostic::isError).toList();
            if (!bad.isEmpty()) throw new IllegalArgumentException(bad.get(0).message() + " (WARDEN_AWS_PARTITION, AWS_REGION, WARDEN_AWS_ACCOUNT)");
            t = new Timing(seconds(env, "WARDEN_DISCONNECT_AFTER_SECONDS", 86_400), seconds(env, "WARDEN_REFRESH_AFTER_SECONDS", 300));
            Enforcer.Builder b = Enforcer.builder().policy(Path.of(get(env, "WARDEN_POLICY", get(env, "LAMBDA_TASK_ROOT", ".") + "/policy")));
            String name = get(env, "WARDEN_AUTHORIZE", null);
            if (name != null) b.authorize(name);
            String watch = get(env, "WARDEN_WATCH_SECONDS", null);
            if (watch != null) b.watch(Duration.ofSeconds(seconds(env, "WARDEN_WATCH_SECONDS", 0)));
            e = b.build();
        } catch (RuntimeException x) {
            err = Diagnostic.error("aws-iot.bad_config", at, String.valueOf(x.getMessage()), "fix the Lambda's environment variables (docs/aws-iot-target.md)");
            this.log.accept("warden: BAD CONFIGURATION - REFUSING EVERY CLIENT: " + err.message());
        }
        this.enforcer = e;
        this.arn = o;
        this.timing = t;
        this.configError = err;
    }

    private static final AuthzPolicy EMPTY = new AuthzPolicy("config", "", Origin.NONE, 0, List.of(), List.of(), AuthzPolicy.Limits.NONE);

    private static String get(Map<String, String> env, String k, String dflt) {
        String v = env.get(k);
        return v == null || v.isBlank() ? dflt : v.strip();
    }

    private static int seconds(Map<String, String> env, String k, int dflt) {
        String v = get(env, k, null);
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException(k + " must be a whole number of seconds, not `" + v + "`");
        }
    }

    /** An authorizer over an enforcer (which owns policy loading, hot reload and fail-closed behaviour). */
    public CustomAuthorizer(Enforcer enforcer, AwsIotTarget.Options arn, Credentials credentials, Timing timing, Consumer<String> log) {
        this.enforcer = Objects.requireNonNull(enforcer, "enforcer");
        this.arn = arn == null ? AwsIotTarget.Options.wildcard() : arn;
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.timing = timing == null ? Timing.defaults() : timing;
        this.log = log == null ? s -> {} : log;
        this.configError = null;
    }

    /** The Lambda handler: the AWS IoT authorizer event in, the authorizer response out. Never throws. */
    public Map<String, Object> handleRequest(Map<String, Object> event, Object context) {
        return authorize(event).toMap();
    }

    /** Authorizes one event. Never throws. */
    public Response authorize(Map<String, Object> event) {
        Request req;
        try {
            req = read(event);
        } catch (BadEvent e) {
            return refuse(null, e.principal, Diagnostic.error("aws-iot.bad_event", Origin.api(e.at, "custom authorizer event"), e.getMessage(),
                    "send the event AWS IoT Core passes to a custom authorizer (\"Defining your Lambda function\" in the AWS IoT Core developer guide)"));
        } catch (RuntimeException e) {
            return refuse(null, "invalid", Diagnostic.error("aws-iot.bad_event", Origin.api("$", "custom authorizer event"),
                    "the event could not be read (" + e.getClass().getSimpleName() + ")", "send the documented custom authorizer event"));
        }
        String principal = principalId(req.clientId() == null ? "" : req.clientId());
        try {
            return decide(req, principal);
        } catch (RuntimeException e) {
            return refuse(req, principal, Diagnostic.error("aws-iot.internal", Origin.api("authorizer", "authorize"),
                    "internal error while authorizing (" + e.getClass().getSimpleName() + "); the client is refused", "report this as a Warden bug"));
        } finally {
            if (req.password() != null) java.util.Arrays.fill(req.password(), (byte) 0);
        }
    }

    private Response decide(Request req, String principal) {
        if (configError != null) return refuse(req, principal, configError);
        Origin at = Origin.api("connection " + (req.connectionId() == null ? "?" : req.connectionId()), "custom authorizer");
        if (req.clientId() == null || req.clientId().isEmpty())
            return refuse(req, principal, Diagnostic.error("aws-iot.no_client_id", at, "the event has no `protocolData.mqtt.clientId`; the client's "
                    + "topics cannot be scoped", "connect over MQTT (or MQTT over WebSocket) with a client id"));
        Optional<Identity> id;
        try {
            id = credentials.verify(req);
        } catch (RuntimeException e) {
            id = Optional.empty();
        }
        if (id == null || id.isEmpty())
            return refuse(req, principal, Diagnostic.error("aws-iot.unauthenticated", at, "the credentials of client `" + req.clientId() + "` were not accepted",
                    req.token() != null && !req.signatureVerified() ? "AWS IoT did not verify the token signature: enable signing on the authorizer"
                            : "check the credential verifier the authorizer was built with"));
        AuthzEngine engine = enforcer.engine();
        if (!engine.hasPolicy()) {
            log.accept("warden: NO VALID POLICY - REFUSING EVERY CLIENT: " + enforcer.lastReload().message().lines().findFirst().orElse(""));
            return refuse(req, principal, Diagnostic.error("aws-iot.no_policy", at, "no valid policy is loaded; every client is refused",
                    enforcer.lastReload().message().lines().findFirst().orElse("")));
        }
        ClientInfo ci = new ClientInfo(req.clientId(), id.get().username(), null, List.of(), null, "", id.get().auth(),
                "", 0);
        // connect rules only: AWS IoT holds the connection, so no slot stays counted here
        Session s = enforcer.connect(ci);
        Decision d = s.connectDecision();
        enforcer.disconnect(s);
        if (!d.allowed())
            return refuse(req, principal, Diagnostic.error("aws-iot.connect_refused", d.origin() == null ? at : d.origin(), d.explain(),
                    "the policy's connect rules refuse this client"));
        AuthzPolicy policy = engine.policy();
        Map<String, Value> roots = Map.of("client", ci.fact());
        AwsIotTarget.Client client = new AwsIotTarget.Client(ci.id(), ci.username(), ci.certCn(), r -> active(r, policy, roots));
        List<ObjectNode> statements = AwsIotTarget.statementsFor(policy, arn, client);
        List<String> docs = pack(statements);
        if (docs == null)
            return refuse(req, principal, Diagnostic.error("aws-iot.policy_too_large", at, "the policy for client `" + req.clientId() + "` does not fit in "
                    + MAX_DOCUMENTS + " documents of " + AwsIotTarget.MAX_POLICY_CHARS + " characters", "merge topic rules under common prefixes"));
        log.accept(line(req, principal, true, "aws-iot.authorized", "`authorize " + policy.name() + "`: " + statements.size() + " statement(s) in "
                + docs.size() + " document(s)"));
        return new Response(true, principal, timing.disconnectAfterInSeconds(), timing.refreshAfterInSeconds(), docs, Optional.empty());
    }

    /** Whether a {@code when} rule applies to the client, fail closed: an allow needs true, a deny applies unless false. */
    private static boolean active(AuthzPolicy.Rule r, AuthzPolicy p, Map<String, Value> roots) {
        Value v;
        try {
            v = Conditions.eval(r.when().orElseThrow(), p.slots(), Map.of(), roots);
        } catch (RuntimeException e) {
            return !r.allow();
        }
        return r.allow() ? Conditions.isTrue(v) : !Conditions.isFalse(v);
    }

    /**
     * Statements packed greedily, in order, into documents of at most 2048 non-space characters (a statement with too
     * many resources is split across documents); null when more than 10 documents would be needed.
     */
    static List<String> pack(List<ObjectNode> statements) {
        List<String> docs = new ArrayList<>();
        List<ObjectNode> cur = new ArrayList<>();
        for (ObjectNode s : statements) {
            ObjectNode part = null;
            for (com.fasterxml.jackson.databind.JsonNode r : s.get("Resource")) {
                if (part == null) {
                    part = s.deepCopy();
                    part.putArray("Resource");
                    cur.add(part);
                }
                com.fasterxml.jackson.databind.node.ArrayNode res = (com.fasterxml.jackson.databind.node.ArrayNode) part.get("Resource");
                res.add(r);
                if (size(cur) <= AwsIotTarget.MAX_POLICY_CHARS) continue;
                res.remove(res.size() - 1);
                if (res.isEmpty()) cur.remove(cur.size() - 1);
                if (cur.isEmpty()) return null;
                docs.add(AwsIotTarget.document(cur, false));
                if (docs.size() >= MAX_DOCUMENTS) return null;
                part = s.deepCopy();
                part.putArray("Resource").add(r);
                cur = new ArrayList<>(List.of(part));
                if (size(cur) > AwsIotTarget.MAX_POLICY_CHARS) return null;
            }
        }
        if (!cur.isEmpty()) docs.add(AwsIotTarget.document(cur, false));
        return docs.size() > MAX_DOCUMENTS ? null : docs;
    }

    private static int size(List<ObjectNode> statements) {
        return AwsIotTarget.nonWhitespace(AwsIotTarget.document(statements, false));
    }

    private Response refuse(Request req, String principal, Diagnostic why) {
        log.accept(line(req, principal, false, why.code(), why.message()));
        return new Response(false, principal, timing.disconnectAfterInSeconds(), timing.refreshAfterInSeconds(), List.of(), Optional.of(why));
    }

    /** One JSON log line: connection, client, decision, code, reason; never credentials. */
    private static String line(Request req, String principal, boolean allowed, String code, String message) {
        ObjectNode n = JSON.createObjectNode();
        n.put("authorizer", "warden");
        n.put("decision", allowed ? "allow" : "deny");
        n.put("code", code);
        if (req != null) {
            n.put("connection", req.connectionId());
            n.put("client", req.clientId());
        }
        n.put("principal", principal);
        n.put("reason", message);
        return n.toString();
    }

    /** The client id when it is already a valid principal id, otherwise its SHA-256 in hex (stable, alphanumeric). */
    static String principalId(String clientId) {
        if (PRINCIPAL.matcher(clientId).matches()) return clientId;
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(clientId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ event

    private static final class BadEvent extends Exception {
        final String at;
        final String principal;

        BadEvent(String at, String message) {
            super(message, null, false, false);
            this.at = at;
            this.principal = "invalid";
        }
    }

    /** Reads the documented event shape; a member of the wrong type is a {@link BadEvent} naming its path. */
    static Request read(Map<String, Object> event) throws BadEvent {
        if (event == null) throw new BadEvent("$", "the event is empty");
        Object token = event.get("token");
        if (token != null && !(token instanceof String)) throw new BadEvent("token", "`token` must be a string");
        Object sv = event.get("signatureVerified");
        if (sv != null && !(sv instanceof Boolean)) throw new BadEvent("signatureVerified", "`signatureVerified` must be true or false");
        List<String> protocols = new ArrayList<>();
        Object ps = event.get("protocols");
        if (ps == null) throw new BadEvent("protocols", "the event has no `protocols` list");
        if (!(ps instanceof List<?> pl)) throw new BadEvent("protocols", "`protocols` must be a list of strings");
        for (Object p : pl) {
            if (!(p instanceof String str)) throw new BadEvent("protocols", "`protocols` must be a list of strings");
            protocols.add(str);
        }
        Map<?, ?> pd = map(event.get("protocolData"), "protocolData");
        Map<?, ?> tls = map(pd == null ? null : pd.get("tls"), "protocolData.tls");
        Map<?, ?> http = map(pd == null ? null : pd.get("http"), "protocolData.http");
        Map<?, ?> mqtt = map(pd == null ? null : pd.get("mqtt"), "protocolData.mqtt");
        if (http != null && http.get("headers") != null && !(http.get("headers") instanceof Map<?, ?>))
            throw new BadEvent("protocolData.http.headers", "`protocolData.http.headers` must be an object");
        String serverName = str(tls, "serverName", "protocolData.tls.serverName");
        String username = str(mqtt, "username", "protocolData.mqtt.username");
        String clientId = str(mqtt, "clientId", "protocolData.mqtt.clientId");
        String pw = str(mqtt, "password", "protocolData.mqtt.password");
        byte[] password = null;
        if (pw != null) {
            try {
                password = Base64.getDecoder().decode(pw);
            } catch (IllegalArgumentException e) {
                throw new BadEvent("protocolData.mqtt.password", "`protocolData.mqtt.password` is not base64 (AWS IoT passes the MQTT password base64-encoded)");
            }
        }
        if (username != null) {
            int q = username.indexOf('?');
            if (q >= 0) username = username.substring(0, q);
            if (username.isEmpty()) username = null;
        }
        Map<?, ?> meta = map(event.get("connectionMetadata"), "connectionMetadata");
        String conn = str(meta, "id", "connectionMetadata.id");
        return new Request(clientId, username, password, (String) token, Boolean.TRUE.equals(sv), protocols, serverName, conn);
    }

    private static Map<?, ?> map(Object o, String at) throws BadEvent {
        if (o == null) return null;
        if (o instanceof Map<?, ?> m) return m;
        throw new BadEvent(at, "`" + at + "` must be an object");
    }

    private static String str(Map<?, ?> m, String key, String at) throws BadEvent {
        if (m == null) return null;
        Object v = m.get(key);
        if (v == null) return null;
        if (v instanceof String s) return s;
        throw new BadEvent(at, "`" + at + "` must be a string");
    }
}
