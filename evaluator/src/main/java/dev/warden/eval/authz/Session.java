package dev.warden.eval.authz;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One connected client as the engine sees it: its identity, the rules active for it (from {@code when} conditions,
 * evaluated once per connection and again after a policy reload) and its rate-limit buckets. Create with
 * {@link Enforcer#connect}; pass to every decision; end with {@link Enforcer#disconnect}.
 */
public final class Session {

    /** The rules active for this client under one engine. */
    static final class Binding {
        final AuthzEngine engine;
        /** Bit per rule; shared by every binding with the same mask (see AuthzEngine#intern): never written. */
        final long[] active;
        final String[] values;
        final Decision connect;
        final AuthzEngine.IpState ip;

        Binding(AuthzEngine engine, long[] active, String[] values, Decision connect, AuthzEngine.IpState ip) {
            this.engine = engine;
            this.active = active;
            this.values = values;
            this.connect = connect;
            this.ip = ip;
        }

        boolean active(int rule) {
            return (active[rule >>> 6] & (1L << rule)) != 0;
        }
    }

    private final ClientInfo client;
    volatile Binding binding;
    final Gcra publishBucket = new Gcra();
    final Gcra bytesBucket = new Gcra();
    final AtomicBoolean closed = new AtomicBoolean();

    Session(ClientInfo client, Binding binding) {
        this.client = client;
        this.binding = binding;
    }

    public ClientInfo client() { return client; }

    /**
     * Whether topic rule {@code index} of the enforced block applies to this client (its {@code when} condition
     * holds and the values its template names are present), as of the last decision.
     */
    public boolean ruleActive(int index) {
        Binding b = binding;
        return index >= 0 && (index >>> 6) < b.active.length && b.active(index);
    }

    /** The decision taken when the client connected (or when a reload re-checked it). */
    public Decision connectDecision() { return binding.connect; }
}
