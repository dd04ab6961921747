package dev.warden.moquette;

import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.eval.authz.AuthzEngine;
import dev.warden.eval.authz.ClientInfo;
import dev.warden.eval.authz.Decision;
import dev.warden.eval.authz.Enforcer;
import dev.warden.eval.authz.Session;
import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;
import io.moquette.interception.AbstractInterceptHandler;
import io.moquette.interception.InterceptHandler;
import io.moquette.interception.messages.InterceptConnectMessage;
import io.moquette.interception.messages.InterceptConnectionLostMessage;
import io.moquette.interception.messages.InterceptDisconnectMessage;
import io.moquette.interception.messages.InterceptPublishMessage;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Enforces a Warden {@code authorize} block on an embedded Moquette 0.17 broker: an authenticator (connect rules),
 * an authorizator (publish and subscribe rules, message rates) and an intercept handler (session clean-up, payload
 * size and byte-rate accounting). See docs/moquette.md for what Moquette lets an authorizator see and enforce.
 */
public final class WardenMoquette implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.warden.moquette");

    /** The protocol every Moquette 0.17 client speaks (it has no MQTT 5). */
    public static final String PROTOCOL = "3.1.1";
    /** Budget for the variable header (topic length prefix, topic, packet id) on top of {@code limit payload}. */
    public static final int DEFAULT_TOPIC_BUDGET = 256;

    private static final int[][] PUBLISH_PROBES = {{0, 0}, {1, 0}, {2, 0}, {0, 1}, {1, 1}, {2, 1}};

    private final Enforcer enforcer;
    private final IAuthenticator passwords;
    private final int maxSessions;
    private final Map<String, Conn> conns = new ConcurrentHashMap<>();
    private final ExecutorService disconnects = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "warden-moquette-disconnect");
        t.setDaemon(true);
        return t;
    });
    private final ByteBucket bytesPerIp = new ByteBucket();
    private final long t0 = System.nanoTime();
    private final LongAdder oversize = new LongAdder();
    private final LongAdder byteRateExceeded = new LongAdder();
    private volatile Server server;

    /** Per-client state: the engine session and the byte-rate bucket the authorizator cannot charge itself. */
    private static final class Conn {
        final Session session;
        final ByteBucket bytes = new ByteBucket();

        Conn(Session session) { this.session = session; }
    }

    /** A byte budget charged after the fact (GCRA on one theoretical arrival time). */
    private static final class ByteBucket {
        private final AtomicLong tat = new AtomicLong();

        /** Charges {@code cost} bytes; false when the charge went over the burst. The charge is kept either way. */
        boolean charge(AuthzPolicy.Rate rate, long cost, long now) {
            double perUnit = (double) rate.periodNanos() / rate.amount();
            long tau = (long) (rate.burst() * perUnit);
            long emission = (long) Math.ceil(cost * perUnit);
            long next = tat.accumulateAndGet(0, (old, ignored) -> Math.max(old, now) + emission);
            return next - now <= tau;
        }

        /** True while earlier charges are over the burst (the client must wait before publishing again). */
        boolean owing(AuthzPolicy.Rate rate, long now) {
            double perUnit = (double) rate.periodNanos() / rate.amount();
            return tat.get() - now > (long) (rate.burst() * perUnit);
        }
    }

    private WardenMoquette(Enforcer enforcer, IAuthenticator passwords, int maxSessions) {
        this.enforcer = enforcer;
        this.passwords = passwords;
        this.maxSessions = maxSessions;
    }

    /** An adapter over this enforcer; connecting clients are checked by the policy's connect rules only. */
    public static WardenMoquette of(Enforcer enforcer) {
        return new WardenMoquette(enforcer, null, 100_000);
    }

    /**
     * An adapter that also requires {@code passwords} (e.g. Moquette's own {@code ResourceAuthenticator}) to accept
     * the user name and password; {@code maxSessions} bounds the client table.
     */
    public static WardenMoquette of(Enforcer enforcer, IAuthenticator passwords, int maxSessions) {
        if (maxSessions < 1) throw new IllegalArgumentException("maxSessions must be at least 1, got " + maxSessions);
        return new WardenMoquette(enforcer, passwords, maxSessions);
    }

    public Enforcer enforcer() { return enforcer; }

    /**
     * Sets the broker settings the policy needs: telemetry off ({@code telemetry_enabled=false}), anonymous clients
     * allowed so that the policy's connect rules decide ({@code allow_anonymous=true}), and, when the policy has
     * {@code limit payload N}, {@code netty.mqtt.message_size = N + topicBudget} (Moquette has only this global
     * limit on the whole variable part of a PUBLISH). Returns the same config.
     */
    public IConfig configure(IConfig config, int topicBudget) {
        config.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        config.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        AuthzEngine e = enforcer.engine();
        if (e.hasPolicy() && e.policy().limits().payloadBytes().isPresent()) {
            long max = e.policy().limits().payloadBytes().get() + topicBudget;
            config.setProperty(IConfig.NETTY_MAX_BYTES_PROPERTY_NAME, String.valueOf(Math.min(Integer.MAX_VALUE, max)));
        }
        return config;
    }

    /** {@link #configure(IConfig, int)} with {@link #DEFAULT_TOPIC_BUDGET}. */
    public IConfig configure(IConfig config) { return configure(config, DEFAULT_TOPIC_BUDGET); }

    /** Configures the broker and starts it with Warden's authenticator, authorizator and intercept handler. */
    public void start(Server broker, IConfig config, List<? extends InterceptHandler> moreHandlers) throws IOException {
        configure(config);
        this.server = broker;
        List<InterceptHandler> handlers = new java.util.ArrayList<>(moreHandlers);
        handlers.add(0, interceptHandler());
        for (String w : unenforceable()) LOG.log(System.Logger.Level.WARNING, "warden: on Moquette " + w);
        broker.startServer(config, handlers, null, authenticator(), authorizator());
    }

    /** The broker whose clients may be disconnected (set by {@link #start}; set it yourself when wiring by hand). */
    public void attach(Server broker) { this.server = broker; }

    /** What the policy in force asks for that Moquette 0.17 cannot enforce before delivery (one line each). */
    public List<String> unenforceable() {
        AuthzEngine e = enforcer.engine();
        if (!e.hasPolicy()) return List.of();
        List<String> out = new java.util.ArrayList<>();
        AuthzPolicy p = e.policy();
        for (AuthzPolicy.Rule r : p.rules()) {
            String at = r.origin().display();
            boolean constrained = r.qosMin() > 0 || r.qosMax() < 2 || r.retain().map(x -> !x).orElse(false);
            if (constrained && r.allow()) out.add("the QoS/retain conditions of `" + r.source() + "` (" + at + ") are not enforced: the authorizator is not told the QoS or retain flag");
            if (r.action() == AuthzPolicy.Action.RECEIVE && r.allow()) out.add("`" + r.source() + "` (" + at + ") grants nothing: Moquette has no delivery check, subscriptions need `allow subscribe`");
        }
        if (p.limits().publishPerIp().isPresent() || p.limits().bytesPerIp().isPresent() || p.limits().connectionsPerIp().isPresent())
            out.add("per-ip limits count all clients together: the authenticator is not told the client's address");
        if (p.limits().bytesPerClient().isPresent() || p.limits().bytesPerIp().isPresent())
            out.add("byte rates are charged after delivery: the message that goes over the budget is delivered, the client's next publishes are refused (or it is disconnected) until the budget refills");
        return out;
    }

    /** Number of clients the adapter holds a session for. */
    public int sessions() { return conns.size(); }

    /** Messages seen larger than {@code limit payload} (possible within the topic budget of the global limit). */
    public long oversizeSeen() { return oversize.sum(); }

    /** Publishes that went over a byte-rate limit. */
    public long byteRateExceeded() { return byteRateExceeded.sum(); }

    private long now() { return System.nanoTime() - t0; }

    // ------------------------------------------------------------------ sessions

    private Conn open(String clientId, String username, String auth) {
        Session s = enforcer.connect(new ClientInfo(clientId, username, null, List.of(), null, null, auth, PROTOCOL, 0));
        if (!s.connectDecision().allowed()) return null;
        Conn c = new Conn(s);
        if (conns.size() >= maxSessions) evictOne();
        Conn old = conns.put(clientId, c);
        if (old != null) enforcer.disconnect(old.session);
        return c;
    }

    private void evictOne() {
        Iterator<Map.Entry<String, Conn>> it = conns.entrySet().iterator();
        if (it.hasNext()) {
            Map.Entry<String, Conn> e = it.next();
            if (conns.remove(e.getKey(), e.getValue())) enforcer.disconnect(e.getValue().session);
        }
    }

    /** The client's session; re-created (connect rules evaluated again) when Moquette never called the authenticator. */
    private Conn conn(String clientId, String username) {
        if (clientId == null) return null;
        Conn c = conns.get(clientId);
        if (c != null && sameUser(c.session.client().username(), username)) return c;
        return open(clientId, username, username == null ? "anonymous" : "password");
    }

    private static boolean sameUser(String a, String b) { return a == null ? b == null : a.equals(b); }

    private void close(String clientId) {
        if (clientId == null) return;
        Conn c = conns.remove(clientId);
        if (c != null) enforcer.disconnect(c.session);
    }

    private void disconnectLater(String clientId, String why) {
        Server s = server;
        LOG.log(System.Logger.Level.WARNING, "warden: disconnecting client `" + clientId + "`: " + why);
        if (s == null) return;
        disconnects.execute(() -> {
            close(clientId);
            s.disconnectClient(clientId);
        });
    }

    // ------------------------------------------------------------------ broker callbacks

    /** Moquette's authenticator: connect rules (and the optional password check); never logs the password. */
    public IAuthenticator authenticator() {
        return (clientId, username, password) -> {
            if (passwords != null && !passwords.checkValid(clientId, username, password)) return false;
            return open(clientId, username, password == null ? "anonymous" : "password") != null;
        };
    }

    /** Moquette's authorizator: {@code canWrite} asks the engine about a publish, {@code canRead} about a subscription. */
    public IAuthorizatorPolicy authorizator() {
        return new IAuthorizatorPolicy() {
            @Override
            public boolean canWrite(Topic topic, String user, String client) {
                Decision d = publish(topic.toString(), user, client);
                return d != null && d.allowed();
            }

            @Override
            public boolean canRead(Topic topic, String user, String client) {
                Decision d = subscribe(topic.toString(), user, client);
                return d != null && d.allowed();
            }
        };
    }

    /**
     * The publish decision for a client: the first QoS/retain combination that is not refused for its QoS or retain
     * flag decides (Moquette tells the authorizator neither), so message rates are charged once. Null when the
     * client is refused at connect.
     */
    Decision publish(String topic, String user, String client) {
        Conn c = conn(client, user);
        if (c == null) return null;
        AuthzEngine e = enforcer.engine();
        if (e.hasPolicy()) {
            AuthzPolicy.Limits l = e.policy().limits();
            long now = now();
            if (l.bytesPerClient().isPresent() && c.bytes.owing(l.bytesPerClient().get(), now)) return null;
            if (l.bytesPerIp().isPresent() && bytesPerIp.owing(l.bytesPerIp().get(), now)) return null;
        }
        Decision d = null;
        for (int[] p : PUBLISH_PROBES) {
            d = enforcer.publish(c.session, topic, p[0], p[1] == 1, 0);
            Decision.Reason r = d.reason();
            if (r != Decision.Reason.QOS_NOT_ALLOWED && r != Decision.Reason.RETAIN_NOT_ALLOWED) break;
        }
        if (d.disconnect()) disconnectLater(client, d.explain());
        return d;
    }

    /** The subscribe decision: allowed when the filter is allowed at some QoS (Moquette does not pass the QoS). */
    Decision subscribe(String filter, String user, String client) {
        Conn c = conn(client, user);
        if (c == null) return null;
        Decision d = null;
        for (int q = 0; q <= 2; q++) {
            d = enforcer.subscribe(c.session, filter, q);
            if (d.reason() != Decision.Reason.QOS_NOT_ALLOWED) break;
        }
        return d;
    }

    /** Session clean-up, refusal of anonymous clients the connect rules reject, payload size and byte accounting. */
    public InterceptHandler interceptHandler() {
        return new AbstractInterceptHandler() {
            @Override
            public String getID() { return "warden"; }

            @Override
            public void onConnect(InterceptConnectMessage msg) {
                // Moquette calls the authenticator only when a user name is sent: check anonymous clients here
                if (msg.getUsername() == null && conn(msg.getClientID(), null) == null)
                    disconnectLater(msg.getClientID(), "refused by the connect rules");
            }

            @Override
            public void onDisconnect(InterceptDisconnectMessage msg) { close(msg.getClientID()); }

            @Override
            public void onConnectionLost(InterceptConnectionLostMessage msg) { close(msg.getClientID()); }

            @Override
            public void onPublish(InterceptPublishMessage msg) {
                try {
                    account(msg.getClientID(), msg.getTopicName(), msg.getPayload().readableBytes());
                } finally {
                    msg.getPayload().release();
                }
            }

            @Override
            public void onSessionLoopError(Throwable error) {
                LOG.log(System.Logger.Level.ERROR, "warden: Moquette session loop error: " + error);
            }
        };
    }

    private void account(String clientId, String topic, int bytes) {
        AuthzEngine e = enforcer.engine();
        if (!e.hasPolicy()) return;
        AuthzPolicy.Limits l = e.policy().limits();
        if (l.payloadBytes().isPresent() && bytes > l.payloadBytes().get()) {
            oversize.increment();
            LOG.log(System.Logger.Level.WARNING, "warden: client `" + clientId + "` published " + bytes + " bytes to `" + topic
                    + "`, over `limit payload " + l.payloadBytes().get() + "` (within Moquette's global netty.mqtt.message_size)");
        }
        Conn c = clientId == null ? null : conns.get(clientId);
        long now = now();
        if (c != null && l.bytesPerClient().isPresent() && !c.bytes.charge(l.bytesPerClient().get(), bytes, now)) over(clientId, l.bytesPerClient().get());
        if (l.bytesPerIp().isPresent() && !bytesPerIp.charge(l.bytesPerIp().get(), bytes, now)) over(clientId, l.bytesPerIp().get());
    }

    private void over(String clientId, AuthzPolicy.Rate r) {
        byteRateExceeded.increment();
        if (r.onExceed() == AuthzPolicy.OnExceed.DISCONNECT) disconnectLater(clientId, "byte rate limit at " + r.origin().display());
    }

    @Override
    public void close() {
        disconnects.shutdownNow();
    }
}
