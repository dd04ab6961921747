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
 * a different user name, source address or certificate. Bounded: idle sessions expire and the
 * least recently used are evicted beyond {@code max}; an evicted or replaced session releases its connection slot.
 */
final class Sessions {

    /** One client's session and when it was last used (nanoseconds of {@code clock}). */
    static final class Entry {
        final Session session;
        volatile long used;

        Entry(Session session, long used) {
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

    int size() { return map.size(); }

    /** A new connection (authentication / register call): always a fresh session, the previous one is released. */
    Session connect(String key, ClientInfo client) {
        // release the previous connection's slot first, so that a reconnect is not counted twice
        Entry old = map.remove(key);
        if (old != null) enforcer.disconnect(old.session);
        Session s = enforcer.connect(client);
        // a refused client keeps no session: later calls evaluate it again (and are denied again)
        if (!s.connectDecision().allowed()) return s;
        Entry raced = map.put(key, new Entry(s, clock.getAsLong()));
        if (raced != null) enforcer.disconnect(raced.session);
        bound();
        return s;
    }

    /**
     * The client's session for an authorization call. {@code client} carries what this call knows; a source address
     * or certificate name that differs from the session's means another connection, so the session is replaced.
     */
    Session lookup(String key, ClientInfo client) {
        Entry e = map.get(key);
        if (e != null) {
            ClientInfo had = e.session.client();
            boolean otherUser = client.username() != null && !client.username().equals(had.username());
            boolean otherIp = !client.ip().isEmpty() && !client.ip().equals(had.ip());
            boolean otherCert = client.certCn() != null && !Objects.equals(client.certCn(), had.certCn());
            if (!otherUser && !otherIp && !otherCert) {
                e.used = clock.getAsLong();
                return e.session;
            }
        }
        return connect(key, e == null ? client : merge(e.session.client(), client));
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
        if (e != null) enforcer.disconnect(e.session);
        return e != null;
    }

    /** Drops sessions idle longer than the limit, then the least recently used beyond {@code max}. */
    void sweep() {
        long now = clock.getAsLong();
        for (Map.Entry<String, Entry> e : map.entrySet()) {
            if (now - e.getValue().used > idleNanos && map.remove(e.getKey(), e.getValue())) enforcer.disconnect(e.getValue().session);
        }
        int over = map.size() - max;
        if (over <= 0) return;
        List<Map.Entry<String, Entry>> all = new ArrayList<>(map.entrySet());
        all.sort((a, b) -> Long.compare(a.getValue().used, b.getValue().used));
        // evict a little more than needed so that the sort is not repeated for every new client
        int drop = Math.min(all.size(), over + Math.max(1, max / 16));
        for (int i = 0; i < drop; i++) {
            Map.Entry<String, Entry> e = all.get(i);
            if (map.remove(e.getKey(), e.getValue())) enforcer.disconnect(e.getValue().session);
        }
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
            if (map.remove(e.getKey(), e.getValue())) enforcer.disconnect(e.getValue().session);
        }
    }
}
