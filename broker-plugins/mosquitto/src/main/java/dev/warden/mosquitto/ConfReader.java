package dev.warden.mosquitto;

import dev.warden.model.Origin;
import dev.warden.model.types.Version;
import dev.warden.mosquitto.ConfModel.Bridge;
import dev.warden.mosquitto.ConfModel.ListenerConf;
import dev.warden.mosquitto.ConfModel.PluginConf;
import dev.warden.mosquitto.ConfModel.Security;
import dev.warden.mosquitto.DirectiveTable.Scope;
import dev.warden.mosquitto.DirectiveTable.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

import static dev.warden.mosquitto.Diags.q;
import static dev.warden.mosquitto.MosquittoDiagnostics.BAD_VALUE;
import static dev.warden.mosquitto.MosquittoDiagnostics.DEPRECATED;
import static dev.warden.mosquitto.MosquittoDiagnostics.DUPLICATE_VALUE;
import static dev.warden.mosquitto.MosquittoDiagnostics.IGNORED_SETTING;
import static dev.warden.mosquitto.MosquittoDiagnostics.MISPLACED_DIRECTIVE;
import static dev.warden.mosquitto.MosquittoDiagnostics.MISSING_ARGUMENT;
import static dev.warden.mosquitto.MosquittoDiagnostics.MISSING_FILE;
import static dev.warden.mosquitto.MosquittoDiagnostics.MISSING_INCLUDE;
import static dev.warden.mosquitto.MosquittoDiagnostics.SUSPICIOUS_VALUE;
import static dev.warden.mosquitto.MosquittoDiagnostics.UNKNOWN_DIRECTIVE;
import static dev.warden.mosquitto.MosquittoDiagnostics.UNREADABLE_FILE;
import static dev.warden.mosquitto.MosquittoDiagnostics.UNSUPPORTED_DIRECTIVE;

/**
 * Reads {@code mosquitto.conf} and its {@code include_dir} files into a {@link ConfModel}, following mosquitto
 * 2.0's {@code config__read_file_core}: the same tokenising, the same scopes, the same per-file state (each file
 * starts on the default listener, with no bridge and no plugin), and the same errors, reported as diagnostics.
 */
final class ConfReader {
    static final Version V21 = Version.parse("2.1");
    private static final List<String> ALL_LOG_TYPES = List.of(
            "error", "warning", "notice", "information", "debug", "subscribe", "unsubscribe", "websockets", "internal");

    private final ConfModel m = new ConfModel();
    private final PathResolver paths;
    private final Diags diags;
    private final Version version;
    private Path mainFile;

    /** Mosquitto keeps these per file: each file starts on the default listener, with no bridge and no plugin. */
    private static final class FileState {
        ListenerConf cur;
        Bridge bridge;
        PluginConf plugin;
        final int level;

        FileState(ListenerConf cur, int level) {
            this.cur = cur;
            this.level = level;
        }
    }

    ConfReader(PathResolver paths, Diags diags, Version version) {
        this.paths = paths;
        this.diags = diags;
        this.version = version;
    }

    /** Reads the main file (from {@code content} when given); returns null when it could not be read. */
    ConfModel read(Path main, byte[] content) {
        mainFile = main.toAbsolutePath().normalize();
        byte[] bytes = content != null ? content : load(main, "configuration file");
        if (bytes == null) return null;
        readBytes(bytes, paths.display(main), 0);
        return m;
    }

    private byte[] load(Path file, String what) {
        String shown = paths.display(file);
        Origin at = Origin.file(shown, 0);
        try {
            if (Files.isDirectory(file)) {
                diags.error(UNREADABLE_FILE, at, what + " " + q(shown) + " is a directory", "point Warden at a file");
                return null;
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            diags.error(MISSING_FILE, at, what + " " + q(shown) + " does not exist",
                    "check the path; mosquitto refuses to start without it");
        } catch (IOException | SecurityException e) {
            diags.error(UNREADABLE_FILE, at, what + " " + q(shown) + " cannot be read: " + String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT),
                    "give the scanning user read access to the file");
        } catch (OutOfMemoryError e) {
            diags.error(UNREADABLE_FILE, at, what + " " + q(shown) + " is too large to read", "");
        }
        return null;
    }

    private void readBytes(byte[] bytes, String shown, int level) {
        FileState st = new FileState(m.defaultListener, level);
        for (ConfText.Line line : ConfText.lines(bytes, shown, diags)) {
            Directive d = Directive.parse(line.text(), Origin.file(shown, line.number()));
            if (d == null) continue;
            try {
                directive(d, st);
            } catch (RuntimeException e) {
                diags.error(BAD_VALUE, d.origin(), "could not read " + q(d.name()) + ": " + e.getClass().getSimpleName(),
                        "this is a bug in Warden; the rest of the file is still read");
            }
        }
    }

    private <T> Src<T> src(T v, Directive d) { return new Src<>(v, d.origin(), m.nextSeq()); }

    // ---------------------------------------------------------------- dispatch

    private void directive(Directive d, FileState st) {
        String n = d.name();
        Spec spec = DirectiveTable.get(n);
        if (spec == null && DirectiveTable.isPluginOption(n)) {
            m.securityTouched = true;
            pluginOption(d, st);
            return;
        }
        if (spec == null) {
            unknown(d);
            return;
        }
        if (spec.since21() && version != null && version.compareTo(V21) < 0) {
            diags.error(UNSUPPORTED_DIRECTIVE, d.origin(), q(n) + " needs mosquitto 2.1 or later; mosquitto " + version + " refuses to start on it",
                    "remove the line or upgrade mosquitto");
            return;
        }
        if (spec.deprecated()) {
            diags.info(DEPRECATED, d.origin(), q(n) + " is deprecated in mosquitto 2.0",
                    n.equals("port") || n.equals("bind_address") ? "use a `listener <port> [address]` line instead" : "it will be removed in a future version");
        }
        if (spec.scope() == Scope.BRIDGE && st.bridge == null) {
            diags.error(MISPLACED_DIRECTIVE, d.origin(), q(n) + " is a bridge option but no bridge is being configured",
                    "put it after a `connection <name>` line (in the same file); mosquitto refuses to start otherwise");
            return;
        }
        if (spec.scope() == Scope.PLUGIN && st.plugin == null) {
            diags.error(MISPLACED_DIRECTIVE, d.origin(), q(n) + " needs a `plugin` line before it in the same file",
                    "mosquitto refuses to start on plugin options without a plugin");
            return;
        }
        if (spec.scope() == Scope.SECURITY || n.equals("global_plugin")) m.securityTouched = true;
        if (st.cur.isDefault && (spec.scope() == Scope.LISTENER || (spec.scope() == Scope.SECURITY && m.perListener()))) {
            st.cur.passiveSettings.add(src(n, d));
        }
        switch (n) {
            case "listener" -> listener(d, st);
            case "port" -> port(d);
            case "bind_address" -> {
                m.localOnly = false;
                String v = string(d, m.defaultListener.strings);
                if (v != null) m.defaultListener.host = src(v, d);
            }
            case "bind_interface" -> st.cur.bindInterface = str(d, st.cur.strings, st.cur.bindInterface);
            case "cafile" -> {
                if (pskConflict(d, st)) return;
                st.cur.cafile = str(d, st.cur.strings, st.cur.cafile);
            }
            case "certfile" -> {
                if (pskConflict(d, st)) return;
                st.cur.certfile = str(d, st.cur.strings, st.cur.certfile);
            }
            case "capath" -> st.cur.capath = str(d, st.cur.strings, st.cur.capath);
            case "keyfile" -> st.cur.keyfile = str(d, st.cur.strings, st.cur.keyfile);
            case "crlfile" -> st.cur.crlfile = str(d, st.cur.strings, st.cur.crlfile);
            case "ciphers" -> st.cur.ciphers = str(d, st.cur.strings, st.cur.ciphers);
            case "ciphers_tls1.3" -> st.cur.ciphers13 = str(d, st.cur.strings, st.cur.ciphers13);
            case "dhparamfile" -> st.cur.dhparamfile = str(d, st.cur.strings, st.cur.dhparamfile);
            case "psk_hint" -> st.cur.pskHint = str(d, st.cur.strings, st.cur.pskHint);
            case "tls_version" -> st.cur.tlsVersion = str(d, st.cur.strings, st.cur.tlsVersion);
            case "tls_engine" -> st.cur.tlsEngine = str(d, st.cur.strings, st.cur.tlsEngine);
            case "tls_engine_kpass_sha1" -> st.cur.tlsEngineKpass = str(d, st.cur.strings, st.cur.tlsEngineKpass);
            case "tls_keyform" -> {
                String v = string(d, null);
                if (v != null) st.cur.tlsKeyform = src(v, d);
            }
            case "require_certificate" -> st.cur.requireCertificate = boolSrc(d, st.cur.requireCertificate);
            case "use_identity_as_username" -> st.cur.useIdentityAsUsername = boolSrc(d, st.cur.useIdentityAsUsername);
            case "use_subject_as_username" -> st.cur.useSubjectAsUsername = boolSrc(d, st.cur.useSubjectAsUsername);
            case "use_username_as_clientid" -> st.cur.useUsernameAsClientid = boolSrc(d, st.cur.useUsernameAsClientid);
            case "disable_client_cert_date_checks" -> {
                if (needsListener(d, st)) bool(d);
            }
            case "accept_protocol_versions" -> {
                if (needsListener(d, st) && d.next() == null) missing(d, "a list such as `4,5`");
            }
            case "max_connections" -> maxConnections(d, st);
            case "max_qos", "maximum_qos" -> {
                Long v = integer(d);
                if (v == null) return;
                if (v < 0 || v > 2) bad(d, v.toString(), "must be 0, 1 or 2");
                else st.cur.maxQos = src(v.intValue(), d);
            }
            case "max_topic_alias", "max_topic_alias_broker" -> {
                Long v = integer(d);
                if (v != null && (v < 0 || v > 65535)) bad(d, v.toString(), "must be between 0 and 65535");
            }
            case "mount_point" -> mountPoint(d, st);
            case "protocol" -> protocol(d, st);
            case "socket_domain" -> {
                String v = word(d, "`ipv4` or `ipv6`");
                if (v == null) return;
                if (v.equals("ipv4") || v.equals("ipv6")) st.cur.socketDomain = src(v, d);
                else bad(d, v, "must be `ipv4` or `ipv6`");
            }
            // authentication and access control
            case "allow_anonymous" -> {
                Security s = sec(st);
                s.allowAnonymous = boolSrc(d, s.allowAnonymous);
            }
            case "allow_zero_length_clientid" -> {
                Security s = sec(st);
                s.allowZeroLengthClientid = boolSrc(d, s.allowZeroLengthClientid);
            }
            case "password_file" -> {
                Security s = sec(st);
                s.passwordFile = str(d, secStrings(s), s.passwordFile);
            }
            case "psk_file" -> {
                Security s = sec(st);
                s.pskFile = str(d, secStrings(s), s.pskFile);
            }
            case "acl_file" -> {
                Security s = sec(st);
                s.aclFile = str(d, secStrings(s), s.aclFile);
            }
            case "auto_id_prefix" -> {
                Security s = sec(st);
                s.autoIdPrefix = str(d, secStrings(s), s.autoIdPrefix);
            }
            case "check_retain_source" -> bool(d);
            case "plugin", "auth_plugin" -> plugin(d, st, sec(st), m.perListener() ? st.cur : null);
            case "global_plugin" -> plugin(d, st, m.global, null);
            case "per_listener_settings" -> perListener(d);
            // logging
            case "log_dest" -> logDest(d);
            case "log_type" -> logType(d);
            case "log_facility" -> {
                Long v = integer(d);
                if (v != null && (v < 0 || v > 7)) bad(d, v.toString(), "must be between 0 and 7 (local0 to local7)");
            }
            case "connection_messages" -> m.connectionMessages = boolSrc(d, m.connectionMessages);
            case "log_timestamp" -> m.logTimestamp = boolSrc(d, m.logTimestamp);
            // limits
            case "max_inflight_messages" -> {
                Long v = integer(d);
                if (v == null) return;
                if (v > 65535) { bad(d, v.toString(), "must be 65535 or less"); return; }
                m.maxInflightMessages = src(v < 0 || v == 65535 || v == 0 ? null : v, d);
            }
            case "max_keepalive" -> maxKeepalive(d);
            case "max_packet_size" -> {
                Long v = integer(d);
                if (v == null) return;
                if (v < 20) { bad(d, v.toString(), "must be at least 20 bytes; leave it out for no limit"); return; }
                m.maxPacketSize = src(v, d);
            }
            case "max_queued_bytes" -> {
                Long v = integer(d);
                if (v != null) m.maxQueuedBytes = src(v <= 0 ? null : v, d);
            }
            case "max_queued_messages" -> {
                Long v = integer(d);
                if (v != null) m.maxQueuedMessages = src(v <= 0 ? null : v, d);
            }
            case "memory_limit" -> {
                Long v = integer(d);
                if (v == null) return;
                if (v < 0) { bad(d, v.toString(), "cannot be negative; `0` means no limit"); return; }
                m.memoryLimit = src(v == 0 ? null : v, d);
            }
            case "message_size_limit" -> {
                Long v = integer(d);
                if (v == null) return;
                if (v < 0 || v > 268435455) { bad(d, v.toString(), "must be between 0 (no limit) and 268435455"); return; }
                m.messageSizeLimit = src(v == 0 ? null : v, d);
            }
            case "sys_interval" -> {
                Long v = integer(d);
                if (v == null) return;
                if (v < 0 || v > 65535) { bad(d, v.toString(), "must be between 0 (disabled) and 65535 seconds"); return; }
                m.sysInterval = src(v, d);
            }
            case "persistent_client_expiration" -> expiration(d);
            case "retry_interval" -> diags.warning(IGNORED_SETTING, d.origin(), "`retry_interval` is no longer used by mosquitto 2.0",
                    "remove the line; mosquitto only warns about it");
            // files
            case "include_dir" -> includeDir(d, st);
            // bridges
            case "connection" -> connection(d, st);
            case "address", "addresses" -> address(d, st);
            case "topic" -> bridgeTopic(d);
            case "start_type" -> oneOf(d, "`automatic`, `lazy` or `once`", Set.of("automatic", "lazy", "once"));
            case "bridge_reload_type" -> oneOf(d, "`lazy` or `immediate`", Set.of("lazy", "immediate"));
            case "bridge_protocol_version" -> {
                String v = d.restRaw();
                if (v == null) missing(d, "`mqttv31`, `mqttv311` or `mqttv50`");
                else if (!Set.of("mqttv31", "mqttv311", "mqttv50").contains(v)) bad(d, v, "must be `mqttv31`, `mqttv311` or `mqttv50`");
            }
            case "bridge_tcp_keepalive" -> {
                for (int i = 0; i < 3; i++) {
                    Long v = integer(d);
                    if (v == null) return;
                    if (v <= 0) { bad(d, v.toString(), "idle, interval and count must all be above 0"); return; }
                }
            }
            default -> generic(d, spec, st);
        }
    }

    private void generic(Directive d, Spec spec, FileState st) {
        switch (spec.arg()) {
            case BOOL -> bool(d);
            case INT -> integer(d);
            case STRING -> string(d, scopeStrings(spec.scope(), st));
            case STRING_MULTI -> { if (d.restTrimmed() == null) missing(d, "a value"); }
            case WORD -> word(d, "a value");
            case CUSTOM -> { }
        }
    }

    private Set<String> scopeStrings(Scope scope, FileState st) {
        return switch (scope) {
            case GLOBAL -> m.globalStrings;
            case LISTENER -> st.cur.strings;
            case BRIDGE -> st.bridge.strings;
            case SECURITY -> secStrings(sec(st));
            case PLUGIN -> null;
        };
    }

    private Security sec(FileState st) {
        return m.perListener() ? st.cur.security : m.global;
    }

    private final java.util.Map<Security, Set<String>> securityStrings = new java.util.IdentityHashMap<>();

    private Set<String> secStrings(Security s) {
        return securityStrings.computeIfAbsent(s, k -> new java.util.HashSet<>());
    }

    // ---------------------------------------------------------------- value readers

    private void missing(Directive d, String what) {
        diags.error(MISSING_ARGUMENT, d.origin(), q(d.name()) + " needs a value",
                "write `" + d.name() + " <value>` with " + what + "; mosquitto refuses to start on an empty value");
    }

    private void bad(Directive d, String value, String why) {
        diags.error(BAD_VALUE, d.origin(), "invalid " + q(d.name()) + " value " + q(value) + ": " + why,
                "mosquitto refuses to start on this line");
    }

    private Boolean bool(Directive d) {
        String t = d.next();
        if (t == null) { missing(d, "`true` or `false`"); return null; }
        Boolean v = switch (t) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> null;
        };
        if (v == null) {
            diags.error(BAD_VALUE, d.origin(), "invalid " + q(d.name()) + " value " + q(t) + ": must be `true` or `false`",
                    "mosquitto accepts only `true`, `false`, `1` and `0` (lower case) and refuses to start otherwise");
            return null;
        }
        tail(d);
        return v;
    }

    private Src<Boolean> boolSrc(Directive d, Src<Boolean> old) {
        Boolean v = bool(d);
        return v == null ? old : src(v, d);
    }

    private Long integer(Directive d) {
        String t = d.next();
        if (t == null) { missing(d, "a number"); return null; }
        long v = Directive.atoi(t);
        if (!Directive.isPlainInt(t)) {
            diags.warning(BAD_VALUE, d.origin(), q(d.name()) + " value " + q(t) + " is not a whole number; mosquitto reads it as `" + v + "`",
                    "mosquitto reads numbers with C `atoi`: units and other trailing text are dropped");
        }
        tail(d);
        return v;
    }

    private String word(Directive d, String what) {
        String t = d.next();
        if (t == null) { missing(d, what); return null; }
        return t;
    }

    private void oneOf(Directive d, String what, Set<String> allowed) {
        String v = word(d, what);
        if (v != null && !allowed.contains(v)) bad(d, v, "must be " + what);
    }

    /** A string value (rest of the line); {@code scope} detects a second value for the same option. */
    private String string(Directive d, Set<String> scope) {
        String v = d.restTrimmed();
        if (v == null) { missing(d, "a value"); return null; }
        if (scope != null && !scope.add(d.name())) {
            diags.error(DUPLICATE_VALUE, d.origin(), q(d.name()) + " is set twice",
                    "mosquitto allows one value per scope and refuses to start; keep one line (the first one is used here)");
            return null;
        }
        int hash = v.indexOf('#');
        if (hash > 0 && ConfText.isSpace(v.charAt(hash - 1))) {
            diags.warning(SUSPICIOUS_VALUE, d.origin(), q(d.name()) + " value " + q(v) + " contains `#`, which is part of the value",
                    "mosquitto has no end-of-line comments; put the comment on its own line");
        }
        return v;
    }

    private Src<String> str(Directive d, Set<String> scope, Src<String> old) {
        String v = string(d, scope);
        return v == null ? old : src(v, d);
    }

    private void tail(Directive d) {
        if (d.hasIgnoredTail()) {
            diags.warning(SUSPICIOUS_VALUE, d.origin(), "text after the value of " + q(d.name()) + " is ignored",
                    "mosquitto reads one word here and silently drops the rest of the line");
        }
    }

    // ---------------------------------------------------------------- handlers

    private void unknown(Directive d) {
        String n = d.name();
        if (n.startsWith("#")) {
            diags.error(UNKNOWN_DIRECTIVE, d.origin(), "`#` is not a comment here: it is not in the first column",
                    "mosquitto treats `#` as a comment only as the very first character of a line and refuses to start otherwise");
            return;
        }
        int tab = n.indexOf('\t');
        if (tab >= 0) {
            String head = n.substring(0, tab);
            if (head.isEmpty()) {
                diags.error(UNKNOWN_DIRECTIVE, d.origin(), "line starts with a tab, which mosquitto reads as part of the directive " + q(n),
                        "remove the leading tab; mosquitto separates words with spaces only and refuses to start otherwise");
            } else {
                diags.error(UNKNOWN_DIRECTIVE, d.origin(), "a tab follows " + q(head) + ", so mosquitto reads the directive as " + q(n),
                        "replace the tab with a space; mosquitto separates words with spaces only and refuses to start otherwise");
            }
            return;
        }
        String near = nearest(n);
        diags.error(UNKNOWN_DIRECTIVE, d.origin(), "unknown directive " + q(n),
                (near == null ? "" : "did you mean `" + near + "`? ") + "mosquitto refuses to start on an unknown directive");
    }

    private static String nearest(String n) {
        String best = null;
        int bestDist = 3;
        for (String k : DirectiveTable.all().keySet()) {
            int dist = distance(n.toLowerCase(Locale.ROOT), k, bestDist);
            if (dist < bestDist) { bestDist = dist; best = k; }
        }
        return best;
    }

    private static int distance(String a, String b, int cap) {
        if (Math.abs(a.length() - b.length()) >= cap) return cap;
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    private boolean pskConflict(Directive d, FileState st) {
        if (st.cur.pskHint == null) return false;
        diags.error(MISPLACED_DIRECTIVE, d.origin(), q(d.name()) + " on a listener that already has `psk_hint`",
                "a listener uses either certificates or a pre-shared key; mosquitto refuses to start with both");
        return true;
    }

    private boolean needsListener(Directive d, FileState st) {
        if (!st.cur.isDefault) return true;
        diags.error(MISPLACED_DIRECTIVE, d.origin(), q(d.name()) + " needs a `listener` line before it",
                "mosquitto refuses to start when this option is given for the default listener");
        return false;
    }

    private void listener(Directive d, FileState st) {
        m.localOnly = false;
        String p = d.next();
        ListenerConf l;
        if (p == null) {
            missing(d, "a port number");
            l = new ListenerConf(false, src(null, d));
        } else {
            long port = Directive.atoi(p);
            if (!Directive.isPlainInt(p)) {
                diags.warning(BAD_VALUE, d.origin(), "listener port " + q(p) + " is not a whole number; mosquitto reads it as `" + port + "`",
                        "mosquitto reads the port with C `atoi`");
            }
            String host = d.next();
            if (host != null && host.startsWith("#")) host = null;
            if (port < 0 || port > 65535) {
                bad(d, p, "a port must be between 1 and 65535 (or 0 with a unix socket path)");
                l = new ListenerConf(false, src(null, d));
            } else if (port == 0 && host == null) {
                diags.error(MISSING_ARGUMENT, d.origin(), "a listener on port 0 needs a unix socket path",
                        "write `listener 0 /path/to/socket`, or use a port between 1 and 65535");
                l = new ListenerConf(false, src(null, d));
            } else {
                l = new ListenerConf(false, src((int) port, d));
                l.port = l.listenerLine;
                if (host != null) {
                    if (port == 0) l.unixSocket = src(host, d);
                    else l.host = src(host, d);
                }
                if (d.hasIgnoredTail()) tail(d);
            }
        }
        m.listeners.add(l);
        st.cur = l;
    }

    private void port(Directive d) {
        m.localOnly = false;
        Long v = integer(d);
        if (v == null) return;
        if (v < 1 || v > 65535) { bad(d, v.toString(), "a port must be between 1 and 65535"); return; }
        if (m.defaultListener.port != null) {
            diags.warning(DUPLICATE_VALUE, d.origin(), "`port` is set twice; mosquitto uses the last one",
                    "keep one `port` line, or better, use `listener` lines");
        }
        m.defaultListener.port = src(v.intValue(), d);
    }

    private void maxConnections(Directive d, FileState st) {
        String t = d.next();
        if (t == null) {
            diags.warning(MISSING_ARGUMENT, d.origin(), "`max_connections` needs a value and is ignored",
                    "write `max_connections <count>`, or `-1` for no limit");
            return;
        }
        long v = Directive.atoi(t);
        if (!Directive.isPlainInt(t)) {
            diags.warning(BAD_VALUE, d.origin(), "`max_connections` value " + q(t) + " is not a whole number; mosquitto reads it as `" + v + "`",
                    "mosquitto reads numbers with C `atoi`");
        }
        st.cur.maxConnections = src(v < 0 ? -1 : (int) v, d);
    }

    private void mountPoint(Directive d, FileState st) {
        if (m.listeners.isEmpty()) {
            diags.error(MISPLACED_DIRECTIVE, d.origin(), "`mount_point` needs a `listener` line before it",
                    "mosquitto refuses to start on a `mount_point` before the first listener");
            return;
        }
        String v = string(d, st.cur.strings);
        if (v == null) return;
        if (v.indexOf('+') >= 0 || v.indexOf('#') >= 0) { bad(d, v, "a mount point cannot contain `+` or `#`"); return; }
        st.cur.mountPoint = src(v, d);
    }

    private void protocol(Directive d, FileState st) {
        String v = word(d, "`mqtt` or `websockets`");
        if (v == null) return;
        boolean quic = v.equals("quic") && (version == null || version.compareTo(V21) >= 0);
        if (v.equals("mqtt") || v.equals("websockets") || quic) st.cur.protocol = src(v, d);
        else bad(d, v, "must be `mqtt` or `websockets`");
    }

    private void plugin(Directive d, FileState st, Security s, ListenerConf owner) {
        String v = string(d, null);
        if (v == null) return;
        PluginConf p = new PluginConf(src(v, d), owner);
        s.plugins.add(p);
        st.plugin = p;
    }

    private void pluginOption(Directive d, FileState st) {
        String n = d.name();
        if (st.plugin == null) {
            diags.error(MISPLACED_DIRECTIVE, d.origin(), q(n) + " needs a `plugin` line before it in the same file",
                    "mosquitto refuses to start on plugin options without a plugin");
            return;
        }
        String key = n.substring(n.startsWith("auth_opt_") ? "auth_opt_".length() : "plugin_opt_".length());
        if (key.length() < 3) {
            diags.error(BAD_VALUE, d.origin(), "plugin option name " + q(n) + " is too short",
                    "mosquitto 2.0 refuses option names with fewer than 3 characters after the prefix");
            return;
        }
        if (d.restTrimmed() == null) { missing(d, "a value"); return; }
        st.plugin.optionKeys.add(key);
    }

    private void perListener(Directive d) {
        if (m.perListener()) {
            String t = d.next();
            if ("false".equals(t) || "0".equals(t)) {
                diags.warning(IGNORED_SETTING, d.origin(), "`per_listener_settings` cannot be turned off once it is `true`",
                        "mosquitto ignores this line; remove it");
            }
            return;
        }
        Boolean v = bool(d);
        if (v == null) return;
        if (v && m.securityTouched) {
            diags.error(MISPLACED_DIRECTIVE, d.origin(), "`per_listener_settings true` comes after an authentication or access-control option",
                    "move it before every `allow_anonymous`, `password_file`, `acl_file`, `psk_file` and plugin line; mosquitto refuses to start otherwise");
        }
        m.perListenerSettings = src(v, d);
    }

    private void logDest(Directive d) {
        String t = d.next();
        if (t == null) { missing(d, "a destination"); return; }
        switch (t) {
            case "none" -> m.logDest.clear();
            case "syslog", "stdout", "stderr", "topic", "dlt" -> m.logDest.putIfAbsent(t, src(t, d));
            case "file" -> {
                if (m.logFile != null) {
                    diags.error(DUPLICATE_VALUE, d.origin(), "`log_dest file` is set twice",
                            "mosquitto logs to one file only and refuses to start on a second `log_dest file`");
                    return;
                }
                String path = d.restTrimmed();
                if (path == null) {
                    diags.error(MISSING_ARGUMENT, d.origin(), "`log_dest file` needs a file path",
                            "write `log_dest file /var/log/mosquitto/mosquitto.log`");
                    return;
                }
                m.logFile = src(path, d);
                m.logDest.putIfAbsent("file", src("file", d));
            }
            default -> {
                bad(d, t, "must be one of `stdout`, `stderr`, `syslog`, `topic`, `file`, `dlt`, `none`");
                return;
            }
        }
        m.logDestSet = true;
        if (m.firstLogDest == null) m.firstLogDest = src(t, d);
    }

    private void logType(Directive d) {
        String t = d.next();
        if (t == null) {
            diags.warning(MISSING_ARGUMENT, d.origin(), "`log_type` needs a value and is ignored", "write `log_type <type>`");
            return;
        }
        switch (t) {
            case "none" -> m.logTypes.clear();
            case "all" -> { for (String a : ALL_LOG_TYPES) m.logTypes.putIfAbsent(a, src(a, d)); }
            default -> {
                if (!ALL_LOG_TYPES.contains(t)) {
                    bad(d, t, "must be one of `debug`, `error`, `warning`, `notice`, `information`, `subscribe`, `unsubscribe`, `websockets`, `none`, `all`");
                    return;
                }
                m.logTypes.putIfAbsent(t, src(t, d));
            }
        }
        tail(d);
        m.logTypeSet = true;
        if (m.firstLogType == null) m.firstLogType = src(t, d);
    }

    private void maxKeepalive(Directive d) {
        Long v = integer(d);
        if (v == null) return;
        boolean v21 = version != null && version.compareTo(V21) >= 0;
        if (v < 0 || v > 65535 || (v < 10 && !v21)) {
            bad(d, v.toString(), v21 ? "must be between 0 and 65535 seconds" : "must be between 10 and 65535 seconds");
            return;
        }
        m.maxKeepalive = src(v, d);
    }

    private void expiration(Directive d) {
        String t = d.next();
        if (t == null) {
            diags.warning(MISSING_ARGUMENT, d.origin(), "`persistent_client_expiration` needs a value and is ignored",
                    "write e.g. `persistent_client_expiration 14d`");
            return;
        }
        char unit = t.charAt(t.length() - 1);
        long n = Directive.atoi(t.substring(0, t.length() - 1));
        if ("hdwmy".indexOf(unit) < 0 || n <= 0) bad(d, t, "must be a number followed by `h`, `d`, `w`, `m` or `y`");
    }

    private void includeDir(Directive d, FileState st) {
        if (st.level > 0) {
            diags.warning(IGNORED_SETTING, d.origin(), "`include_dir` is ignored outside the main configuration file",
                    "mosquitto only reads `include_dir` from the main file; move the line there");
            return;
        }
        String raw = d.restRaw();
        if (raw == null) { missing(d, "a directory"); return; }
        Path dir = paths.resolve(raw);
        if (dir == null || !Files.isDirectory(dir)) {
            String help = !raw.equals(ConfText.trimBlanks(raw))
                    ? "mosquitto uses the rest of the line as it is, spaces included; remove the extra spaces"
                    : "create the directory or fix the path; mosquitto refuses to start without it";
            diags.error(MISSING_INCLUDE, d.origin(), "include directory " + q(raw) + " does not exist", help);
            m.incomplete.add("include directory `" + raw + "` (" + d.origin().display() + ") could not be read");
            return;
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String name = p.getFileName().toString();
                if (name.length() > 5 && name.endsWith(".conf")) files.add(p);
            });
        } catch (IOException | SecurityException | java.io.UncheckedIOException e) {
            diags.error(UNREADABLE_FILE, d.origin(), "include directory " + q(raw) + " cannot be listed",
                    "give the scanning user read access to the directory");
            m.incomplete.add("include directory `" + raw + "` (" + d.origin().display() + ") could not be listed");
            return;
        }
        files.sort((a, b) -> includeOrder(a.getFileName().toString(), b.getFileName().toString()));
        for (Path f : files) {
            if (f.toAbsolutePath().normalize().equals(mainFile)) {
                diags.warning(IGNORED_SETTING, d.origin(), "the include directory " + q(raw) + " contains the main configuration file",
                        "mosquitto would read it twice; keep the main file outside its include directory");
                continue;
            }
            byte[] bytes = load(f, "included file");
            if (bytes != null) readBytes(bytes, paths.display(f), st.level + 1);
            else m.incomplete.add("included file `" + paths.display(f) + "` could not be read");
        }
    }

    /**
     * mosquitto's include order: case-insensitive first, and for letters that differ only in case, upper case
     * first (mosquitto.conf(5): {@code 00.conf 01.conf A.conf a.conf B.conf b.conf}).
     */
    static int includeOrder(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i), y = b.charAt(i);
            int r = upper(x) - upper(y);
            if (r != 0) return r;
            if (x != y) return x - y;
        }
        return a.length() - b.length();
    }

    private static int upper(char c) {
        return c >= 'a' && c <= 'z' ? c - 32 : c;
    }

    private void connection(Directive d, FileState st) {
        String name = d.next();
        if (name == null) { missing(d, "a bridge name"); return; }
        if (m.bridges.containsKey(name)) {
            diags.error(DUPLICATE_VALUE, d.origin(), "bridge " + q(name) + " is defined twice",
                    "give each `connection` a unique name; mosquitto refuses to start otherwise");
        }
        Bridge b = new Bridge(name);
        m.bridges.putIfAbsent(name, b);
        st.bridge = b;
    }

    private void address(Directive d, FileState st) {
        if (st.bridge.hasAddress) {
            diags.error(DUPLICATE_VALUE, d.origin(), "bridge " + q(st.bridge.name) + " has a second `address` line",
                    "list every address on one `address` line; mosquitto refuses to start otherwise");
            return;
        }
        int count = 0;
        for (String t = d.next(); t != null && !t.startsWith("#"); t = d.next()) {
            count++;
            int colon = t.lastIndexOf(':');
            if (colon >= 0) {
                long port = Directive.atoi(t.substring(colon + 1));
                if (port < 1 || port > 65535) bad(d, t, "the port must be between 1 and 65535");
            }
        }
        if (count == 0) missing(d, "`host[:port]`");
        st.bridge.hasAddress = true;
    }

    private void bridgeTopic(Directive d) {
        String topic = d.next();
        if (topic == null) { missing(d, "a topic pattern"); return; }
        String dir = d.next();
        if (dir == null) return;
        if (!Set.of("in", "out", "both").contains(dir.toLowerCase(Locale.ROOT))) {
            bad(d, dir, "the direction must be `in`, `out` or `both`");
            return;
        }
        String qos = d.next();
        if (qos != null && !qos.startsWith("#")) {
            long v = Directive.atoi(qos);
            if (v < 0 || v > 2) bad(d, qos, "the QoS must be 0, 1 or 2");
        }
    }
}
