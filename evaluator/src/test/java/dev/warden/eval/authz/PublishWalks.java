package dev.warden.eval.authz;

import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.dsl.ir.AuthzPolicy.Action;
import dev.warden.model.types.TopicFilter;

import java.util.ArrayList;
import java.util.List;

/** The publish rules of a policy as both walks the engine can take: the node trie and its flat layout (tests). */
record PublishWalks(AuthzPolicy policy, TopicTrie nodes, FlatTrie flat, boolean[] allow) {

    static PublishWalks of(AuthzPolicy p) {
        List<Integer> idx = new ArrayList<>();
        List<TopicFilter> pats = new ArrayList<>();
        int[] flags = new int[p.rules().size()];
        boolean[] allow = new boolean[p.rules().size()];
        for (AuthzPolicy.Rule r : p.rules()) {
            flags[r.index()] = FlatTrie.flags(r);
            allow[r.index()] = r.allow();
            if (r.action() == Action.PUBLISH) {
                idx.add(r.index());
                pats.add(r.pattern());
            }
        }
        TopicTrie nodes = new TopicTrie(idx, pats);
        return new PublishWalks(p, nodes, new FlatTrie(nodes.root(), flags), allow);
    }

    /** The node walk's answer (lowest deny, lowest admitting allow), for comparison with {@link FlatTrie#matchBoth}. */
    long viaNodes(String topic, Session.Binding b, int qos, boolean retain) {
        return nodes.matchBoth(topic, b, allow, (r, bb, q, t) -> bb.active(r) && policy.rules().get(r).admits(q, t), qos, retain);
    }
}
