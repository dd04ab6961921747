package dev.warden.eval.authz;

import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.model.Origin;

/**
 * One topic rule as it applies to one connected client: its template variables replaced by the client's values.
 * What a broker's native permission list needs ({@link Enforcer#grants}).
 *
 * @param rule      the rule's index in its {@code authorize} block (lower wins among allows)
 * @param allow     allow or deny
 * @param action    publish, subscribe or receive
 * @param filter    the pattern with the client's values in place of {@code ${client.id}}, {@code ${username}}, {@code ${cert.cn}}
 * @param qosMin    lowest QoS admitted (0 for a deny)
 * @param qosMax    highest QoS admitted (2 for a deny)
 * @param retainAllowed whether retained messages are admitted (true for a deny)
 * @param origin    the rule's file:line
 */
public record Grant(int rule, boolean allow, AuthzPolicy.Action action, String filter, int qosMin, int qosMax, boolean retainAllowed, Origin origin) {

    /** Whether the filter contains {@code +} or {@code #}. */
    public boolean hasWildcard() {
        for (String level : filter.split("/", -1)) if (level.equals("+") || level.equals("#")) return true;
        return false;
    }
}
