package dev.warden.pdp;

import dev.warden.eval.authz.ClientInfo;
import dev.warden.eval.authz.Enforcer;
import dev.warden.eval.authz.Session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The engine sessions of the clients the brokers ask about, keyed by mountpoint and client id (MQTT client ids are
 * unique per broker: a second connection takes the first one over). A session is (re)created at the broker's
 * authentication call, or lazily at the first authorization call that finds none, and replaced when a call reports
 * a different user name, source address or certificate. Bounded: an idle session is released (its connection slot
 * too) but the client's identity is kept for the next call; beyond {@code max} the least recently used are dropped.
 */
final class Sessions {

    /**
     * One client: what the broker told about it, its engine session (null once released for idleness: the identity
     * is kept so that the next call reconnects with the address and certificate only the authentication call
     * carries) and when it was last used (nanoseconds of {@code clock}).
     */
    static final class Entry {
        final ClientInfo client;
        final Session session;
        volatile long used;

        Entry(ClientInfo client, Session session, long used) {
            this.client = client;
            this.session = session;
            this.used = used;
        }
    }

    private final Enforcer enforcer;
    private final ConcurrentHashMap<String, Entry> map = new ConcurrentHashMap<>();
    private final int max;
    private final long idleNanos;
    private final LongSupplier clock;

    Sessions(Enforcer enforcer, int max, long idleNanos, LongSupplier clock) {
        this.enforcer = enforcer;
        this.max = max;
        this.idleNanos = idleNanos;
        this.clock = clock;
    }

    static String key(String mountpoint, String clientId) {
        return (mountpoint == null ? "" : mountpoint) + '\u0000' + clientId;
    }

    /** Live sessions (entries kept only as an identity are not counted). */
    int size() {
        int n = 0;
        for (Entry e : map.values()) if (e.session != null) n++;
        return n;
    }

    /** A new connection (authentication / register call): always a fresh session, the previous one is released. */
    Session connect(String key, ClientInfo client) {
        // release the previous connection's slot first, so that a reconnect is not counted twice
        Entry old = map.remove(key);
        release(old);
        Session s = enforcer.connect(client);
        // a refused client keeps no session: later calls evaluate it again (and are denied again)
        if (!s.connectDecision().allowed()) return s;
        release(map.put(key, new Entry(client, s, clock.getAsLong())));
        bound();
        return s;
    }

    /**
     * The client's session for an authorization call. {@code client} carries what this call knows; a user name,
     * source address or certificate name that differs from the session's means another connection, so the session
     * is replaced.
     */
    Session lookup(String key, ClientInfo client) {
        Entry e = map.get(key);
        if (e == null) return connect(key, client);
        ClientInfo had = e.client;
        boolean otherUser = client.username() != null && !client.username().equals(had.username());
        boolean otherIp = !client.ip().isEmpty() && !client.ip().equals(had.ip());
        boolean otherCert = client.certCn() != null && !Objects.equals(client.certCn(), had.certCn());
        if (!otherUser && !otherIp && !otherCert && e.session != null) {
            e.used = clock.getAsLong();
            return e.session;
        }
        // another user is another connection: it inherits nothing; otherwise fill in what this call does not carry
        return connect(key, otherUser ? client : merge(had, client));
    }

    private static ClientInfo merge(ClientInfo had, ClientInfo now) {
        return new ClientInfo(now.id(), now.username() != null ? now.username() : had.username(),
                now.certCn() != null ? now.certCn() : had.certCn(),
                now.certCn() != null ? now.certSans() : had.certSans(),
                now.certCn() != null ? now.certIssuer() : had.certIssuer(),
                now.ip().isEmpty() ? had.ip() : now.ip(),
                now.certCn() != null ? now.auth() : had.auth(),
                now.protocol().isEmpty() ? had.protocol() : now.protocol(),
                now.listener() != 0 ? now.listener() : had.listener());
    }

    /** The broker says the client is gone: releases its session. */
    boolean gone(String mountpoint, String clientId) {
        Entry e = map.remove(key(mountpoint, clientId));
        release(e);
        return e != null;
    }

    /**
     * Releases the engine sessions idle longer than the limit (their identities stay), then drops the least recently
     * used entries beyond {@code max}.
     */
    void sweep() {
        long now = clock.getAsLong();
        for (Map.Entry<String, Entry> e : map.entrySet()) {
            Entry v = e.getValue();
            if (v.session != null && now - v.used > idleNanos && map.replace(e.getKey(), v, new Entry(v.client, null, v.used))) release(v);
        }
        int over = map.size() - max;
        if (over <= 0) return;
        List<Map.Entry<String, Entry>> all = new ArrayList<>(map.entrySet());
        all.sort((a, b) -> Long.compare(a.getValue().used, b.getValue().used));
        // evict a little more than needed so that the sort is not repeated for every new client
        int drop = Math.min(all.size(), over + Math.max(1, max / 16));
        for (int i = 0; i < drop; i++) {
            Map.Entry<String, Entry> e = all.get(i);
            if (map.remove(e.getKey(), e.getValue())) release(e.getValue());
        }
    }

    private void release(Entry e) {
        if (e != null && e.session != null) enforcer.disconnect(e.session);
    }

    private void bound() {
        if (map.size() > max) {
            synchronized (this) {
                if (map.size() > max) sweep();
            }
        }
    }

    /** Releases every session (server shutdown). */
    void clear() {
        for (Map.Entry<String, Entry> e : map.entrySet()) {
            if (map.remove(e.getKey(), e.getValue())) release(e.getValue());
        }
    }
}
