package dev.warden.eval.authz;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.dsl.ir.CompiledPolicySet;
import dev.warden.dsl.ir.ParamInfo;
import dev.warden.model.Diagnostic;
import dev.warden.model.DiagnosticRenderer;
import dev.warden.model.fact.Value;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The runtime-authorization facade a broker adapter uses: holds the enforced engine, reloads it from policy files
 * (compiled off the broker's threads, swapped atomically; a broken update keeps the last good policy; with no good
 * policy every request is denied and an error is logged), and answers connect/publish/subscribe/receive
 * questions, counting them in {@link Metrics} and writing denials to the {@link DecisionLog}. Thread-safe.
 */
public final class Enforcer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.warden.authz");
    private static final long T0 = System.nanoTime();

    /** The outcome of a (re)load. */
    public record ReloadResult(boolean ok, String message, List<Diagnostic> diagnostics) {
        public ReloadResult { diagnostics = List.copyOf(diagnostics); }
    }

    /** How to build an enforcer. */
    public static final class Builder {
        private final List<Path> paths = new ArrayList<>();
        private List<PolicyCompiler.Source> sources;
        private String authorize;
        private Map<String, String> params = Map.of();
        private DecisionLog log;
        private Duration watch;
        private LongSupplier clock = () -> System.nanoTime() - T0;
        private int maxIpEntries = 100_000;

        /** A policy file or a directory of {@code *.warden} files (read again on every reload). */
        public Builder policy(Path p) { paths.add(p); return this; }

        /** Fixed policy text instead of files (tests, embedding). */
        public Builder sources(List<PolicyCompiler.Source> s) { sources = List.copyOf(s); return this; }

        /** Which {@code authorize} block to enforce; optional when the policy set has exactly one. */
        public Builder authorize(String name) { authorize = name; return this; }

        /** {@code --param} style overrides. */
        public Builder params(Map<String, String> p) { params = Map.copyOf(p); return this; }

        public Builder log(DecisionLog l) { log = l; return this; }

        /** Poll the policy files for changes at this interval and reload when they change. */
        public Builder watch(Duration d) { watch = d; return this; }

        /** A monotonic nanosecond clock (tests). */
        public Builder clock(LongSupplier c) { clock = c; return this; }

        /** Bound of the per-address table (connection counts, per-IP buckets). */
        public Builder maxIpEntries(int n) { maxIpEntries = n; return this; }

        /** Loads the policy (denying everything if it is not valid) and starts watching if asked. */
        public Enforcer build() {
            Enforcer e = new Enforcer(this);
            e.reload();
            if (watch != null) e.startWatching(watch);
            return e;
        }
    }

    public static Builder builder() { return new Builder(); }

    private final Builder cfg;
    private final Metrics metrics = new Metrics();
    private final AtomicReference<AuthzEngine> engine = new AtomicReference<>();
    private final AtomicReference<ReloadResult> lastReload = new AtomicReference<>();
    private final ConcurrentHashMap<String, AuthzEngine.IpState> ips = new ConcurrentHashMap<>();
    private ScheduledExecutorService watcher;
    private final java.util.List<java.util.function.Consumer<AuthzEngine>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Calls {@code listener} with every new engine just <em>before</em> it is swapped in, and once more right after
     * (on the reloading thread; the work must be idempotent), so an adapter can prepare — e.g. start checking
     * deliveries of subscriptions admitted under the old policy — before any decision uses the new policy, and
     * catch what it admitted in between. Not called for a rejected update.
     */
    public void onPolicyChange(java.util.function.Consumer<AuthzEngine> listener) { listeners.add(listener); }

    private void notify(AuthzEngine next) {
        for (java.util.function.Consumer<AuthzEngine> l : listeners) {
            try {
                l.accept(next);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "warden: a policy-change listener failed: " + e);
            }
        }
    }
    private volatile String fingerprint = "";

    private Enforcer(Builder b) {
        this.cfg = b;
        engine.set(AuthzEngine.denyAll("not loaded yet", metrics));
        if (b.log != null) b.log.metrics(metrics);
    }

    public Metrics metrics() { return metrics; }

    /** The engine in force (a deny-all engine when no valid policy was ever loaded). */
    public AuthzEngine engine() { return engine.get(); }

    /** The last (re)load outcome. */
    public ReloadResult lastReload() { return lastReload.get(); }

    // ------------------------------------------------------------------ loading

    /** Compiles the policy and, when valid, swaps it in; otherwise keeps what is in force. */
    public synchronized ReloadResult reload() {
        ReloadResult r;
        AuthzEngine next = null;
        try {
            List<PolicyCompiler.Source> src = cfg.sources != null ? cfg.sources : read();
            PolicyCompiler.Result res = PolicyCompiler.compile(src, PolicyCompiler.Options.defaults().withParams(cfg.params));
            if (!res.ok()) {
                r = new ReloadResult(false, res.errors().size() + " error(s) in the policy:\n" + render(res.diagnostics()), res.diagnostics());
            } else {
                CompiledPolicySet set = res.policySet().get();
                List<AuthzPolicy> blocks = set.authorizations();
                AuthzPolicy chosen = null;
                if (cfg.authorize != null) chosen = set.authorization(cfg.authorize).orElse(null);
                else if (blocks.size() == 1) chosen = blocks.get(0);
                if (chosen == null) {
                    String names = blocks.isEmpty() ? "none" : String.join(", ", blocks.stream().map(AuthzPolicy::name).toList());
                    r = new ReloadResult(false, cfg.authorize != null ? "no `authorize " + cfg.authorize + "` block (found: " + names + ")"
                            : "the policy must have exactly one `authorize` block, or name one (found: " + names + ")", res.diagnostics());
                } else {
                    Map<String, Value> params = new HashMap<>();
                    for (ParamInfo p : set.params().values()) params.put(p.key(), p.value());
                    next = AuthzEngine.of(chosen, params, metrics);
                    r = new ReloadResult(true, "enforcing `authorize " + chosen.name() + "` (" + chosen.rules().size() + " rule(s), "
                            + chosen.connectRules().size() + " connect rule(s))", res.diagnostics());
                }
            }
        } catch (IOException | RuntimeException e) {
            r = new ReloadResult(false, "cannot read the policy: " + e.getMessage(), List.of());
        }
        lastReload.set(r);
        if (next != null) {
            notify(next);
            engine.getAndSet(next).retire();
            notify(next); // again: catches what the adapter admitted under the old engine while the first call ran
            metrics.reloads.increment();
            metrics.policyLoaded = true;
            LOG.log(System.Logger.Level.DEBUG, "warden: " + r.message());
        } else {
            metrics.reloadFailures.increment();
            AuthzEngine cur = engine.get();
            if (cur.hasPolicy()) {
                LOG.log(System.Logger.Level.ERROR, "warden: policy update rejected, still enforcing `" + cur.policy().name() + "`: " + r.message());
            } else {
                engine.getAndSet(AuthzEngine.denyAll(r.message().lines().findFirst().orElse(""), metrics)).retire();
                LOG.log(System.Logger.Level.ERROR, "warden: NO VALID POLICY - DENYING EVERY CLIENT AND MESSAGE: " + r.message());
            }
        }
        return r;
    }

    private static String render(List<Diagnostic> d) {
        StringBuilder b = new StringBuilder();
        for (Diagnostic x : d) if (x.isError()) b.append(DiagnosticRenderer.render(x, f -> java.util.Optional.empty())).append('\n');
        return b.toString().strip();
    }

    private List<Path> files() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : cfg.paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    s.filter(f -> f.toString().endsWith(".warden")).sorted().forEach(out::add);
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private List<PolicyCompiler.Source> read() throws IOException {
        List<PolicyCompiler.Source> out = new ArrayList<>();
        for (Path f : files()) out.add(new PolicyCompiler.Source(f.toString(), Files.readString(f, StandardCharsets.UTF_8)));
        if (out.isEmpty()) throw new IOException("no policy file found in " + cfg.paths);
        return out;
    }

    private String currentFingerprint() {
        try {
            StringBuilder b = new StringBuilder();
            for (Path f : files()) b.append(f).append(':').append(Files.getLastModifiedTime(f).toMillis()).append(':').append(Files.size(f)).append(';');
            return b.toString();
        } catch (IOException e) {
            return "unreadable:" + e.getMessage();
        }
    }

    private void startWatching(Duration every) {
        fingerprint = currentFingerprint();
        watcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warden-policy-watch");
            t.setDaemon(true);
            return t;
        });
        watcher.scheduleWithFixedDelay(() -> {
            String now = currentFingerprint();
            if (!now.equals(fingerprint)) {
                fingerprint = now;
                reload();
            }
        }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ------------------------------------------------------------------ decisions

    private Session.Binding binding(Session s) {
        Session.Binding b = s.binding;
        AuthzEngine cur = engine.get();
        if (b.engine == cur) return b;
        synchronized (s) {
            b = s.binding;
            if (b.engine != cur) {
                Session.Binding fresh = cur.bind(s.client(), b.ip);
                // a refusal that is not about the rules (too many connections from the address) survives a reload
                if (b.connect.reason() == Decision.Reason.CONNECTION_LIMIT) {
                    fresh = new Session.Binding(cur, fresh.active, fresh.values, cur.connectionLimitDecision(), fresh.ip);
                }
                b = fresh;
                s.binding = b;
            }
            return b;
        }
    }

    private AuthzEngine.IpState ip(String address) {
        AuthzEngine.IpState st = ips.get(address);
        if (st != null) return st;
        if (ips.size() >= cfg.maxIpEntries) ips.values().removeIf(x -> x.connections.get() == 0);
        return ips.computeIfAbsent(address, k -> new AuthzEngine.IpState());
    }

    /** Authorizes a connecting client; the session's {@link Session#connectDecision()} says whether it may stay. */
    public Session connect(ClientInfo client) {
        AuthzEngine e = engine.get();
        // a broker that cannot tell the source address gives ""; per-address limits then do not apply (counting every
        // client as one address would turn `limit connections per ip` into a cap on all clients)
        AuthzEngine.IpState ip = client.ip().isEmpty() ? null : ip(client.ip());
        Session.Binding b = e.bind(client, ip);
        Session s = new Session(client, b);
        Decision d = b.connect;
        if (d.allowed()) {
            int limit = e.connectionsPerIp();
            int n = ip == null ? 0 : ip.connections.incrementAndGet();
            if (limit > 0 && n > limit) {
                ip.connections.decrementAndGet();
                s.closed.set(true);
                d = e.connectionLimitDecision();
                s.binding = new Session.Binding(e, b.active, b.values, d, ip);
            }
        } else {
            s.closed.set(true);
        }
        count(s, d, null);
        return s;
    }

    /** The client went away: releases its connection slot. Idempotent. */
    public void disconnect(Session s) {
        if (s.closed.compareAndSet(false, true)) {
            AuthzEngine.IpState ip = s.binding.ip;
            if (ip != null) ip.connections.decrementAndGet();
        }
    }

    /** May the client publish {@code payloadBytes} bytes to {@code topic} with this QoS and retain flag? */
    public Decision publish(Session s, String topic, int qos, boolean retain, int payloadBytes) {
        Session.Binding b = binding(s);
        Decision d = b.engine.publish(s, b, topic, qos, retain, payloadBytes, cfg.clock);
        return count(s, d, topic);
    }

    /**
     * The publish decision without taking from the rate limits and without counting or logging it: for brokers
     * that must ask before they know whether a message will be accepted (see {@link #charge}).
     */
    public Decision check(Session s, String topic, int qos, boolean retain, int payloadBytes) {
        Session.Binding b = binding(s);
        return b.engine.publish(s, b, topic, qos, retain, payloadBytes, cfg.clock, false);
    }

    /** Takes one accepted message of {@code payloadBytes} from the client's rate limits; the rate-limit denial when over. */
    public java.util.Optional<Decision> charge(Session s, int payloadBytes) {
        Session.Binding b = binding(s);
        Decision d = b.engine.charge(s, b, payloadBytes, cfg.clock);
        return d == null ? java.util.Optional.empty() : java.util.Optional.of(count(s, d, null));
    }

    /** The connect decision for a client without registering a connection (no per-address slot is taken). */
    public Decision checkConnect(ClientInfo client) {
        return engine.get().bind(client, null).connect;
    }

    /**
     * The topic rules that apply to the client under the policy in force, in rule order, with its values in place of
     * the template variables: rules whose {@code when} condition does not hold, or whose template names a value the
     * client lacks (or one that is not a single topic level), are left out. Empty for a client refused at connect or
     * when no valid policy is loaded. For brokers that enforce a per-client permission list natively.
     */
    public java.util.List<Grant> grants(Session s) {
        Session.Binding b = binding(s);
        AuthzEngine e = b.engine;
        if (!e.hasPolicy() || !b.connect.allowed()) return java.util.List.of();
        java.util.Map<String, String> values = new java.util.HashMap<>();
        if (b.values[0] != null) values.put("client.id", b.values[0]);
        if (b.values[1] != null) values.put("username", b.values[1]);
        if (b.values[2] != null) values.put("cert.cn", b.values[2]);
        java.util.List<Grant> out = new java.util.ArrayList<>();
        for (dev.warden.dsl.ir.AuthzPolicy.Rule r : e.policy().rules()) {
            if (!b.active(r.index())) continue;
            String filter = r.pattern().substitute(values).source();
            boolean retain = !r.allow() || r.retain().isEmpty() || r.retain().get();
            out.add(new Grant(r.index(), r.allow(), r.action(), filter, r.allow() ? r.qosMin() : 0, r.allow() ? r.qosMax() : 2, retain, r.origin()));
        }
        return java.util.List.copyOf(out);
    }

    /** May the client subscribe to {@code filter} (possibly {@code $share/<group>/...}) with this QoS? */
    public Decision subscribe(Session s, String filter, int qos) {
        Session.Binding b = binding(s);
        return count(s, b.engine.subscribe(b, filter, qos), filter);
    }

    /** May a message on {@code topic} be delivered to the client? */
    public Decision receive(Session s, String topic) {
        Session.Binding b = binding(s);
        return count(s, b.engine.receive(b, topic), topic);
    }

    private Decision count(Session s, Decision d, String topic) {
        d.count();
        if (cfg.log != null) cfg.log.record(s, d, topic);
        return d;
    }

    /** Stops watching the policy and closes the decision log given to the builder (flushing what is queued). */
    @Override
    public void close() {
        if (watcher != null) watcher.shutdownNow();
        if (cfg.log != null) cfg.log.close();
    }
}
