package dev.warden.aws.iot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The AWS IoT Core data-plane policy actions and the resource type each one is authorised against
 * ({@code client/<clientId>}, {@code topic/<topic>}, {@code topicfilter/<filter>}, {@code thing/<name>}).
 * Action names compare case-insensitively, as in IAM; action wildcards ({@code iot:*}, {@code iot:Pub*},
 * {@code *}) expand against this list. Per the AWS IoT Core "action resources" table, the jobs data-plane actions
 * carry the {@code iotjobsdata:} prefix, and {@code iot:ListNamedShadowsForThing} / {@code iot:ListRetainedMessages}
 * take resource {@code *} (no type). A thing resource name may be {@code thingName} or {@code thingName/shadowName}.
 */
public final class IotActions {
    private IotActions() {}

    public static final String CLIENT = "client";
    public static final String TOPIC = "topic";
    public static final String TOPIC_FILTER = "topicfilter";
    public static final String THING = "thing";

    /** Action name to resource type ({@code null}: the action takes resource {@code *}, no per-device scope). */
    public static final Map<String, String> RESOURCE_TYPE;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("iot:Connect", CLIENT);
        m.put("iot:DeleteConnection", CLIENT);
        m.put("iot:Publish", TOPIC);
        m.put("iot:Receive", TOPIC);
        m.put("iot:RetainPublish", TOPIC);
        m.put("iot:GetRetainedMessage", TOPIC);
        m.put("iot:ListRetainedMessages", null);
        m.put("iot:Subscribe", TOPIC_FILTER);
        m.put("iot:GetThingShadow", THING);
        m.put("iot:UpdateThingShadow", THING);
        m.put("iot:DeleteThingShadow", THING);
        m.put("iot:ListNamedShadowsForThing", null);
        m.put("iotjobsdata:DescribeJobExecution", THING);
        m.put("iotjobsdata:GetPendingJobExecutions", THING);
        m.put("iotjobsdata:StartNextPendingJobExecution", THING);
        m.put("iotjobsdata:UpdateJobExecution", THING);
        RESOURCE_TYPE = java.util.Collections.unmodifiableMap(m);
    }

    /** All data-plane actions, in a stable order. */
    public static List<String> all() {
        return List.copyOf(RESOURCE_TYPE.keySet());
    }

    /** Whether an action pattern as written (IAM glob, case-insensitive) names the action. */
    public static boolean matches(String pattern, String action) {
        if (pattern == null) return false;
        return IotGlob.parse(pattern.toLowerCase(Locale.ROOT)).matches(action.toLowerCase(Locale.ROOT));
    }

    /** Distinct action patterns are few across an account; their expansions are kept (bounded). */
    private static final int NAMED_CACHE_MAX = 4096;
    private static final java.util.concurrent.ConcurrentHashMap<String, List<String>> NAMED = new java.util.concurrent.ConcurrentHashMap<>();

    /** The data-plane actions one pattern names. */
    private static List<String> named(String pattern) {
        List<String> hit = NAMED.get(pattern);
        if (hit != null) return hit;
        List<String> out = new ArrayList<>();
        for (String a : RESOURCE_TYPE.keySet()) if (matches(pattern, a)) out.add(a);
        hit = List.copyOf(out);
        if (NAMED.size() < NAMED_CACHE_MAX) NAMED.putIfAbsent(pattern, hit);
        return hit;
    }

    /** The data-plane actions a list of patterns names (or, with {@code not}, does not name). */
    public static List<String> expand(List<String> patterns, boolean not) {
        java.util.Set<String> hits = new java.util.HashSet<>();
        for (String p : patterns) if (p != null) hits.addAll(named(p));
        List<String> out = new ArrayList<>();
        for (String a : RESOURCE_TYPE.keySet()) if (hits.contains(a) != not) out.add(a);
        return out;
    }
}
