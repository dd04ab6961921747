package dev.warden.hivemq;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.client.parameter.Listener;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import com.hivemq.extension.sdk.api.client.ClientContext;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishOutboundOutput;
import com.hivemq.extension.sdk.api.interceptor.suback.SubackOutboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.suback.parameter.SubackOutboundInput;
import com.hivemq.extension.sdk.api.interceptor.suback.parameter.SubackOutboundOutput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.SubscribeInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundInput;
import com.hivemq.extension.sdk.api.interceptor.subscribe.parameter.SubscribeInboundOutput;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.subscribe.ModifiableSubscription;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.packets.connect.ConnectPacket;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.general.MqttVersion;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import dev.warden.eval.authz.ClientInfo;
import dev.warden.eval.authz.Decision;
import dev.warden.eval.authz.Enforcer;
import dev.warden.eval.authz.Session;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Translates HiveMQ callbacks into {@link Enforcer} calls. Each connection gets a {@link Conn} (its Warden session)
 * found through the connection attribute store, so a client-id takeover never mixes two connections' state. With no
 * enforcer (the configuration could not be read) every client is refused.
 */
final class WardenHooks {
    private static final System.Logger LOG = System.getLogger("dev.warden.hivemq");
    static final String ATTR = "dev.warden.conn";
    /** Delay between a refused PUBLISH's negative acknowledgement and the DISCONNECT that follows it. */
    static final long DISCONNECT_AFTER_MS = 50;

    private final Enforcer enforcer;
    private final String brokenReason;
    private final WardenConfig cfg;
    private final ConcurrentHashMap<Long, Conn> conns = new ConcurrentHashMap<>();
    private final AtomicLong seq = new AtomicLong();

    /** Warden's refusal of one subscription of a SUBSCRIBE packet, applied to its SUBACK. */
    private record Refusal(SubackReasonCode code, String why) {}

    /** The Warden state of one connection. */
    final class Conn implements PublishInboundInterceptor, PublishOutboundInterceptor, SubscribeInboundInterceptor, SubackOutboundInterceptor {
        final Session session;
        final boolean mqtt5;
        final String clientId;
        /** Warden's refusals of the SUBSCRIBE packets awaiting their SUBACK, by packet id (null entry: granted). */
        final ConcurrentHashMap<Integer, Refusal[]> refusals = new ConcurrentHashMap<>();
        /** The engine in force when this connection was admitted (receive-check = reload). */
        final Object admittedUnder;
        /** A persistent session resumed: it may hold subscriptions Warden did not authorize for this connection. */
        final boolean resumed;
        private ClientContext ctx;           // guarded by this
        private boolean deliveryCheck;       // guarded by this
        private boolean outboundAdded;       // guarded by this
        /** enforcement = permissions: the client's HiveMQ permission list as set at CONNECT (or last compared). */
        volatile NativePermissions.Plan plan;
        /** This connection's key in {@code conns} (0: not registered). */
        volatile long key;

        Conn(Session session, boolean mqtt5, String clientId, boolean resumed) {
            this.session = session;
            this.mqtt5 = mqtt5;
            this.clientId = clientId;
            this.resumed = resumed;
            this.admittedUnder = enforcer == null ? null : enforcer.engine();
        }

        /** Registers this connection's interceptors (HiveMQ's client initializer). */
        synchronized void initialize(ClientContext c) {
            ctx = c;
            c.addSubscribeInboundInterceptor(this);
            c.addSubackOutboundInterceptor(this);
            // permissions: HiveMQ applies the permission list in line; Warden looks at a PUBLISH only for limits or `$` topics
            if (!permissionsMode() || session == null || plan == null || plan.publishCheck()) c.addPublishInboundInterceptor(this);
            boolean check = switch (cfg.receiveCheck()) {
                case ON -> true;
                case OFF -> session == null;
                case RELOAD -> session == null || resumed || enforcer.engine() != admittedUnder;
            };
            if (check || deliveryCheck) checkDeliveries();
        }

        /** From now on every delivery to this client is checked (its subscriptions may predate the policy in force). */
        synchronized void checkDeliveries() {
            deliveryCheck = true;
            if (ctx != null && !outboundAdded) {
                ctx.addPublishOutboundInterceptor(this); // HiveMQ reads the client's interceptors per message
                outboundAdded = true;
            }
        }

        synchronized boolean deliveriesChecked() { return outboundAdded; }

        // -------------------------------------------------------------- PUBLISH (inbound interceptor runs first)

        @Override
        public void onInboundPublish(PublishInboundInput in, PublishInboundOutput out) {
            PublishPacket p = in.getPublishPacket();
            Decision d = publish(p);
            if (d == null) {
                out.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, unauthenticated());
                return;
            }
            if (d.allowed()) return; // the client's permission list admits it too (hooks: it admits every PUBLISH)
            // the only per-PUBLISH hook: it applies the decision itself (no publish authorizer to hand it to)
            boolean disconnect = d.disconnect() || (cfg.publishDenied() == WardenConfig.PublishDenied.DISCONNECT && isRuleDenial(d));
            if (mqtt5) {
                // A QoS 2 PUBLISH refused with an error PUBREC: MQTT 5 (4.3.3) frees its packet identifier, but HiveMQ CE
                // keeps the PUBLISH in its incoming flow state until a PUBREL that never comes, and then acknowledges the
                // client's next QoS 2 PUBLISH with that identifier as a duplicate without delivering it (found by
                // HiveMqRandomPoliciesTest). Closing the connection clears that state, so no later message is lost.
                boolean qos2 = p.getQos() == com.hivemq.extension.sdk.api.packets.general.Qos.EXACTLY_ONCE;
                out.preventPublishDelivery(ackCode(d), d.explain());
                if (disconnect || qos2) {
                    // after the negative PUBACK/PUBREC, which HiveMQ writes once this interceptor returns
                    DisconnectReasonCode code = d.reason() == Decision.Reason.RATE_LIMITED ? DisconnectReasonCode.MESSAGE_RATE_TOO_HIGH
                            : DisconnectReasonCode.NOT_AUTHORIZED;
                    String why = disconnect ? d.explain() : d.explain() + "; a refused QoS 2 message closes the connection (HiveMQ CE keeps its packet identifier in use)";
                    Services.extensionExecutorService().schedule(() -> {
                        // by then this connection may be gone and the client id taken by a new one, which must stay
                        if (key != 0 && conns.get(key) == this) Services.clientService().disconnectClient(clientId, false, code, why);
                    }, DISCONNECT_AFTER_MS, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
            } else if (!d.disconnect() && (d.reason() == Decision.Reason.RATE_LIMITED || cfg.mqtt3Denied() == WardenConfig.Mqtt3Denied.DROP)) {
                out.preventPublishDelivery(AckReasonCode.SUCCESS); // MQTT 3: acknowledged as usual, dropped
            } else {
                out.preventPublishDelivery(AckReasonCode.NOT_AUTHORIZED, d.explain()); // MQTT 3: HiveMQ closes the connection
            }
        }

        // -------------------------------------------------------------- SUBSCRIBE (interceptor, then SUBACK interceptor)

        /**
         * Warden decides each subscription of the packet; a refused one is renamed to {@link NativePermissions#REFUSED}
         * so that the client's permission list (whose first entry denies that name) keeps HiveMQ from storing it, and
         * the SUBACK interceptor then gives the entry Warden's reason code and the packet Warden's reason string.
         */
        @Override
        public void onInboundSubscribe(SubscribeInboundInput in, SubscribeInboundOutput out) {
            List<? extends ModifiableSubscription> subs = out.getSubscribePacket().getSubscriptions();
            Refusal[] refused = null;
            for (int i = 0; i < subs.size(); i++) {
                ModifiableSubscription s = subs.get(i);
                Decision d = session == null ? null : enforcer.subscribe(session, s.getTopicFilter(), s.getQos().getQosNumber());
                if (d != null && d.allowed()) continue;
                if (refused == null) refused = new Refusal[subs.size()];
                refused[i] = d == null ? new Refusal(SubackReasonCode.NOT_AUTHORIZED, unauthenticated())
                        : new Refusal(d.reason() == Decision.Reason.INVALID_TOPIC ? SubackReasonCode.TOPIC_FILTER_INVALID : SubackReasonCode.NOT_AUTHORIZED,
                        d.explain());
                s.setTopicFilter(NativePermissions.REFUSED + "/" + i);
            }
            if (refused != null) refusals.put(out.getSubscribePacket().getPacketId(), refused);
        }

        @Override
        public void onOutboundSuback(SubackOutboundInput in, SubackOutboundOutput out) {
            Refusal[] refused = refusals.remove(in.getSubackPacket().getPacketIdentifier());
            if (refused == null) return;
            List<SubackReasonCode> codes = new ArrayList<>(in.getSubackPacket().getReasonCodes());
            StringBuilder why = new StringBuilder();
            for (int i = 0; i < refused.length && i < codes.size(); i++) {
                Refusal r = refused[i];
                if (r == null) continue;
                codes.set(i, r.code());
                if (why.length() > 0) why.append("; ");
                why.append(r.why());
            }
            out.getSubackPacket().setReasonCodes(codes);
            if (mqtt5) out.getSubackPacket().setReasonString(why.toString());
        }

        private Decision publish(PublishPacket p) {
            if (session == null) return null;
            int bytes = p.getPayload().map(ByteBuffer::remaining).orElse(0);
            return enforcer.publish(session, p.getTopic(), p.getQos().getQosNumber(), p.getRetain(), bytes);
        }

        // -------------------------------------------------------------- delivery

        @Override
        public void onOutboundPublish(PublishOutboundInput in, PublishOutboundOutput out) {
            if (session == null || !enforcer.receive(session, in.getPublishPacket().getTopic()).allowed()) out.preventPublishDelivery();
        }

        private String unauthenticated() {
            return "client '" + clientId + "' was not authenticated by the Warden extension; everything is denied";
        }
    }

    WardenHooks(Enforcer enforcer, WardenConfig cfg, String brokenReason) {
        this.enforcer = enforcer;
        this.cfg = cfg;
        this.brokenReason = brokenReason;
    }

    boolean permissionsMode() { return cfg.enforcement() == WardenConfig.Enforcement.PERMISSIONS; }

    /** Whether the enforced policy has limits that only a per-PUBLISH check can apply. */
    private boolean perPublishLimits() {
        var p = enforcer.engine().policy();
        if (p == null) return false;
        var l = p.limits();
        return l.payloadBytes().isPresent() || l.publishPerClient().isPresent() || l.bytesPerClient().isPresent() || l.publishPerIp().isPresent()
                || l.bytesPerIp().isPresent();
    }

    private NativePermissions.Plan plan(Session s) {
        return NativePermissions.plan(enforcer.grants(s), perPublishLimits());
    }

    /**
     * enforcement = permissions, after a policy swap: a client's HiveMQ permission list is fixed at CONNECT, so every
     * client whose list differs under the new policy (or that the new policy refuses) is disconnected; it
     * reconnects under the new policy. Called by the enforcer just before and just after the swap; acts after.
     */
    void afterSwap(Object next) {
        if (enforcer == null || enforcer.engine() != next) return;
        for (Conn c : conns.values()) {
            if (c.session == null || c.plan == null) continue;
            NativePermissions.Plan fresh = plan(c.session); // binds the session to the new policy
            String why;
            if (!c.session.connectDecision().allowed()) {
                why = "the new Warden policy refuses this client: " + c.session.connectDecision().explain();
            } else if (fresh.inexact() == null && fresh.publishCheck() == c.plan.publishCheck()
                    && NativePermissions.describe(fresh.permissions()).equals(NativePermissions.describe(c.plan.permissions()))) {
                continue;
            } else {
                why = "the Warden policy changed this client's rights; reconnect to get them";
            }
            c.plan = null;
            LOG.log(System.Logger.Level.INFO, "warden: disconnecting '" + c.clientId + "': " + why);
            Services.clientService().disconnectClient(c.clientId, false, DisconnectReasonCode.NOT_AUTHORIZED, why);
        }
    }

    /** Connections currently known (tests). */
    int connections() { return conns.size(); }

    /** Connections whose every delivery is checked. */
    int deliveryChecked() { return (int) conns.values().stream().filter(Conn::deliveriesChecked).count(); }

    /**
     * receive-check = reload: called by the enforcer with the new engine just before it is swapped in; every
     * connection admitted under an older policy gets the per-delivery check (its subscriptions were authorized
     * under that policy), so no delivery under the new policy goes unchecked.
     */
    void beforeSwap(Object next) {
        if (enforcer == null) return;
        for (Conn c : conns.values()) if (c.admittedUnder != next) c.checkDeliveries();
    }

    static boolean isRuleDenial(Decision d) {
        return switch (d.reason()) {
            case DENIED_BY_RULE, NO_MATCHING_RULE, QOS_NOT_ALLOWED, RETAIN_NOT_ALLOWED, CONNECT_REFUSED, NO_POLICY, INVALID_TOPIC -> true;
            default -> false;
        };
    }

    static AckReasonCode ackCode(Decision d) {
        return switch (d.reason()) {
            case RATE_LIMITED -> AckReasonCode.QUOTA_EXCEEDED;
            case PAYLOAD_TOO_LARGE -> AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
            case INVALID_TOPIC -> AckReasonCode.TOPIC_NAME_INVALID;
            default -> AckReasonCode.NOT_AUTHORIZED;
        };
    }

    static ConnackReasonCode connackCode(Decision d) {
        return switch (d.reason()) {
            case CONNECTION_LIMIT -> ConnackReasonCode.QUOTA_EXCEEDED;
            case NO_POLICY -> ConnackReasonCode.SERVER_UNAVAILABLE;
            default -> ConnackReasonCode.NOT_AUTHORIZED;
        };
    }

    // ------------------------------------------------------------------ CONNECT

    /** The authenticator: builds the client's identity, asks the enforcer, and refuses with a reason code and string. */
    final SimpleAuthenticator authenticator = this::onConnect;

    private void onConnect(SimpleAuthInput in, SimpleAuthOutput out) {
        if (enforcer == null) {
            out.failAuthentication(ConnackReasonCode.SERVER_UNAVAILABLE, "the Warden extension is not configured (" + brokenReason + "); every client is refused");
            return;
        }
        ConnectPacket c = in.getConnectPacket();
        ConnectionInformation ci = in.getConnectionInformation();
        String id = in.getClientInformation().getClientId();
        X509Certificate cert = ci.getClientTlsInformation().flatMap(ClientTlsInformation::getClientCertificate).orElse(null);
        String auth = cert != null ? "certificate" : c.getPassword().isPresent() ? "password" : c.getAuthenticationMethod().isPresent() ? "token" : "anonymous";
        ClientInfo info = new ClientInfo(id, c.getUserName().orElse(null), cert == null ? null : commonName(cert), cert == null ? List.of() : sans(cert),
                cert == null ? null : cert.getIssuerX500Principal().getName(), ci.getInetAddress().map(InetAddress::getHostAddress).orElse(""), auth,
                protocol(c.getMqttVersion()), ci.getListener().map(Listener::getPort).orElse(0));
        Session s = enforcer.connect(info);
        Decision d = s.connectDecision();
        if (!d.allowed()) {
            out.failAuthentication(connackCode(d), d.explain());
            return;
        }
        NativePermissions.Plan plan = null;
        if (permissionsMode()) {
            plan = plan(s);
            if (plan.inexact() != null) {
                enforcer.disconnect(s);
                out.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "enforcement = permissions cannot give this client exactly its Warden rights: "
                        + plan.inexact() + "; refused (use enforcement = hooks for such policies)");
                return;
            }
        } else if (c.getWillPublish().isPresent()) {
            // hooks: no publish authorizer sees the will, so it is decided here, like any PUBLISH of this client
            PublishPacket w = c.getWillPublish().get();
            Decision will = enforcer.check(s, w.getTopic(), w.getQos().getQosNumber(), w.getRetain(), w.getPayload().map(ByteBuffer::remaining).orElse(0));
            if (!will.allowed()) {
                enforcer.disconnect(s);
                out.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, "the will message is refused: " + will.explain());
                return;
            }
        }
        // permissions: the client's publish rules; hooks: every PUBLISH is admitted (Warden's interceptor decided it).
        // Both: the name refused subscriptions are renamed to is denied, so HiveMQ never stores them
        ModifiableDefaultPermissions perms = out.getDefaultPermissions();
        perms.clear();
        perms.addAll(plan != null ? plan.permissions() : NativePermissions.hooks());
        perms.setDefaultBehaviour(plan != null ? DefaultAuthorizationBehaviour.DENY : DefaultAuthorizationBehaviour.ALLOW);
        long n = seq.incrementAndGet();
        Conn conn = new Conn(s, c.getMqttVersion() == MqttVersion.V_5, id, !c.getCleanStart());
        conn.plan = plan;
        conn.key = n;
        conns.put(n, conn);
        ci.getConnectionAttributeStore().put(ATTR, ByteBuffer.allocate(8).putLong(0, n));
        if (cfg.authentication() == WardenConfig.Authentication.DEFER) out.nextExtensionOrDefault();
        else out.authenticateSuccessfully();
    }

    /** The connection's state, or a deny-everything state when Warden did not authenticate it. */
    Conn conn(ConnectionInformation ci, String clientId) {
        Optional<ByteBuffer> b = ci.getConnectionAttributeStore().get(ATTR);
        Conn c = b.isPresent() && b.get().remaining() >= 8 ? conns.get(b.get().getLong(b.get().position())) : null;
        return c != null ? c : new Conn(null, ci.getMqttVersion() == MqttVersion.V_5, clientId, true);
    }

    /** Releases the connection's slot when it goes away, however it goes. */
    final ClientLifecycleEventListener lifecycle = new ClientLifecycleEventListener() {
        @Override public void onMqttConnectionStart(ConnectionStartInput in) { /* nothing to do */ }

        @Override public void onAuthenticationSuccessful(AuthenticationSuccessfulInput in) { /* nothing to do */ }

        @Override
        public void onDisconnect(DisconnectEventInput in) {
            Optional<ByteBuffer> b = in.getConnectionInformation().getConnectionAttributeStore().get(ATTR);
            if (b.isEmpty() || b.get().remaining() < 8) return;
            Conn c = conns.remove(b.get().getLong(b.get().position()));
            if (c != null && c.session != null) enforcer.disconnect(c.session);
        }
    };

    static String protocol(MqttVersion v) {
        return switch (v) {
            case V_3_1 -> "3.1";
            case V_3_1_1 -> "3.1.1";
            case V_5 -> "5";
        };
    }

    static String commonName(X509Certificate cert) {
        try {
            var name = new javax.naming.ldap.LdapName(cert.getSubjectX500Principal().getName());
            for (int i = name.size() - 1; i >= 0; i--) {
                var rdn = name.getRdn(i);
                if (rdn.getType().equalsIgnoreCase("CN")) return String.valueOf(rdn.getValue());
            }
        } catch (javax.naming.InvalidNameException e) {
            LOG.log(System.Logger.Level.WARNING, "warden: unreadable certificate subject; the client has no certificate CN");
        }
        return null;
    }

    static List<String> sans(X509Certificate cert) {
        List<String> out = new ArrayList<>();
        try {
            Collection<List<?>> all = cert.getSubjectAlternativeNames();
            if (all != null) for (List<?> e : all) if (e.size() >= 2 && e.get(1) instanceof String s) out.add(s);
        } catch (CertificateParsingException e) {
            LOG.log(System.Logger.Level.WARNING, "warden: unreadable certificate subject alternative names; the client has none");
        }
        return out;
    }
}
