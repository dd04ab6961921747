package dev.warden.mosquitto;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the configuration files said, in mosquitto's own terms, before defaults and effects are applied. */
final class ConfModel {

    /** Authentication and access-control options: the global set, or one listener's when per_listener_settings is true. */
    static final class Security {
        Src<Boolean> allowAnonymous;
        Src<String> passwordFile;
        Src<String> pskFile;
        Src<String> aclFile;
        Src<String> autoIdPrefix;
        Src<Boolean> allowZeroLengthClientid;
        final List<PluginConf> plugins = new ArrayList<>();
    }

    /** One {@code plugin}/{@code auth_plugin}/{@code global_plugin} line and its option names. */
    static final class PluginConf {
        final Src<String> path;
        final ListenerConf owner;
        final List<String> optionKeys = new ArrayList<>();

        PluginConf(Src<String> path, ListenerConf owner) {
            this.path = path;
            this.owner = owner;
        }
    }

    /** A {@code listener} block, or the default listener fed by options given before any {@code listener} line. */
    static final class ListenerConf {
        final boolean isDefault;
        /** the {@code listener} line; null for the default listener */
        final Src<Integer> listenerLine;
        Src<Integer> port;
        Src<String> host;
        Src<String> unixSocket;
        Src<String> bindInterface;
        /** as mosquitto stores it: -1 for any negative value; 0 and -1 both mean unlimited */
        Src<Integer> maxConnections;
        Src<String> mountPoint;
        Src<String> protocol;
        Src<String> socketDomain;
        Src<Integer> maxQos;
        Src<Boolean> useUsernameAsClientid;
        Src<String> cafile, capath, certfile, keyfile, crlfile, ciphers, ciphers13, dhparamfile, pskHint, tlsVersion;
        Src<String> tlsEngine, tlsEngineKpass, tlsKeyform;
        Src<Boolean> requireCertificate, useIdentityAsUsername, useSubjectAsUsername;
        final Security security = new Security();
        /** option lines that only matter if this (default) listener is created; used to explain ignored settings */
        final List<Src<String>> passiveSettings = new ArrayList<>();
        /** string options already set on this listener, for duplicate detection */
        final Set<String> strings = new LinkedHashSet<>();

        ListenerConf(boolean isDefault, Src<Integer> listenerLine) {
            this.isDefault = isDefault;
            this.listenerLine = listenerLine;
        }
    }

    /** A {@code connection} block. */
    static final class Bridge {
        final String name;
        boolean hasAddress;
        final Set<String> strings = new LinkedHashSet<>();

        Bridge(String name) { this.name = name; }
    }

    private long seq;

    long nextSeq() { return ++seq; }

    Src<Boolean> perListenerSettings;
    /** an authentication option was seen; per_listener_settings true must come before it */
    boolean securityTouched;
    /** no {@code listener}, {@code port} or {@code bind_address} line anywhere (mosquitto's {@code local_only}) */
    boolean localOnly = true;

    /** why part of the configuration could not be read (missing or unreadable include_dir or included file) */
    final List<String> incomplete = new ArrayList<>();

    final Security global = new Security();
    final Set<String> globalStrings = new LinkedHashSet<>();
    final ListenerConf defaultListener = new ListenerConf(true, null);
    final List<ListenerConf> listeners = new ArrayList<>();
    final Map<String, Bridge> bridges = new HashMap<>();

    // logging
    Src<String> firstLogDest;
    /** destinations in effect, keyed by name, each with the line that added it */
    final Map<String, Src<String>> logDest = new LinkedHashMap<>();
    boolean logDestSet;
    Src<String> logFile;
    Src<String> firstLogType;
    final Map<String, Src<String>> logTypes = new LinkedHashMap<>();
    boolean logTypeSet;
    Src<Boolean> connectionMessages;
    Src<Boolean> logTimestamp;

    // limits (null value = unlimited, as mosquitto reads it)
    Src<Long> maxPacketSize;
    Src<Long> messageSizeLimit;
    Src<Long> maxInflightMessages;
    Src<Long> maxQueuedMessages;
    Src<Long> maxQueuedBytes;
    Src<Long> memoryLimit;
    Src<Long> maxKeepalive;
    Src<Long> sysInterval;

    boolean perListener() {
        return perListenerSettings != null && perListenerSettings.value();
    }
}
