package dev.warden.mosquitto;

import dev.warden.model.Origin;
import dev.warden.model.fact.ObjBuilder;
import dev.warden.model.fact.Value;
import dev.warden.model.schema.Schema;
import dev.warden.model.schema.WardenSchema;
import dev.warden.model.types.ByteSize;
import dev.warden.model.types.Cidr;
import dev.warden.model.types.Version;
import dev.warden.mosquitto.ConfModel.ListenerConf;
import dev.warden.mosquitto.ConfModel.PluginConf;
import dev.warden.mosquitto.ConfModel.Security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static dev.warden.mosquitto.Diags.q;
import static dev.warden.mosquitto.MosquittoDiagnostics.BAD_VALUE;
import static dev.warden.mosquitto.MosquittoDiagnostics.DUPLICATE_LISTENER;
import static dev.warden.mosquitto.MosquittoDiagnostics.IGNORED_SETTING;
import static dev.warden.mosquitto.MosquittoDiagnostics.IMPLICIT_DEFAULT_LISTENER;
import static dev.warden.mosquitto.MosquittoDiagnostics.INCOMPLETE_TLS;
import static dev.warden.mosquitto.MosquittoDiagnostics.MISSING_FILE;
import static dev.warden.mosquitto.MosquittoDiagnostics.UNREADABLE_FILE;

/**
 * Applies mosquitto 2.0's defaults and effects to a {@link ConfModel} and builds the {@code Broker} fact.
 * Every default used here is listed, with its source, in {@code docs/mosquitto.md}.
 */
final class FactAssembler {
    static final String D_PORT = "mosquitto.conf(5): port \"Set the network port for the default listener to listen on. Defaults to 1883.\"";
    static final String D_LOCAL_ONLY = "mosquitto.conf(5): allow_anonymous \"... unless no listeners are defined in the configuration file, in which case it set to true, but connections are only allowed from the local machine\" (mosquitto 2.0 binds 127.0.0.1 and ::1)";
    static final String D_ANON_FALSE = "mosquitto.conf(5): allow_anonymous \"Defaults to false, unless no listeners are defined in the configuration file\"";
    static final String D_ANON_LOCAL_ONLY = "mosquitto 2.0 (src/conf.c, checked against 2.0.11): with no `listener`, `port` or `bind_address` line anonymous clients are allowed, whatever allow_anonymous says";
    static final String D_ANON_PER_LISTENER_UNSET = "mosquitto 2.0 (src/conf.c, checked against 2.0.11): with no `listener`, `port` or `bind_address` line an unset per-listener allow_anonymous allows anonymous clients";
    static final String D_PROTOCOL = "mosquitto.conf(5): protocol \"Can be mqtt, the default, or websockets if available.\"";
    static final String D_MAX_CONNECTIONS = "mosquitto.conf(5): max_connections \"Set to -1 to have \\\"unlimited\\\" connections\" (the default)";
    static final String D_TLS_OFF = "mosquitto.conf(5): certfile \"This option and keyfile must be present to enable certificate based TLS encryption.\"";
    static final String D_TLS_MIN = "mosquitto.conf(5): tls_version \"If left unset, the default of allowing TLS v1.3 and v1.2.\"";
    static final String D_REQUIRE_CERT = "mosquitto.conf(5): require_certificate \"By default an SSL/TLS enabled listener will ... [not require] the client to provide anything\"";
    static final String D_IDENTITY = "mosquitto.conf(5): use_identity_as_username is off unless set to true";
    static final String D_SUBJECT = "mosquitto.conf(5): use_subject_as_username is off unless set to true";
    static final String D_PER_LISTENER = "mosquitto.conf(5): per_listener_settings \"The default behaviour is for this to be set to false\"";
    static final String D_MAX_PACKET = "mosquitto.conf(5): max_packet_size \"Defaults to no limit.\"";
    static final String D_MESSAGE_SIZE = "mosquitto.conf(5): message_size_limit \"The default value is 0, which means that all valid MQTT messages are accepted.\"";
    static final String D_INFLIGHT = "mosquitto.conf(5): max_inflight_messages \"Defaults to 20.\"";
    static final String D_QUEUED = "mosquitto.conf(5): max_queued_messages \"Defaults to 1000.\"";
    static final String D_QUEUED_BYTES = "mosquitto.conf(5): max_queued_bytes \"Defaults to 0. (No maximum).\"";
    static final String D_MEMORY = "mosquitto.conf(5): memory_limit \"Defaults to no limit.\"";
    static final String D_KEEPALIVE = "mosquitto.conf(5): max_keepalive \"The maximum value allowable, and default value, is 65535.\"";
    static final String D_SYS = "mosquitto.conf(5): sys_interval \"If unset, defaults to 10 seconds.\"";
    static final String D_LOG_DEST = "mosquitto.conf(5): log_dest \"Defaults to stderr.\"";
    static final String D_LOG_TYPE = "mosquitto.conf(5): log_type \"Defaults to error, warning, notice and information.\"";
    static final String D_CONNECTION_MESSAGES = "mosquitto.conf(5) gives no default for connection_messages; mosquitto 2.0 src/conf.c sets it to true";
    static final String D_LOG_TIMESTAMP = "mosquitto.conf(5): log_timestamp \"The default is true.\"";

    private static final Schema S = WardenSchema.SCHEMA;

    private final ConfModel m;
    private final PathResolver paths;
    private final Diags diags;
    private final String main;
    private final Origin brokerOrigin;
    private final String brokerId;

    /** A listener as mosquitto will run it. */
    private record Eff(ListenerConf conf, boolean implicit, boolean isDefault, boolean loopbackMode, Origin origin, String id) {}

    FactAssembler(ConfModel m, PathResolver paths, Diags diags, String main) {
        this.m = m;
        this.paths = paths;
        this.diags = diags;
        this.main = main;
        this.brokerOrigin = Origin.file(main, 0);
        this.brokerId = "mosquitto:" + main;
    }

    private Origin def(String note) { return Origin.defaulted(main, note); }

    /** The Broker when the main configuration could not be read: everything but its name is unknown. */
    static Value.Obj unreadable(String main, Value version, String reason) {
        Origin o = Origin.file(main, 0);
        ObjBuilder b = new ObjBuilder(S, "Broker", "mosquitto:" + main, o)
                .set("id", Value.str("mosquitto:" + main, o))
                .set("kind", Value.str("mosquitto", o))
                .set("version", version)
                .set("config_file", Value.str(main, o));
        for (String f : S.type("Broker").fields().keySet()) {
            if (!Set.of("id", "kind", "version", "config_file").contains(f)) b.set(f, new Value.Unknown(reason, o));
        }
        return b.build();
    }

    Value.Obj broker(Value version) {
        List<Eff> effective = listeners();
        Value perListener = m.perListenerSettings != null
                ? Value.bool(m.perListenerSettings.value(), m.perListenerSettings.origin())
                : Value.bool(false, def(D_PER_LISTENER));
        List<Value> listenerValues = new ArrayList<>();
        for (Eff e : effective) listenerValues.add(listener(e));
        return Incomplete.mark(new ObjBuilder(S, "Broker", brokerId, brokerOrigin)
                .set("id", Value.str(brokerId, brokerOrigin))
                .set("kind", Value.str("mosquitto", brokerOrigin))
                .set("version", version)
                .set("config_file", Value.str(main, brokerOrigin))
                .set("per_listener_settings", perListener)
                .set("listeners", new Value.Items(listenerValues, brokerOrigin))
                .set("acl_grants", aclGrants(effective))
                .set("limits", limits())
                .set("sys_interval", m.sysInterval != null
                        ? new Value.Dur(Duration.ofSeconds(m.sysInterval.value()), m.sysInterval.origin())
                        : new Value.Dur(Duration.ofSeconds(10), def(D_SYS)))
                .set("logging", logging())
                .set("plugins", plugins(effective))
                .build(), m.incomplete);
    }

    // ---------------------------------------------------------------- which listeners run

    private List<Eff> listeners() {
        List<Eff> out = new ArrayList<>();
        ListenerConf d = m.defaultListener;
        List<Src<?>> triggers = triggers(d);
        if (!triggers.isEmpty()) {
            Src<?> first = triggers.stream().min(Comparator.comparingLong(Src::seq)).orElseThrow();
            boolean implicit = d.port == null && d.host == null;
            Origin o = d.port != null ? d.port.origin() : d.host != null ? d.host.origin() : first.origin();
            if (implicit) {
                String where = d.bindInterface != null ? "bound to interface " + q(d.bindInterface.value()) : "on every interface";
                diags.warning(IMPLICIT_DEFAULT_LISTENER, first.origin(),
                        q(nameOf(first, d)) + " before the first `listener` line makes mosquitto open a default listener on port 1883 " + where,
                        "move the option under the `listener` it is meant for"
                                + (m.localOnly ? "; with no `listener`, `port` or `bind_address` line this listener also accepts anonymous clients" : ""));
            }
            out.add(new Eff(d, implicit, true, false, o, null));
        } else {
            for (Src<String> p : d.passiveSettings) {
                diags.warning(IGNORED_SETTING, p.origin(), q(p.value()) + " before the first `listener` line has no effect",
                        (m.listeners.isEmpty()
                                ? "with no listener configured mosquitto runs in local-only mode and ignores it"
                                : "mosquitto only applies it to a default listener, and none is created here")
                                + "; move it under the `listener` it is meant for");
            }
        }
        for (ListenerConf l : m.listeners) out.add(new Eff(l, false, false, false, l.listenerLine.origin(), null));
        if (out.isEmpty()) {
            out.add(new Eff(new ListenerConf(true, null), true, true, true, def(D_LOCAL_ONLY), "listener 1883 (default, loopback)"));
        }
        // ids, duplicate detection
        List<Eff> named = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Map<String, Eff> endpoints = new LinkedHashMap<>();
        for (Eff e : out) {
            String id = e.id() != null ? e.id() : baseId(e);
            String unique = id;
            for (int i = 2; !ids.add(unique); i++) unique = id + " (" + i + ")";
            Integer port = e.conf().port != null ? e.conf().port.value() : e.isDefault() ? Integer.valueOf(1883) : null;
            if (!e.loopbackMode() && port != null) {
                ListenerConf c = e.conf();
                String key = port + "|" + (c.unixSocket != null ? "unix:" + c.unixSocket.value() : c.host != null ? c.host.value() : "*");
                Eff prev = endpoints.putIfAbsent(key, e);
                if (prev != null) {
                    diags.warning(DUPLICATE_LISTENER, e.origin(), "a second listener on " + q(id.replace("listener ", "")),
                            "mosquitto cannot bind the same port and address twice and stops; remove one of the listeners");
                }
            }
            named.add(new Eff(e.conf(), e.implicit(), e.isDefault(), e.loopbackMode(), e.origin(), unique));
        }
        return named;
    }

    /** The directive name of a default-listener option (recorded with its line). */
    private static String nameOf(Src<?> s, ListenerConf d) {
        for (Src<String> p : d.passiveSettings) if (p.origin().equals(s.origin())) return p.value();
        return "option";
    }

    private String baseId(Eff e) {
        ListenerConf c = e.conf();
        String port = c.port != null ? c.port.value().toString() : e.isDefault() ? "1883" : "?";
        String addr = c.unixSocket != null ? c.unixSocket.value() : c.host != null ? c.host.value() : null;
        return "listener " + port + (addr != null ? " " + addr : "") + (e.isDefault() ? " (default)" : "");
    }

    /** The options mosquitto 2.0 checks to decide whether to create the default listener (config__parse_args). */
    private static List<Src<?>> triggers(ListenerConf d) {
        List<Src<?>> t = new ArrayList<>();
        add(t, d.bindInterface);
        add(t, d.cafile);
        add(t, d.capath);
        add(t, d.certfile);
        add(t, d.keyfile);
        add(t, d.tlsEngine);
        if (d.tlsKeyform != null && d.tlsKeyform.value().equals("engine")) t.add(d.tlsKeyform);
        add(t, d.tlsEngineKpass);
        add(t, d.ciphers);
        add(t, d.ciphers13);
        add(t, d.dhparamfile);
        add(t, d.pskHint);
        if (isTrue(d.requireCertificate)) t.add(d.requireCertificate);
        add(t, d.crlfile);
        if (isTrue(d.useIdentityAsUsername)) t.add(d.useIdentityAsUsername);
        if (isTrue(d.useSubjectAsUsername)) t.add(d.useSubjectAsUsername);
        if (isTrue(d.useUsernameAsClientid)) t.add(d.useUsernameAsClientid);
        add(t, d.host);
        add(t, d.port);
        if (d.maxConnections != null && d.maxConnections.value() != -1) t.add(d.maxConnections);
        if (d.maxQos != null && d.maxQos.value() != 2) t.add(d.maxQos);
        add(t, d.mountPoint);
        if (d.protocol != null && !d.protocol.value().equals("mqtt")) t.add(d.protocol);
        add(t, d.socketDomain);
        add(t, d.security.passwordFile);
        add(t, d.security.pskFile);
        for (PluginConf p : d.security.plugins) t.add(p.path);
        if (d.security.allowZeroLengthClientid != null && !d.security.allowZeroLengthClientid.value()) t.add(d.security.allowZeroLengthClientid);
        return t;
    }

    private static void add(List<Src<?>> t, Src<?> s) { if (s != null) t.add(s); }

    private static boolean isTrue(Src<Boolean> s) { return s != null && s.value(); }

    // ---------------------------------------------------------------- one listener

    private Value listener(Eff e) {
        ListenerConf c = e.conf();
        Origin o = e.origin();
        ObjBuilder b = new ObjBuilder(S, "Listener", e.id(), o).set("id", Value.str(e.id(), o));
        if (e.loopbackMode()) {
            Origin d = def(D_LOCAL_ONLY);
            return b.set("port", Value.num(1883, d))
                    .set("bind", Value.str("localhost", d))
                    .set("bind_interface", new Value.Null(d))
                    .set("loopback_only", Value.bool(true, d))
                    .set("protocol", Value.str("mqtt", def(D_PROTOCOL)))
                    .set("implicit", Value.bool(true, d))
                    .set("max_connections", new Value.Null(def(D_MAX_CONNECTIONS)))
                    .set("mount_point", new Value.Null(d))
                    .set("tls", tls(e))
                    .set("auth", auth(e))
                    .build();
        }
        Value port = c.port != null ? Value.num(c.port.value(), c.port.origin())
                : e.isDefault() ? Value.num(1883, def(D_PORT))
                : new Value.Unknown("the `listener` line has no valid port", o);
        Value bind = c.unixSocket != null ? Value.str(c.unixSocket.value(), c.unixSocket.origin())
                : c.host != null ? Value.str(c.host.value(), c.host.origin()) : new Value.Null(o);
        String protocol = c.protocol != null ? c.protocol.value() : "mqtt";
        return b.set("port", port)
                .set("bind", bind)
                .set("bind_interface", strOrNull(c.bindInterface, o))
                .set("loopback_only", loopback(c, o))
                .set("protocol", c.protocol != null ? Value.str(protocol, c.protocol.origin()) : Value.str("mqtt", def(D_PROTOCOL)))
                .set("implicit", Value.bool(e.implicit(), o))
                .set("max_connections", c.maxConnections != null
                        ? (c.maxConnections.value() <= 0 ? new Value.Null(c.maxConnections.origin()) : Value.num(c.maxConnections.value(), c.maxConnections.origin()))
                        : new Value.Null(def(D_MAX_CONNECTIONS)))
                .set("mount_point", strOrNull(c.mountPoint, o))
                .set("tls", tls(e))
                .set("auth", auth(e))
                .build();
    }

    private static Value strOrNull(Src<String> s, Origin absent) {
        return s == null ? new Value.Null(absent) : Value.str(s.value(), s.origin());
    }

    private Value loopback(ListenerConf c, Origin o) {
        if (c.unixSocket != null) return Value.bool(true, c.unixSocket.origin());
        if (c.bindInterface != null) return Value.bool(c.bindInterface.value().equals("lo"), c.bindInterface.origin());
        if (c.host != null) return Value.bool(isLoopbackAddress(c.host.value()), c.host.origin());
        return Value.bool(false, o);
    }

    /** {@code localhost}, an address in 127.0.0.0/8, or ::1. */
    static boolean isLoopbackAddress(String host) {
        String h = host.trim();
        if (h.equalsIgnoreCase("localhost")) return true;
        if (h.startsWith("[") && h.endsWith("]")) h = h.substring(1, h.length() - 1);
        if (h.indexOf('/') >= 0 || h.indexOf('%') >= 0) return false;
        try {
            return Cidr.parse(h).isLoopback();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private Value tls(Eff e) {
        ListenerConf c = e.conf();
        Origin o = e.origin();
        String id = e.id() + " tls";
        ObjBuilder b = new ObjBuilder(S, "Tls", id, o);
        boolean cert = c.certfile != null && c.keyfile != null;
        boolean psk = c.pskHint != null;
        boolean enabled = !e.loopbackMode() && (cert || psk);
        Value enabledValue;
        if (e.loopbackMode()) {
            enabledValue = Value.bool(false, def(D_TLS_OFF));
        } else if (cert) {
            enabledValue = Value.bool(true, (c.certfile.seq() > c.keyfile.seq() ? c.certfile : c.keyfile).origin());
        } else if (psk) {
            enabledValue = Value.bool(true, c.pskHint.origin());
        } else if (c.certfile != null || c.keyfile != null) {
            Src<String> one = c.certfile != null ? c.certfile : c.keyfile;
            String missing = c.certfile != null ? "keyfile" : "certfile";
            diags.warning(INCOMPLETE_TLS, one.origin(), "listener " + q(e.id()) + " has no `" + missing + "`, so it does not use TLS",
                    "mosquitto needs both `certfile` and `keyfile` for TLS and otherwise serves plaintext MQTT on this port");
            enabledValue = Value.bool(false, one.origin());
        } else {
            enabledValue = Value.bool(false, def(D_TLS_OFF));
        }
        b.set("enabled", enabledValue)
                .set("psk", psk && !e.loopbackMode() ? Value.bool(true, c.pskHint.origin()) : Value.bool(false, o))
                .set("cafile", strOrNull(c.cafile, o))
                .set("capath", strOrNull(c.capath, o))
                .set("certfile", strOrNull(c.certfile, o))
                .set("keyfile", strOrNull(c.keyfile, o))
                .set("crlfile", strOrNull(c.crlfile, o))
                .set("version", strOrNull(c.tlsVersion, o))
                .set("min_version", minVersion(e, enabled))
                .set("ciphers", strOrNull(c.ciphers, o))
                .set("ciphers_tls13", strOrNull(c.ciphers13, o))
                .set("require_certificate", boolOr(c.requireCertificate, false, D_REQUIRE_CERT))
                .set("use_identity_as_username", boolOr(c.useIdentityAsUsername, false, D_IDENTITY))
                .set("use_subject_as_username", boolOr(c.useSubjectAsUsername, false, D_SUBJECT));
        return b.build();
    }

    private Value boolOr(Src<Boolean> s, boolean dflt, String note) {
        return s != null ? Value.bool(s.value(), s.origin()) : Value.bool(dflt, def(note));
    }

    private Value minVersion(Eff e, boolean enabled) {
        ListenerConf c = e.conf();
        if (!enabled) return new Value.Null(e.origin());
        if (c.protocol != null && c.protocol.value().equals("websockets")) {
            return new Value.Unknown("listener `" + e.id() + "` uses websockets: libwebsockets, not `tls_version`, decides its TLS versions", e.origin());
        }
        if (c.tlsVersion == null) return new Value.Ver(Version.parse("1.2"), def(D_TLS_MIN));
        String v = c.tlsVersion.value();
        String n = switch (v) {
            case "tlsv1.3" -> "1.3";
            case "tlsv1.2" -> "1.2";
            case "tlsv1.1" -> "1.1";
            default -> null;
        };
        if (n == null) {
            diags.error(BAD_VALUE, c.tlsVersion.origin(), "invalid `tls_version` value " + q(v) + ": must be `tlsv1.3`, `tlsv1.2` or `tlsv1.1`",
                    "mosquitto cannot start this TLS listener (\"Unsupported tls_version\")");
            return new Value.Unknown("`tls_version " + v + "` is not a TLS version mosquitto knows", c.tlsVersion.origin());
        }
        return new Value.Ver(Version.parse(n), c.tlsVersion.origin());
    }

    private Security security(Eff e) {
        return m.perListener() ? e.conf().security : m.global;
    }

    private Value auth(Eff e) {
        Origin o = e.origin();
        ObjBuilder b = new ObjBuilder(S, "Auth", e.id() + " auth", o);
        Security s = e.loopbackMode() && m.perListener() ? new Security() : security(e);
        b.set("anonymous", anonymous(e, s));
        b.set("password_file", strOrNull(s.passwordFile, o))
                .set("psk_file", strOrNull(s.pskFile, o))
                .set("acl_file", strOrNull(s.aclFile, o));
        List<PluginConf> plugins = new ArrayList<>(m.global.plugins);
        if (m.perListener() && !e.loopbackMode()) plugins.addAll(s.plugins);
        plugins.sort(Comparator.comparingLong(p -> p.path.seq()));
        List<Value> paths = new ArrayList<>();
        for (PluginConf p : plugins) paths.add(Value.str(p.path.value(), p.path.origin()));
        Origin aclOrigin = s.aclFile != null ? s.aclFile.origin() : !plugins.isEmpty() ? plugins.get(0).path.origin() : o;
        b.set("acl_enabled", Value.bool(s.aclFile != null || !plugins.isEmpty(), aclOrigin))
                .set("plugins", new Value.Items(paths, o));
        return b.build();
    }

    private Value anonymous(Eff e, Security s) {
        Src<Boolean> explicit = m.perListener() ? e.conf().security.allowAnonymous : m.global.allowAnonymous;
        if (e.loopbackMode()) {
            if (!m.perListener()) warnOverriddenAnonymous(explicit);
            return Value.bool(true, def(D_LOCAL_ONLY));
        }
        if (m.localOnly) {
            if (!m.perListener()) {
                warnOverriddenAnonymous(explicit);
                return Value.bool(true, def(D_ANON_LOCAL_ONLY));
            }
            return explicit != null ? Value.bool(explicit.value(), explicit.origin()) : Value.bool(true, def(D_ANON_PER_LISTENER_UNSET));
        }
        return explicit != null ? Value.bool(explicit.value(), explicit.origin()) : Value.bool(false, def(D_ANON_FALSE));
    }

    private final Set<Origin> warnedAnonymous = new HashSet<>();

    private void warnOverriddenAnonymous(Src<Boolean> explicit) {
        if (explicit != null && !explicit.value() && warnedAnonymous.add(explicit.origin())) {
            diags.warning(IGNORED_SETTING, explicit.origin(), "`allow_anonymous false` has no effect without a `listener`, `port` or `bind_address` line",
                    "mosquitto 2.0 then accepts anonymous clients; add a `listener` line to make it apply");
        }
    }

    // ---------------------------------------------------------------- broker-wide parts

    private Value plugins(List<Eff> effective) {
        List<Value> out = new ArrayList<>();
        for (PluginConf p : m.global.plugins) out.add(plugin(p, new Value.Null(p.path.origin())));
        if (m.perListener()) {
            for (Eff e : effective) {
                if (e.loopbackMode()) continue;
                for (PluginConf p : e.conf().security.plugins) {
                    ListenerConf c = e.conf();
                    Value port = c.port != null ? Value.num(c.port.value(), c.port.origin())
                            : e.isDefault() ? Value.num(1883, def(D_PORT)) : new Value.Unknown("the `listener` line has no valid port", e.origin());
                    out.add(plugin(p, port));
                }
            }
        }
        return new Value.Items(out, brokerOrigin);
    }

    private Value plugin(PluginConf p, Value port) {
        Origin o = p.path.origin();
        List<Value> keys = new ArrayList<>();
        for (String k : p.optionKeys) keys.add(Value.str(k, o));
        return new ObjBuilder(S, "Plugin", "plugin " + p.path.value() + " (" + o.display() + ")", o)
                .set("path", Value.str(p.path.value(), o))
                .set("listener_port", port)
                .set("option_keys", new Value.Items(keys, o))
                .build();
    }

    private Value limits() {
        Origin o = brokerOrigin;
        return new ObjBuilder(S, "Limits", brokerId + " limits", o)
                .set("max_packet_size", size(m.maxPacketSize, null, D_MAX_PACKET))
                .set("message_size_limit", size(m.messageSizeLimit, null, D_MESSAGE_SIZE))
                .set("max_inflight_messages", count(m.maxInflightMessages, 20L, D_INFLIGHT))
                .set("max_queued_messages", count(m.maxQueuedMessages, 1000L, D_QUEUED))
                .set("max_queued_bytes", size(m.maxQueuedBytes, null, D_QUEUED_BYTES))
                .set("memory_limit", size(m.memoryLimit, null, D_MEMORY))
                .set("max_keepalive", m.maxKeepalive != null
                        ? new Value.Dur(Duration.ofSeconds(m.maxKeepalive.value()), m.maxKeepalive.origin())
                        : new Value.Dur(Duration.ofSeconds(65535), def(D_KEEPALIVE)))
                .build();
    }

    private Value size(Src<Long> s, Long dflt, String note) {
        if (s == null) return dflt == null ? new Value.Null(def(note)) : new Value.Size(new ByteSize(dflt), def(note));
        return s.value() == null ? new Value.Null(s.origin()) : new Value.Size(new ByteSize(s.value()), s.origin());
    }

    private Value count(Src<Long> s, Long dflt, String note) {
        if (s == null) return dflt == null ? new Value.Null(def(note)) : Value.num(dflt, def(note));
        return s.value() == null ? new Value.Null(s.origin()) : Value.num(s.value(), s.origin());
    }

    private Value logging() {
        Origin o = brokerOrigin;
        Value dest;
        if (!m.logDestSet) {
            dest = new Value.Items(List.of(Value.str("stderr", def(D_LOG_DEST))), def(D_LOG_DEST));
        } else {
            List<Value> items = new ArrayList<>();
            for (Src<String> s : m.logDest.values()) items.add(Value.str(s.value(), s.origin()));
            if (items.isEmpty()) items.add(Value.str("none", m.firstLogDest.origin()));
            dest = new Value.Items(items, m.firstLogDest.origin());
        }
        Value types;
        if (!m.logTypeSet) {
            Origin d = def(D_LOG_TYPE);
            types = new Value.Items(List.of(Value.str("error", d), Value.str("warning", d), Value.str("notice", d), Value.str("information", d)), d);
        } else {
            List<Value> items = new ArrayList<>();
            for (Src<String> s : m.logTypes.values()) items.add(Value.str(s.value(), s.origin()));
            if (items.isEmpty()) items.add(Value.str("none", m.firstLogType.origin()));
            types = new Value.Items(items, m.firstLogType.origin());
        }
        Value file = m.logFile != null && m.logDest.containsKey("file")
                ? Value.str(m.logFile.value(), m.logFile.origin()) : new Value.Null(m.logFile != null ? m.logFile.origin() : o);
        return new ObjBuilder(S, "Logging", brokerId + " logging", o)
                .set("destinations", dest)
                .set("types", types)
                .set("connection_messages", boolOr(m.connectionMessages, true, D_CONNECTION_MESSAGES))
                .set("timestamp", boolOr(m.logTimestamp, true, D_LOG_TIMESTAMP))
                .set("file", file)
                .build();
    }

    // ---------------------------------------------------------------- ACL files

    private Value aclGrants(List<Eff> effective) {
        List<Src<String>> files = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Eff e : effective) {
            if (e.loopbackMode() && m.perListener()) continue;
            Src<String> f = security(e).aclFile;
            if (f != null && seen.add(f.value())) files.add(f);
        }
        List<Value> grants = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (Src<String> f : files) {
            byte[] bytes = readAcl(f, failures);
            if (bytes == null) continue;
            Path p = Objects.requireNonNull(paths.resolve(f.value()));
            String shown = paths.display(p);
            for (AclReader.Rule r : AclReader.read(bytes, shown, diags)) grants.add(grant(r, f.value(), shown));
        }
        if (!failures.isEmpty()) {
            return new Value.Unknown("ACL file " + String.join(", ", failures) + " could not be read", files.get(0).origin());
        }
        return new Value.Items(grants, files.isEmpty() ? brokerOrigin : files.get(0).origin());
    }

    private byte[] readAcl(Src<String> f, List<String> failures) {
        Path p = paths.resolve(f.value());
        if (p == null) {
            diags.error(MISSING_FILE, f.origin(), "acl file " + q(f.value()) + " is not a valid path", "fix the `acl_file` path");
            failures.add("`" + f.value() + "`");
            return null;
        }
        String shown = paths.display(p);
        try {
            if (Files.isDirectory(p)) throw new IOException("is a directory");
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            diags.error(MISSING_FILE, f.origin(), "acl file " + q(f.value()) + " does not exist (looked for " + q(shown) + ")",
                    "mosquitto refuses to start without its ACL file; checks over ACL rules are unknown");
        } catch (IOException | SecurityException | OutOfMemoryError e) {
            diags.error(UNREADABLE_FILE, f.origin(), "acl file " + q(f.value()) + " cannot be read: " + String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT),
                    "give the scanning user read access; checks over ACL rules are unknown");
        }
        failures.add("`" + f.value() + "`");
        return null;
    }

    private Value grant(AclReader.Rule r, String configured, String shown) {
        Origin o = Origin.file(shown, r.line());
        String id = "acl:" + shown + ":" + r.line();
        Value topic;
        if (r.topic() == null) {
            topic = new Value.Unknown(r.topicProblem(), o);
        } else {
            Map<String, String> bindings = r.scope().equals("user") ? Map.of("username", r.user()) : Map.of();
            topic = new Value.Topic(r.topic(), bindings, o);
        }
        return new ObjBuilder(S, "AclGrant", id, o)
                .set("id", Value.str(id, o))
                .set("file", Value.str(configured, o))
                .set("kind", Value.str(r.kind(), o))
                .set("scope", Value.str(r.scope(), o))
                .set("user", r.user() == null ? new Value.Null(o) : Value.str(r.user(), o))
                .set("access", Value.str(r.access(), o))
                .set("topic", topic)
                .build();
    }
}
