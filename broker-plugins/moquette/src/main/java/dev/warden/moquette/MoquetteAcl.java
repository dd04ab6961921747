package dev.warden.moquette;

import io.moquette.broker.security.ACLFileParser;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;

import java.io.StringReader;
import java.text.ParseException;

/**
 * Moquette 0.17's own ACL-file authorizator built from text ({@code ACLFileParser.parse(Reader)}, which returns the
 * package-private {@code AuthorizationsCollector} as an {@link IAuthorizatorPolicy}): the peer Warden is compared with.
 */
public final class MoquetteAcl {
    private final IAuthorizatorPolicy policy;

    private MoquetteAcl(IAuthorizatorPolicy policy) { this.policy = policy; }

    /**
     * Parses ACL text ({@code topic [read|write|readwrite] T}, {@code user U}, {@code pattern [..] T} with {@code %c}
     * and {@code %u}); a malformed line is reported with its number and text.
     */
    public static MoquetteAcl parse(String text) {
        try {
            return new MoquetteAcl(ACLFileParser.parse(new StringReader(text)));
        } catch (ParseException e) {
            String[] lines = text.split("\n", -1);
            int n = 0;
            for (int i = 0; i < lines.length; i++) if (e.getMessage() != null && e.getMessage().contains(lines[i].strip()) && !lines[i].isBlank()) { n = i + 1; break; }
            throw new IllegalArgumentException("moquette acl" + (n > 0 ? ":" + n : "") + ": " + e.getMessage()
                    + " (hint: lines are `topic [read|write|readwrite] <topic>`, `user <name>` or `pattern [..] <topic>`; comments start at column 1 with #)");
        }
    }

    /** The parsed policy, as Moquette's broker calls it. */
    public IAuthorizatorPolicy policy() { return policy; }

    /**
     * Moquette's publish check. Moquette itself passes the channel's user name (null for anonymous clients); its
     * {@code pattern} lines throw a NullPointerException on a null user name, so null is passed as "".
     */
    public boolean canWrite(String topic, String user, String client) {
        return policy.canWrite(new Topic(topic), user == null ? "" : user, client);
    }

    /** Moquette's subscribe check (it runs once per filter at SUBSCRIBE; there is no check at delivery). */
    public boolean canRead(String filter, String user, String client) {
        return policy.canRead(new Topic(filter), user == null ? "" : user, client);
    }
}
