package dev.warden.hivemq;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The extension's settings, read from {@code conf/warden.properties} ({@code key = value} lines, {@code #} comments).
 * Relative paths are resolved against the extension folder. A bad file is rejected whole with {@code file:line}.
 */
public record WardenConfig(Path policy, String authorize, Map<String, String> params, Path decisionLog, long decisionLogMaxBytes,
                           int decisionLogKeep, int decisionLogAllowSample, int decisionLogQueue, Duration watch,
                           PublishDenied publishDenied, Mqtt3Denied mqtt3Denied, ReceiveCheck receiveCheck, Authentication authentication,
                           Enforcement enforcement) {

    /** When deliveries are checked against the subscriber's receive rights. */
    public enum ReceiveCheck {
        /** Every delivery (one extension task per delivery). */
        ON,
        /** Only where a subscription may predate the policy in force: connections alive at a policy reload and
         *  clients resuming a persistent session; other subscriptions were authorized under the current policy. */
        RELOAD,
        /** Never: a policy change applies to new subscriptions only. */
        OFF
    }

    /** What happens to an MQTT 5 client whose PUBLISH a rule denies. */
    public enum PublishDenied {
        /** PUBACK/PUBREC with a failure reason code, message dropped, client stays connected. */
        DROP,
        /** PUBACK/PUBREC NOT_AUTHORIZED, then DISCONNECT (HiveMQ's authorizer behaviour). */
        DISCONNECT
    }

    /** What happens to an MQTT 3 client whose PUBLISH a rule denies (MQTT 3 has no negative acknowledgement). */
    public enum Mqtt3Denied {
        /** Close the connection (MQTT 3.1.1 section 3.3.5, HiveMQ's default). */
        DISCONNECT,
        /** Acknowledge as usual and drop the message. */
        DROP
    }

    /** How PUBLISH rules are enforced. */
    public enum Enforcement {
        /** Warden decides every PUBLISH (inbound interceptor and publish authorizer): every feature, two extension tasks per message. */
        HOOKS,
        /** HiveMQ decides PUBLISH in line from per-client default permissions Warden computes at CONNECT; Warden still
         *  decides CONNECT and SUBSCRIBE, and checks publishes only where limits (or `$` topics) need it. */
        PERMISSIONS
    }

    /** Who authenticates a client that passes the connect rules. */
    public enum Authentication {
        /** Warden does: passing the connect rules is enough. */
        DECIDE,
        /** The next authenticator extension (or HiveMQ's default, deny) does; Warden only refuses. */
        DEFER
    }

    /** A configuration error with its location and a hint. */
    public static final class ConfigException extends Exception {
        /** Creates the error; {@code message} already names the location. */
        public ConfigException(String message) { super(message); }
    }

    private static final List<String> KEYS = List.of("policy", "authorize", "decision-log", "decision-log.max-bytes", "decision-log.keep",
            "decision-log.allow-sample", "decision-log.queue", "watch", "publish-denied", "mqtt3-publish-denied", "receive-check",
            "authentication", "enforcement");

    /** Settings for a policy file or folder with everything else at its default (tests, embedding). */
    public static WardenConfig of(Path policy) {
        return new WardenConfig(policy, null, Map.of(), null, 10L << 20, 5, 0, 8192, null, PublishDenied.DROP, Mqtt3Denied.DISCONNECT, ReceiveCheck.RELOAD,
                Authentication.DECIDE, Enforcement.HOOKS);
    }

    /** Reads {@code file}, resolving relative paths against {@code home}. */
    public static WardenConfig read(Path file, Path home) throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read the Warden configuration (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + ")\n  hint: the extension expects conf/warden.properties in its folder");
        }
        return parse(file.toString(), text, home);
    }

    /** Parses configuration text; {@code name} is used in error locations. */
    public static WardenConfig parse(String name, String text, Path home) throws ConfigException {
        Map<String, String> kv = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        Map<String, String> params = new LinkedHashMap<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            int eq = line.indexOf('=');
            String where = name + ":" + (i + 1);
            if (eq <= 0) throw new ConfigException(where + ": expected `key = value`, found `" + line + "`\n  hint: known keys: " + String.join(", ", KEYS));
            String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(eq + 1).strip();
            if (key.startsWith("param.")) {
                params.put(line.substring(0, eq).strip().substring(6), value);
                continue;
            }
            if (!KEYS.contains(key)) throw new ConfigException(where + ": unknown key `" + key + "`" + suggest(key) + "\n  hint: known keys: " + String.join(", ", KEYS)
                    + ", param.<name>");
            if (kv.containsKey(key)) throw new ConfigException(where + ": `" + key + "` is already set at line " + lineOf.get(key));
            kv.put(key, value);
            lineOf.put(key, i + 1);
        }
        Loc at = k -> name + ":" + lineOf.getOrDefault(k, 0);
        String pol = kv.get("policy");
        if (pol == null || pol.isEmpty()) throw new ConfigException(name + ": `policy` is required\n  hint: policy = policies/   (a .warden file or a folder of them, relative to the extension folder)");
        Path policy = resolve(home, pol);
        String authorize = blankToNull(kv.get("authorize"));
        if (authorize != null && !authorize.matches("[A-Za-z_][A-Za-z0-9_-]*"))
            throw new ConfigException(at.of("authorize") + ": `" + authorize + "` is not an authorize block name\n  hint: authorize = devices");
        Path log = kv.containsKey("decision-log") && !kv.get("decision-log").isEmpty() ? resolve(home, kv.get("decision-log")) : null;
        long maxBytes = size(kv, "decision-log.max-bytes", 10L << 20, at);
        int keep = (int) number(kv, "decision-log.keep", 5, 1, 100, at);
        int sample = (int) number(kv, "decision-log.allow-sample", 0, 0, Integer.MAX_VALUE, at);
        int queue = (int) number(kv, "decision-log.queue", 8192, 16, 10_000_000, at);
        Duration watch = duration(kv, "watch", at);
        PublishDenied pd = choice(kv, "publish-denied", PublishDenied.class, PublishDenied.DROP, at);
        Mqtt3Denied m3 = choice(kv, "mqtt3-publish-denied", Mqtt3Denied.class, Mqtt3Denied.DISCONNECT, at);
        ReceiveCheck recv = receiveCheck(kv, at);
        Authentication auth = choice(kv, "authentication", Authentication.class, Authentication.DECIDE, at);
        Enforcement enf = choice(kv, "enforcement", Enforcement.class, Enforcement.HOOKS, at);
        if (enf == Enforcement.PERMISSIONS) {
            // HiveMQ refuses a PUBLISH its permissions deny by closing the connection (MQTT 3 and 5) and never asks
            // another extension after its own authenticator decided
            if (kv.containsKey("publish-denied") && pd == PublishDenied.DROP)
                throw new ConfigException(at.of("publish-denied") + ": `publish-denied = drop` cannot be combined with `enforcement = permissions`"
                        + "\n  hint: HiveMQ disconnects a client whose PUBLISH its permissions deny; use enforcement = hooks to keep MQTT 5 clients connected");
            if (m3 == Mqtt3Denied.DROP)
                throw new ConfigException(at.of("mqtt3-publish-denied") + ": `mqtt3-publish-denied = drop` cannot be combined with `enforcement = permissions`"
                        + "\n  hint: HiveMQ disconnects a client whose PUBLISH its permissions deny; use enforcement = hooks");
            if (auth == Authentication.DEFER)
                throw new ConfigException(at.of("authentication") + ": `authentication = defer` cannot be combined with `enforcement = permissions`"
                        + "\n  hint: the permissions Warden sets at CONNECT would be replaced by the next authenticator's");
            pd = PublishDenied.DISCONNECT;
        }
        return new WardenConfig(policy, authorize, Map.copyOf(params), log, maxBytes, keep, sample, queue, watch, pd, m3, recv, auth, enf);
    }

    private interface Loc { String of(String key); }

    private static String blankToNull(String s) { return s == null || s.isEmpty() ? null : s; }

    private static Path resolve(Path home, String p) {
        Path x = Path.of(p);
        return x.isAbsolute() || home == null ? x : home.resolve(x).normalize();
    }

    private static String suggest(String key) {
        String best = null;
        int bestD = 3;
        for (String k : KEYS) {
            int d = distance(k, key);
            if (d < bestD) { bestD = d; best = k; }
        }
        return best == null ? "" : " (did you mean `" + best + "`?)";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++)
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }

    private static long number(Map<String, String> kv, String key, long dflt, long min, long max, Loc at) throws ConfigException {
        String v = kv.get(key);
        if (v == null || v.isEmpty()) return dflt;
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n < min || n > max) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException(at.of(key) + ": `" + key + "` must be a whole number from " + min + " to " + max + ", found `" + v + "`");
        }
    }

    private static long size(Map<String, String> kv, String key, long dflt, Loc at) throws ConfigException {
        String v = kv.get(key);
        if (v == null || v.isEmpty()) return dflt;
        var m = java.util.regex.Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB)?").matcher(v);
        if (!m.matches()) throw new ConfigException(at.of(key) + ": `" + key + "` must be a size like 10MiB, found `" + v + "`\n  hint: units B, KiB, MiB, GiB");
        long n = Long.parseLong(m.group(1));
        String u = m.group(2) == null ? "B" : m.group(2);
        return n << switch (u) { case "KiB" -> 10; case "MiB" -> 20; case "GiB" -> 30; default -> 0; };
    }

    private static Duration duration(Map<String, String> kv, String key, Loc at) throws ConfigException {
        String v = kv.get(key);
        if (v == null || v.isEmpty() || v.equals("off") || v.equals("0")) return null;
        var m = java.util.regex.Pattern.compile("(\\d+)\\s*(ms|s|m)").matcher(v);
        if (!m.matches()) throw new ConfigException(at.of(key) + ": `" + key + "` must be a duration like 500ms, 2s or 1m (or off), found `" + v + "`");
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) { case "ms" -> Duration.ofMillis(n); case "s" -> Duration.ofSeconds(n); default -> Duration.ofMinutes(n); };
        if (d.toMillis() < 50) throw new ConfigException(at.of(key) + ": `" + key + "` must be at least 50ms, found `" + v + "`");
        return d;
    }

    private static ReceiveCheck receiveCheck(Map<String, String> kv, Loc at) throws ConfigException {
        String v = kv.get("receive-check");
        if (v == null || v.isEmpty()) return ReceiveCheck.RELOAD;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes", "always" -> ReceiveCheck.ON;
            case "reload" -> ReceiveCheck.RELOAD;
            case "off", "false", "no" -> ReceiveCheck.OFF;
            default -> throw new ConfigException(at.of("receive-check") + ": `receive-check` must be on, reload or off, found `" + v + "`"
                    + "\n  hint: reload (default) checks deliveries only where a subscription may predate the policy in force");
        };
    }

    private static <E extends Enum<E>> E choice(Map<String, String> kv, String key, Class<E> type, E dflt, Loc at) throws ConfigException {
        String v = kv.get(key);
        if (v == null || v.isEmpty()) return dflt;
        for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(v)) return e;
        List<String> names = java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        throw new ConfigException(at.of(key) + ": `" + key + "` must be one of " + String.join(", ", names) + ", found `" + v + "`");
    }

    /** The same settings with another MQTT 5 publish-denial mode. */
    public WardenConfig withPublishDenied(PublishDenied p) {
        return new WardenConfig(policy, authorize, params, decisionLog, decisionLogMaxBytes, decisionLogKeep, decisionLogAllowSample, decisionLogQueue,
                watch, p, mqtt3Denied, receiveCheck, authentication, enforcement);
    }

    /** The same settings watching the policy at this interval. */
    public WardenConfig withWatch(Duration d) {
        return new WardenConfig(policy, authorize, params, decisionLog, decisionLogMaxBytes, decisionLogKeep, decisionLogAllowSample, decisionLogQueue,
                d, publishDenied, mqtt3Denied, receiveCheck, authentication, enforcement);
    }

    /** The same settings writing the decision log to {@code file}. */
    public WardenConfig withDecisionLog(Path file) {
        return new WardenConfig(policy, authorize, params, file, decisionLogMaxBytes, decisionLogKeep, decisionLogAllowSample, decisionLogQueue,
                watch, publishDenied, mqtt3Denied, receiveCheck, authentication, enforcement);
    }

    /** The same settings with another enforcement mode ({@code permissions} implies {@code publish-denied = disconnect}). */
    public WardenConfig withEnforcement(Enforcement e) {
        return new WardenConfig(policy, authorize, params, decisionLog, decisionLogMaxBytes, decisionLogKeep, decisionLogAllowSample, decisionLogQueue,
                watch, e == Enforcement.PERMISSIONS ? PublishDenied.DISCONNECT : publishDenied, mqtt3Denied, receiveCheck, authentication, e);
    }

    /** The same settings with another receive-check mode. */
    public WardenConfig withReceiveCheck(ReceiveCheck r) {
        return new WardenConfig(policy, authorize, params, decisionLog, decisionLogMaxBytes, decisionLogKeep, decisionLogAllowSample, decisionLogQueue,
                watch, publishDenied, mqtt3Denied, r, authentication, enforcement);
    }
}
