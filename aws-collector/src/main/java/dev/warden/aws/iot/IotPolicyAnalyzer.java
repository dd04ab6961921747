package dev.warden.aws.iot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an AWS IoT Core policy document with IoT policy semantics and answers {@link IotPolicyAnalysis}.
 *
 * <h2>Evaluation</h2>
 * For each data-plane action ({@link IotActions}) the statements that name it (Action glob, case-insensitive;
 * NotAction = every data-plane action it does not name) contribute resource globs. A resource ARN glob is reduced to
 * the exact set of resource names of the action's type ({@link IotGlob#residualFor}); resource {@code *} gives
 * {@code *}. The allowed set of an action is union(Allow) minus union(Deny), computed conservatively: an allowed
 * pattern is removed only when the Deny patterns surely contain it ({@link IotGlob#subset}); a partly overlapping
 * Deny leaves the pattern listed (over-approximation). Deny statements with a {@code Condition} or a
 * {@code NotResource} are not relied on (they might not apply); Allow statements with a {@code Condition} are
 * counted as allowing (they might apply); Allow with {@code NotResource} is read as resource {@code *}.
 * An unreadable Allow (or unknown Effect) statement is read as allowing every action on {@code *}; an unreadable
 * document likewise. Every such reading is listed in {@code problems}.
 *
 * <h2>Derived fields</h2>
 * <ul>
 *   <li>{@code connectScope}: {@code none} when no client id may connect; {@code any} when some allowed Connect
 *       pattern is {@code *} or exactly {@code ${iot:ClientId}} without an {@code iot:Connection.Thing.IsAttached}
 *       = true ({@code Bool}) condition (Device Defender: "{@code client/${iot:ClientId}} ... unless
 *       iot:Connection.Thing.IsAttached is set to true in the condition keys, is equivalent to the wildcard *");
 *       {@code thing_name} when every allowed Connect pattern is {@code ${iot:Connection.Thing.ThingName}}, or
 *       {@code *} / {@code ${iot:ClientId}} under the IsAttached condition (only the names of things attached to the
 *       principal pass); {@code pattern} otherwise (fixed ids, prefixes such as {@code sensor-*}, other
 *       variables).</li>
 *   <li>{@code publishTopics}, {@code receiveTopics}, {@code subscribeFilters}: the allowed patterns of
 *       iot:Publish, iot:Receive, iot:Subscribe with the ARN prefix removed, minimal (no pattern contained in
 *       another listed one).</li>
 *   <li>{@code crossDeviceReach}: some allowed Publish/Receive pattern is <em>not device-bound</em>, or some allowed
 *       Subscribe pattern is not device-bound counting the MQTT wildcards. A pattern is device-bound when it has no
 *       wildcard, or an identity variable ({@link #IDENTITY_VARIABLES}) occurs before its first wildcard. Wildcards
 *       are the glob {@code *} and {@code ?}; for Subscribe also the literal {@code +} and {@code #}, because a
 *       device allowed to subscribe to the filter {@code devices/+} receives every device's messages. Fixed topics
 *       ({@code device/stats}) are shared, not another device's namespace, and do not count.</li>
 *   <li>{@code overlyPermissive} (IOT_POLICY_OVERLY_PERMISSIVE_CHECK, reason
 *       ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS): Connect scope {@code any}; or an allowed
 *       Publish/Subscribe/RetainPublish/GetRetainedMessage pattern, or a shadow/job (thing) pattern, that is a
 *       wildcard not bound to the device's identity (the glob rule above; for Subscribe counting the literal MQTT
 *       wildcards {@code +} and {@code #}: Device Defender flags {@code topicfilter/$aws/things/#} and
 *       {@code topicfilter/$aws/things/+/shadow/update}). Receive patterns do not count (Device Defender: Receive on
 *       {@code $aws/things/*} "is compliant because the device can only receive messages from topics on which it
 *       has permission to subscribe"). Wildcards after an identity variable
 *       ({@code things/${iot:Connection.Thing.ThingName}/*}) are fine.</li>
 *   <li>{@code ineffectiveDenies} (IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK): resources, as written, of Deny
 *       statements on topic/topicfilter actions (i) whose topic or filter part contains {@code +} or {@code #}
 *       (POLICY_CONTAINS_MQTT_WILDCARDS_IN_DENY_STATEMENT: literal characters, so they deny only that literal
 *       string), or (ii) whose denied filters can be bypassed by subscribing to an allowed MQTT wildcard filter of an
 *       ancestor level ({@code building/#} around a denied {@code building/control_room/*}) while Receive on the
 *       denied topics is allowed (TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS; decided by probing the
 *       ancestor {@code #} and single-level {@code +} filters).</li>
 *   <li>{@code spoofableVariables}: {@code ${iot:ClientId}} when it scopes an allowed topic/filter/thing pattern
 *       while the client can choose its client id: Connect scope {@code any}, or {@code pattern} with a wildcard or
 *       more than one allowed pattern. Thing variables are not listed: per the AWS IoT guide they resolve only for a
 *       thing attached to the authenticated principal (otherwise access is denied); certificate variables come from
 *       the certificate.</li>
 * </ul>
 */
public final class IotPolicyAnalyzer {
    private IotPolicyAnalyzer() {}

    /** Variables whose value identifies the connected device (compared case-insensitively). */
    public static final Set<String> IDENTITY_VARIABLES = Set.of(
            "iot:clientid", "iot:connection.thing.thingname", "iot:certificate.subject.commonname",
            "iot:certificate.serialnumber", "iot:certificate.subject.serialnumber", "cognito-identity.amazonaws.com:sub");

    public static final String THING_NAME_VAR = "iot:Connection.Thing.ThingName";
    public static final String CLIENT_ID_VAR = "iot:ClientId";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** AWS IoT caps a policy document at 2048 characters (whitespace excluded); far larger input is not a policy. */
    static final int MAX_DOCUMENT_CHARS = 64 * 1024;
    private static final List<String> MQTT_ACTIONS = List.of("iot:Publish", "iot:Receive", "iot:Subscribe",
            "iot:RetainPublish", "iot:GetRetainedMessage");

    private record Stmt(int index, boolean allow, List<String> actions, boolean notAction, List<String> resources,
                        boolean notResource, boolean hasCondition, boolean isAttached, Set<String> named,
                        Map<String, List<IotGlob>> residuals) {
        Stmt(int index, boolean allow, List<String> actions, boolean notAction, List<String> resources,
             boolean notResource, boolean hasCondition, boolean isAttached) {
            this(index, allow, actions, notAction, resources, notResource, hasCondition, isAttached,
                    Set.copyOf(IotActions.expand(actions, notAction)), residualsOf(resources));
        }
    }

    /** Per resource type, the resource-name patterns of the statement's resources (computed once per statement). */
    private static Map<String, List<IotGlob>> residualsOf(List<String> resources) {
        Map<String, List<IotGlob>> out = new java.util.HashMap<>();
        List<IotGlob> parsed = resources.stream().map(IotGlob::parse).toList();
        for (String type : List.of(IotActions.CLIENT, IotActions.TOPIC, IotActions.TOPIC_FILTER, IotActions.THING)) {
            List<IotGlob> globs = new ArrayList<>();
            for (IotGlob g : parsed) globs.addAll(g.residualFor(type));
            out.put(type, List.copyOf(globs));
        }
        return out;
    }

    private record Grant(IotGlob glob, Stmt stmt) {}

    /** Never throws. */
    public static IotPolicyAnalysis analyze(String policyDocumentJson) {
        try {
            return analyzeChecked(policyDocumentJson);
        } catch (RuntimeException | StackOverflowError e) {
            List<String> problems = List.of("internal error while analysing the policy: " + e.getClass().getSimpleName()
                    + "; answers are the worst case");
            return worstCase(List.of(), problems);
        }
    }

    private static IotPolicyAnalysis worstCase(List<IotPolicyAnalysis.Statement> statements, List<String> problems) {
        return new IotPolicyAnalysis(statements, "any", List.of("*"), List.of("*"), List.of("*"), true, true,
                List.of("the policy could not be read completely; assuming it allows every action on *"),
                List.of(), List.of(), problems);
    }

    private static IotPolicyAnalysis analyzeChecked(String doc) {
        List<String> problems = new ArrayList<>();
        List<IotPolicyAnalysis.Statement> written = new ArrayList<>();
        List<Stmt> stmts = new ArrayList<>();
        if (doc != null && doc.length() > MAX_DOCUMENT_CHARS) {
            problems.add("the policy document is " + doc.length() + " characters, beyond what AWS IoT accepts; not analysed");
            stmts.add(new Stmt(-1, true, List.of("*"), false, List.of("*"), false, false, false));
            return derive(written, stmts, problems);
        }
        JsonNode root;
        try {
            root = doc == null ? null : JSON.readTree(doc);
        } catch (Exception e) {
            root = null;
        }
        if (root == null || !root.isObject()) {
            problems.add(root == null ? "the policy document is not valid JSON" : "the policy document is not a JSON object");
            stmts.add(new Stmt(-1, true, List.of("*"), false, List.of("*"), false, false, false));
            return derive(written, stmts, problems);
        }
        JsonNode version = root.get("Version");
        if (version == null) problems.add("the policy has no Version");
        else if (!"2012-10-17".equals(version.asText())) problems.add("unexpected Version " + version.asText());
        JsonNode st = root.get("Statement");
        List<JsonNode> list = new ArrayList<>();
        if (st == null) problems.add("the policy has no Statement");
        else if (st.isArray()) st.forEach(list::add);
        else if (st.isObject()) list.add(st);
        else {
            problems.add("Statement is neither an object nor a list");
            stmts.add(new Stmt(-1, true, List.of("*"), false, List.of("*"), false, false, false));
        }
        for (int i = 0; i < list.size(); i++) readStatement(i, list.get(i), written, stmts, problems);
        return derive(written, stmts, problems);
    }

    private static void readStatement(int i, JsonNode s, List<IotPolicyAnalysis.Statement> written, List<Stmt> stmts,
                                      List<String> problems) {
        String where = "statement " + (i + 1);
        if (!s.isObject()) {
            problems.add(where + " is not an object; read as allowing every action on *");
            stmts.add(new Stmt(i, true, List.of("*"), false, List.of("*"), false, false, false));
            return;
        }
        String effect = s.path("Effect").isTextual() ? s.get("Effect").asText() : "";
        boolean allow = !"Deny".equals(effect);
        boolean unreadable = false;
        if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
            problems.add(where + " has Effect '" + effect + "' (not Allow or Deny); read as Allow");
            unreadable = true;
        }
        boolean notAction = s.has("NotAction") && !s.has("Action");
        List<String> actions = strings(notAction ? s.get("NotAction") : s.get("Action"));
        if (notAction) problems.add(where + " uses NotAction; it applies to every data-plane action it does not name");
        if (actions == null) {
            problems.add(where + " has no readable Action");
            actions = List.of();
            unreadable = true;
        }
        boolean notResource = s.has("NotResource") && !s.has("Resource");
        List<String> resources = strings(notResource ? s.get("NotResource") : s.get("Resource"));
        if (notResource) problems.add(where + " uses NotResource; "
                + (allow ? "read as Resource *" : "its Deny is not relied on"));
        if (resources == null) {
            problems.add(where + " has no readable Resource");
            resources = List.of();
            unreadable = true;
        }
        JsonNode cond = s.get("Condition");
        boolean hasCondition = cond != null && !cond.isNull();
        written.add(new IotPolicyAnalysis.Statement(effect, actions, resources, hasCondition));
        if (unreadable && allow) {
            problems.add(where + " is read as allowing every action on *");
            stmts.add(new Stmt(i, true, List.of("*"), false, List.of("*"), false, hasCondition, false));
            return;
        }
        if (unreadable) return;
        stmts.add(new Stmt(i, allow, actions, notAction, resources, notResource, hasCondition, isAttachedTrue(cond)));
    }

    private static List<String> strings(JsonNode n) {
        if (n == null || n.isNull()) return null;
        if (n.isTextual()) return List.of(n.asText());
        if (n.isArray()) {
            List<String> out = new ArrayList<>();
            for (JsonNode e : n) {
                if (!e.isTextual()) return null;
                out.add(e.asText());
            }
            return out;
        }
        return null;
    }

    /** A {@code Bool} condition requiring {@code iot:Connection.Thing.IsAttached} to be true. */
    private static boolean isAttachedTrue(JsonNode cond) {
        if (cond == null || !cond.isObject()) return false;
        JsonNode bool = null;
        for (var it = cond.fields(); it.hasNext(); ) {
            var e = it.next();
            if (e.getKey().equalsIgnoreCase("Bool")) bool = e.getValue();
        }
        if (bool == null || !bool.isObject()) return false;
        for (var it = bool.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getKey().equalsIgnoreCase("iot:Connection.Thing.IsAttached")) continue;
            JsonNode v = e.getValue();
            if (v.isArray() && v.size() == 1) v = v.get(0);
            return v.asText().equalsIgnoreCase("true");
        }
        return false;
    }

    // ---------------------------------------------------------------- evaluation

    private static boolean names(Stmt s, String action) {
        return s.named().contains(action);
    }

    private static final List<IotGlob> ANY = List.of(IotGlob.parse("*"));

    private static List<IotGlob> resourceGlobs(Stmt s, String type) {
        if (s.notResource()) return s.allow() ? ANY : List.of();
        return s.residuals().get(type);
    }

    /** Deny patterns that surely apply to the action. */
    private static List<IotGlob> denied(List<Stmt> stmts, String action) {
        String type = IotActions.RESOURCE_TYPE.get(action);
        List<IotGlob> out = new ArrayList<>();
        for (Stmt s : stmts) {
            if (s.allow() || s.hasCondition() || s.notResource() || !names(s, action)) continue;
            out.addAll(resourceGlobs(s, type));
        }
        return out;
    }

    /** Allowed grants of an action: union(Allow) minus what union(Deny) surely covers, minimal. */
    private static List<Grant> allowed(List<Stmt> stmts, String action) {
        String type = IotActions.RESOURCE_TYPE.get(action);
        if (type == null) return List.of();
        List<IotGlob> deny = denied(stmts, action);
        Map<IotGlob, Grant> grants = new LinkedHashMap<>();
        for (Stmt s : stmts) {
            if (!s.allow() || !names(s, action)) continue;
            for (IotGlob g : resourceGlobs(s, type)) {
                if (!deny.isEmpty() && IotGlob.subset(g, deny)) continue;
                Grant prev = grants.get(g);
                // the same pattern without a condition is the stronger grant
                if (prev == null || (prev.stmt().isAttached() && !s.isAttached())) grants.put(g, new Grant(g, s));
            }
        }
        List<IotGlob> min = IotGlob.minimal(new ArrayList<>(grants.keySet()));
        List<Grant> out = new ArrayList<>();
        for (IotGlob g : min) out.add(grants.get(g));
        return out;
    }

    private static boolean isVar(IotGlob g, String name) {
        return g.tokens().size() == 1 && g.tokens().get(0) instanceof IotGlob.Var v && v.name().equalsIgnoreCase(name);
    }

    private static boolean isStar(IotGlob g) {
        return g.tokens().size() == 1 && g.tokens().get(0) instanceof IotGlob.Star;
    }

    /** Index of the first wildcard token (glob, and with {@code mqtt} also literal + and #), or -1. */
    private static int firstWildcard(IotGlob g, boolean mqtt) {
        List<IotGlob.Tok> t = g.tokens();
        for (int i = 0; i < t.size(); i++) {
            if (t.get(i) instanceof IotGlob.Star || t.get(i) instanceof IotGlob.One) return i;
            if (mqtt && t.get(i) instanceof IotGlob.Lit l && (l.c() == '+' || l.c() == '#')) return i;
        }
        return -1;
    }

    private static int firstIdentity(IotGlob g) {
        List<IotGlob.Tok> t = g.tokens();
        for (int i = 0; i < t.size(); i++)
            if (t.get(i) instanceof IotGlob.Var v && IDENTITY_VARIABLES.contains(v.name().toLowerCase(Locale.ROOT))) return i;
        return -1;
    }

    /** Not bound to the device: a wildcard with no identity variable before it. */
    static boolean reachesOthers(IotGlob g, boolean mqtt) {
        int w = firstWildcard(g, mqtt);
        if (w < 0) return false;
        int id = firstIdentity(g);
        return id < 0 || w < id;
    }

    private static IotPolicyAnalysis derive(List<IotPolicyAnalysis.Statement> written, List<Stmt> stmts, List<String> problems) {
        Map<String, List<Grant>> allowed = new LinkedHashMap<>();
        for (String a : IotActions.all()) allowed.put(a, allowed(stmts, a));

        // connect scope
        List<Grant> connect = allowed.get("iot:Connect");
        String connectScope;
        if (connect.isEmpty()) connectScope = "none";
        else if (connect.stream().anyMatch(g -> (isStar(g.glob()) || isVar(g.glob(), CLIENT_ID_VAR)) && !g.stmt().isAttached()))
            connectScope = "any";
        else if (connect.stream().allMatch(g -> isVar(g.glob(), THING_NAME_VAR)
                || ((isStar(g.glob()) || isVar(g.glob(), CLIENT_ID_VAR)) && g.stmt().isAttached())))
            connectScope = "thing_name";
        else connectScope = "pattern";

        List<String> publish = IotGlob.render(globs(allowed.get("iot:Publish")));
        List<String> receive = IotGlob.render(globs(allowed.get("iot:Receive")));
        List<String> subscribe = IotGlob.render(globs(allowed.get("iot:Subscribe")));

        boolean cross = globs(allowed.get("iot:Publish")).stream().anyMatch(g -> reachesOthers(g, false))
                || globs(allowed.get("iot:Receive")).stream().anyMatch(g -> reachesOthers(g, false))
                || globs(allowed.get("iot:Subscribe")).stream().anyMatch(g -> reachesOthers(g, true));

        // overly permissive
        List<String> reasons = new ArrayList<>();
        if ("any".equals(connectScope)) reasons.add("ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS: iot:Connect with any client id");
        for (Map.Entry<String, List<Grant>> e : allowed.entrySet()) {
            String type = IotActions.RESOURCE_TYPE.get(e.getKey());
            if (type == null || IotActions.CLIENT.equals(type)) continue;
            if (!MQTT_ACTIONS.contains(e.getKey()) && !IotActions.THING.equals(type)) continue;
            // Receive alone reaches nothing: messages arrive only on filters the device may subscribe to
            if ("iot:Receive".equals(e.getKey())) continue;
            // an allowed filter with a literal + or # is subscribable as that MQTT wildcard filter
            boolean mqtt = IotActions.TOPIC_FILTER.equals(type);
            for (Grant g : e.getValue()) {
                if (reachesOthers(g.glob(), mqtt))
                    reasons.add("ALLOWS_BROAD_ACCESS_TO_IOT_DATA_PLANE_ACTIONS: " + e.getKey() + " on " + type + "/" + g.glob());
            }
        }

        // ineffective denies
        Set<String> ineffective = new LinkedHashSet<>();
        for (Stmt s : stmts) {
            if (s.allow() || s.notResource()) continue;
            for (String action : List.of("iot:Publish", "iot:Receive", "iot:Subscribe", "iot:RetainPublish", "iot:GetRetainedMessage")) {
                if (!names(s, action)) continue;
                String type = IotActions.RESOURCE_TYPE.get(action);
                for (String r : s.resources()) {
                    for (IotGlob d : IotGlob.parse(r).residualFor(type)) {
                        if (firstWildcard(d, true) >= 0 && hasMqttWildcard(d)) ineffective.add(r);
                        else if ("iot:Subscribe".equals(action) && bypassable(d, allowed, stmts)) ineffective.add(r);
                    }
                }
            }
        }

        // spoofable variables
        List<String> spoofable = new ArrayList<>();
        boolean clientChooses = "any".equals(connectScope) || ("pattern".equals(connectScope)
                && (connect.size() > 1 || connect.stream().anyMatch(g -> g.glob().hasWildcard())));
        if (clientChooses) {
            boolean usesClientId = false;
            for (Map.Entry<String, List<Grant>> e : allowed.entrySet()) {
                if (IotActions.CLIENT.equals(IotActions.RESOURCE_TYPE.get(e.getKey()))) continue;
                for (Grant g : e.getValue())
                    if (g.glob().variables().stream().anyMatch(v -> v.equalsIgnoreCase(CLIENT_ID_VAR))) usesClientId = true;
            }
            if (usesClientId) spoofable.add("${" + CLIENT_ID_VAR + "}");
        }

        return new IotPolicyAnalysis(written, connectScope, publish, receive, subscribe, cross, !reasons.isEmpty(),
                reasons, List.copyOf(ineffective), spoofable, problems);
    }

    private static boolean hasMqttWildcard(IotGlob g) {
        return g.tokens().stream().anyMatch(t -> t instanceof IotGlob.Lit l && (l.c() == '+' || l.c() == '#'));
    }

    private static List<IotGlob> globs(List<Grant> grants) {
        return grants.stream().map(Grant::glob).toList();
    }

    /**
     * TOPIC_FILTERS_INTENDED_TO_DENY_ALLOWED_USING_WILDCARDS: a denied filter pattern {@code d} is bypassed when the
     * device may subscribe to an MQTT wildcard filter of an ancestor level (or with a {@code +} level) that {@code d}
     * does not deny, and may receive the topics {@code d} was meant to keep away.
     */
    private static boolean bypassable(IotGlob d, Map<String, List<Grant>> allowed, List<Stmt> stmts) {
        List<IotGlob.Tok> t = d.tokens();
        StringBuilder lit = new StringBuilder();
        boolean exact = true;
        for (IotGlob.Tok tok : t) {
            if (tok instanceof IotGlob.Lit l) lit.append(l.c());
            else {
                exact = false;
                break;
            }
        }
        String prefix = lit.toString();
        String base = exact ? prefix : prefix.substring(0, prefix.lastIndexOf('/') + 1);
        String sample = exact ? prefix : base + "x";
        List<IotGlob> allowedSub = globs(allowed.get("iot:Subscribe"));
        List<IotGlob> deniedSub = denied(stmts, "iot:Subscribe");
        List<IotGlob> allowedRecv = globs(allowed.get("iot:Receive"));
        if (allowedRecv.stream().noneMatch(g -> g.matches(sample))) return false;
        if (denied(stmts, "iot:Receive").stream().anyMatch(g -> g.matches(sample))) return false;
        if (deniedSub.stream().anyMatch(g -> g.matches(sample)) && !d.matches(sample)) return false;
        String[] levels = sample.split("/", -1);
        List<String> probes = new ArrayList<>();
        for (int k = 0; k < levels.length; k++) {
            probes.add(String.join("/", java.util.Arrays.asList(levels).subList(0, k)) + (k == 0 ? "#" : "/#"));
            String[] plus = levels.clone();
            plus[k] = "+";
            probes.add(String.join("/", plus));
        }
        for (String f : probes) {
            if (d.matches(f)) continue;
            if (deniedSub.stream().anyMatch(g -> g.matches(f))) continue;
            if (allowedSub.stream().anyMatch(g -> g.matches(f))) return true;
        }
        return false;
    }
}
