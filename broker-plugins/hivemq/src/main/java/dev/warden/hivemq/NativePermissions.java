package dev.warden.hivemq;

import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.MqttActivity;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.PermissionType;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.Qos;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission.Retain;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import dev.warden.dsl.ir.AuthzPolicy.Action;
import dev.warden.eval.authz.Grant;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code enforcement = permissions}: a client's Warden publish rules as HiveMQ default permissions, which HiveMQ
 * evaluates in line for every PUBLISH (and will message) with no extension task. HiveMQ takes the first permission
 * that matches, so the list is laid out to give Warden's answer:
 * <ol>
 *   <li>every deny rule (deny wins);</li>
 *   <li>every allow rule with a wildcard (HiveMQ compares these level by level, as MQTT does);</li>
 *   <li>the wildcard-free allow rules, deepest first, each preceded by a guard {@code DENY <topic>/+/#}. HiveMQ
 *       compares a wildcard-free permission with the topic after stripping trailing {@code /}, so {@code a/b} alone
 *       would also admit {@code a/b/} and {@code a/b//}; the guard refuses those (and anything below {@code a/b} that
 *       no earlier permission admitted).</li>
 * </ol>
 * Subscriptions are decided by Warden's SUBSCRIBE interceptor, which renames a refused subscription to
 * {@link #REFUSED} so that the first permission here refuses it; everything else may subscribe.
 *
 * <p>What HiveMQ cannot be told is reported, not approximated: {@link Plan#inexact} names the rule.
 */
final class NativePermissions {
    /** Topic filter prefix a refused subscription is renamed to; the first permission denies it. */
    static final String REFUSED = "$warden/refused";

    /** The permission list for one client, and whether its publishes also need Warden's inbound check. */
    record Plan(List<TopicPermission> permissions, boolean publishCheck, String inexact) {}

    private NativePermissions() {}

    /**
     * The plan for {@code grants}; {@code limits}: the policy has payload or rate limits, which only a per-PUBLISH
     * check can apply.
     */
    static Plan plan(List<Grant> grants, boolean limits) {
        List<Grant> pub = grants.stream().filter(g -> g.action() == Action.PUBLISH).toList();
        boolean check = limits;
        for (Grant g : pub) {
            String first = g.filter().split("/", -1)[0];
            // HiveMQ's permission `#` or `+/...` also matches topics starting with `$`, which Warden's do not: such a
            // client's publishes are checked by Warden first (the permission list still decides everything else)
            if (g.allow() && (first.equals("+") || first.equals("#"))) check = true;
            if (g.filter().endsWith("/"))
                return new Plan(List.of(), true, "rule " + g.origin().display() + " (`" + g.filter() + "`) ends with an empty topic level, "
                        + "which HiveMQ's permissions ignore");
            if (g.filter().startsWith("$share/"))
                return new Plan(List.of(), true, "rule " + g.origin().display() + " (`" + g.filter() + "`) is a shared-subscription name");
        }
        List<TopicPermission> out = new ArrayList<>();
        out.add(perm(REFUSED + "/#", PermissionType.DENY, MqttActivity.SUBSCRIBE, Qos.ALL, Retain.ALL));
        for (Grant g : pub) if (!g.allow()) out.add(perm(g.filter(), PermissionType.DENY, MqttActivity.PUBLISH, Qos.ALL, Retain.ALL));
        for (Grant g : pub) if (g.allow() && g.hasWildcard()) out.add(allow(g));
        List<Grant> literal = new ArrayList<>(pub.stream().filter(g -> g.allow() && !g.hasWildcard()).toList());
        literal.sort(Comparator.comparingInt((Grant g) -> -levels(g.filter())).thenComparing(Grant::filter).thenComparingInt(Grant::rule));
        String guarded = null;
        for (Grant g : literal) {
            if (!g.filter().equals(guarded)) out.add(perm(g.filter() + "/+/#", PermissionType.DENY, MqttActivity.PUBLISH, Qos.ALL, Retain.ALL));
            guarded = g.filter();
            out.add(allow(g));
        }
        out.add(perm("#", PermissionType.ALLOW, MqttActivity.SUBSCRIBE, Qos.ALL, Retain.ALL));
        return new Plan(List.copyOf(out), check, null);
    }

    /** enforcement = hooks: only the refused-subscription name is denied (default ALLOW); Warden's interceptors decide the rest. */
    static List<TopicPermission> hooks() {
        return List.of(perm(REFUSED + "/#", PermissionType.DENY, MqttActivity.SUBSCRIBE, Qos.ALL, Retain.ALL));
    }

    private static int levels(String filter) {
        int n = 1;
        for (int i = 0; i < filter.length(); i++) if (filter.charAt(i) == '/') n++;
        return n;
    }

    private static TopicPermission allow(Grant g) {
        Retain r = g.retainAllowed() ? Retain.ALL : Retain.NOT_RETAINED;
        return perm(g.filter(), PermissionType.ALLOW, MqttActivity.PUBLISH, qos(g.qosMin(), g.qosMax()), r);
    }

    static Qos qos(int min, int max) {
        if (min == max) return switch (min) { case 0 -> Qos.ZERO; case 1 -> Qos.ONE; default -> Qos.TWO; };
        return min == 0 ? (max == 1 ? Qos.ZERO_ONE : Qos.ALL) : Qos.ONE_TWO;
    }

    private static TopicPermission perm(String filter, PermissionType type, MqttActivity activity, Qos qos, Retain retain) {
        return Builders.topicPermission().topicFilter(filter).type(type).activity(activity).qos(qos).retain(retain).build();
    }

    /** A comparable rendering of a plan's permissions (to tell whether a reload changed a client's rights). */
    static List<String> describe(List<TopicPermission> perms) {
        return perms.stream().map(p -> p.getType() + " " + p.getActivity() + " " + p.getTopicFilter() + " qos=" + p.getQos() + " retain=" + p.getPublishRetain()).toList();
    }
}
