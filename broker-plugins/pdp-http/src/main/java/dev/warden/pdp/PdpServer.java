package dev.warden.pdp;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.warden.eval.authz.Enforcer;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The Warden HTTP policy decision point: one HTTPS service that answers EMQX 5 HTTP authentication/authorization,
 * the mosquitto-go-auth HTTP backend and VerneMQ webhooks from one {@link Enforcer} (see docs/pdp.md).
 * Start with {@link #start(Options)}; every request needs the bearer token or a trusted client certificate.
 */
public final class PdpServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.warden.pdp");

    /** What to do when a client passes the connect rules: Warden checks rules, not passwords. */
    public enum OnConnectPass {
        /** Leave authentication to the next authenticator (EMQX {@code ignore}, VerneMQ {@code next}, go-auth 403). */
        DEFER,
        /** Answer "authenticated" (only when the broker already verified the identity, e.g. by a client certificate). */
        ALLOW
    }

    /** How to run the server; set fields with the fluent setters, then {@link PdpServer#start(Options)}. */
    public static final class Options {
        String bind = "127.0.0.1";
        int port;
        Path keystore;
        char[] keystorePassword;
        SSLContext sslContext;
        Path truststore;
        char[] truststorePassword;
        boolean requireClientCert;
        byte[] token;
        boolean insecurePlaintextLoopback;
        int maxRequestBytes = 16 * 1024;
        Enforcer enforcer;
        OnConnectPass onConnectPass = OnConnectPass.DEFER;
        boolean usernameIsCertCn;
        int unknownQos = 2;
        boolean unknownRetain = true;
        boolean vernemqBase64Payload = true;
        int maxSessions = 100_000;
        Duration sessionIdle = Duration.ofMinutes(10);
        int threads = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
        Duration requestTimeout = Duration.ofSeconds(10);

        /** Bind address (default 127.0.0.1). */
        public Options bind(String address) { bind = address; return this; }

        /** TCP port; 0 picks a free one (see {@link PdpServer#port()}). */
        public Options port(int p) { port = p; return this; }

        /** Server certificate and key: a PKCS12 file and its password. */
        public Options keystore(Path p12, char[] password) { keystore = p12; keystorePassword = password == null ? null : password.clone(); return this; }

        /** A ready TLS context instead of a keystore (its trust managers verify client certificates when mTLS is on). */
        public Options sslContext(SSLContext c) { sslContext = c; return this; }

        /** Require client certificates issued by the CAs in this PKCS12 truststore (mutual TLS). */
        public Options truststore(Path p12, char[] password) {
            truststore = p12;
            truststorePassword = password == null ? null : password.clone();
            requireClientCert = true;
            return this;
        }

        /** Require a client certificate verified by the trust managers of {@link #sslContext(SSLContext)}. */
        public Options requireClientCert(boolean on) { requireClientCert = on; return this; }

        /** The bearer token clients must send; prefer {@link #tokenFromFile} or {@link #tokenFromEnv}. */
        public Options token(byte[] t) { token = t == null ? null : t.clone(); return this; }

        /** Reads the token from a file (surrounding white space removed). */
        public Options tokenFromFile(Path file) throws IOException {
            byte[] raw = Files.readAllBytes(file);
            token = new String(raw, StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
            Arrays.fill(raw, (byte) 0);
            return this;
        }

        /** Reads the token from the environment variable with this name. */
        public Options tokenFromEnv(String variable) {
            String v = System.getenv(variable);
            if (v == null) throw new IllegalArgumentException("environment variable " + variable + " is not set (it should hold the PDP token)");
            token = v.strip().getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** Serve plain HTTP; refused unless the bind address is a loopback address. */
        public Options insecurePlaintextLoopback(boolean on) { insecurePlaintextLoopback = on; return this; }

        /** Largest accepted request body; larger ones get 413 (default 16 KiB). */
        public Options maxRequestBytes(int n) { maxRequestBytes = n; return this; }

        /** The engine that decides; the caller owns it (closing the server does not close it). */
        public Options enforcer(Enforcer e) { enforcer = e; return this; }

        /** See {@link OnConnectPass}; default {@link OnConnectPass#DEFER}. */
        public Options onConnectPass(OnConnectPass p) { onConnectPass = p; return this; }

        /** The broker puts the client certificate's CN in the user name (mosquitto/VerneMQ {@code use_identity_as_username}). */
        public Options usernameIsCertCn(boolean on) { usernameIsCertCn = on; return this; }

        /**
         * The QoS and retain flag assumed when a contract does not send them (mosquitto-go-auth never does; EMQX only
         * with {@code ${qos}}/{@code ${retain}} in the template). Default 2 and true, the worst case: set them to the
         * broker's own caps ({@code max_qos}, {@code retain_available}).
         */
        public Options assumeWhenUnknown(int qos, boolean retain) { unknownQos = qos; unknownRetain = retain; return this; }

        /** VerneMQ sends payloads base64-encoded (its default); false when {@code base64_payload = off}. */
        public Options vernemqBase64Payload(boolean on) { vernemqBase64Payload = on; return this; }

        /** Bound of the session table (default 100000). */
        public Options maxSessions(int n) { maxSessions = n; return this; }

        /** A session not used for this long is released (default 10 minutes). */
        public Options sessionIdle(Duration d) { sessionIdle = d; return this; }

        /** Worker threads (default max(4, 2 x cores)). */
        public Options threads(int n) { threads = n; return this; }

        /** Longest time to receive a request or send a response before the connection is closed (default 10 s, JVM-wide). */
        public Options requestTimeout(Duration d) { requestTimeout = d; return this; }

        void validate() {
            if (enforcer == null) throw new IllegalArgumentException("the PDP needs an enforcer (a policy to enforce)");
            if (maxRequestBytes < 256) throw new IllegalArgumentException("max request bytes must be at least 256, got " + maxRequestBytes);
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0..65535, got " + port);
            if (unknownQos < 0 || unknownQos > 2) throw new IllegalArgumentException("the assumed QoS must be 0, 1 or 2, got " + unknownQos);
            if (maxSessions < 1) throw new IllegalArgumentException("max sessions must be positive");
            if (threads < 1) throw new IllegalArgumentException("threads must be positive");
            if (requestTimeout.toSeconds() < 1) throw new IllegalArgumentException("the request timeout must be at least 1 s");
            if (token != null && token.length < 16) {
                throw new IllegalArgumentException("the PDP token is too short (" + token.length + " bytes); use at least 16 random bytes, e.g. `openssl rand -hex 32`");
            }
            if (insecurePlaintextLoopback) {
                if (keystore != null || sslContext != null || requireClientCert) {
                    throw new IllegalArgumentException("plain HTTP was asked for together with TLS settings; choose one");
                }
                if (token == null) throw new IllegalArgumentException("plain HTTP still needs a token: set one (from a file or an environment variable)");
            } else {
                if (keystore == null && sslContext == null) {
                    throw new IllegalArgumentException("the PDP serves HTTPS only: give a PKCS12 keystore (or an SSLContext); plain HTTP needs the explicit loopback-only option");
                }
                if (token == null && !requireClientCert) {
                    throw new IllegalArgumentException("the PDP needs a client credential: a bearer token (file or environment variable) and/or client certificates (truststore)");
                }
            }
        }
    }

    private final Options opts;
    private final HttpServer http;
    private final ExecutorService workers;
    private final ScheduledExecutorService sweeper;
    private final Sessions sessions;
    private final byte[] tokenDigest;
    private final Map<String, Route> routes;
    private final ConcurrentHashMap<String, LongAdder> requests = new ConcurrentHashMap<>();

    /** One endpoint. */
    interface Route {
        Reply handle(String path, Params p, Headers h);
    }

    private PdpServer(Options o, HttpServer http, ExecutorService workers) {
        this.opts = o;
        this.http = http;
        this.workers = workers;
        this.tokenDigest = o.token == null ? null : sha256(o.token);
        this.sessions = new Sessions(o.enforcer, o.maxSessions, o.sessionIdle.toNanos(), System::nanoTime);
        Clients clients = new Clients(o, sessions);
        EmqxContract emqx = new EmqxContract(o, clients);
        GoAuthContract goAuth = new GoAuthContract(o, clients);
        VernemqContract verne = new VernemqContract(o, clients, sessions);
        this.routes = Map.of(
                "/emqx/authn", emqx::authenticate,
                "/emqx/authz", emqx::authorize,
                "/go-auth/user", goAuth::user,
                "/go-auth/superuser", goAuth::superuser,
                "/go-auth/acl", goAuth::acl,
                "/go-auth/text/user", goAuth::user,
                "/go-auth/text/superuser", goAuth::superuser,
                "/go-auth/text/acl", goAuth::acl,
                "/vernemq", verne::hook);
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warden-pdp-sessions");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(1000, o.sessionIdle.toMillis() / 4);
        sweeper.scheduleWithFixedDelay(sessions::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /** Starts the server; throws {@link IllegalArgumentException} with a readable message for bad options. */
    public static PdpServer start(Options o) throws IOException {
        o.validate();
        InetAddress addr = InetAddress.getByName(o.bind);
        if (o.insecurePlaintextLoopback && !addr.isLoopbackAddress()) {
            throw new IllegalArgumentException("plain HTTP is only served on a loopback address; " + o.bind + " is not one (use TLS)");
        }
        limits(o.requestTimeout);
        HttpServer server;
        if (o.insecurePlaintextLoopback) {
            server = HttpServer.create(new InetSocketAddress(addr, o.port), 128);
        } else {
            SSLContext ctx;
            try {
                ctx = context(o);
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
            }
            HttpsServer s = HttpsServer.create(new InetSocketAddress(addr, o.port), 128);
            boolean both = o.requireClientCert && o.token != null;
            boolean need = o.requireClientCert && o.token == null;
            s.setHttpsConfigurator(new HttpsConfigurator(ctx) {
                @Override
                public void configure(HttpsParameters p) {
                    SSLParameters sp = getSSLContext().getDefaultSSLParameters();
                    sp.setProtocols(new String[]{"TLSv1.3", "TLSv1.2"});
                    if (need) sp.setNeedClientAuth(true);
                    else if (both) sp.setWantClientAuth(true);
                    p.setSSLParameters(sp);
                }
            });
            server = s;
        }
        AtomicInteger n = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(o.threads, r -> {
            Thread t = new Thread(r, "warden-pdp-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        PdpServer pdp = new PdpServer(o, server, workers);
        server.createContext("/", pdp::exchange);
        server.setExecutor(workers);
        server.start();
        Enforcer.ReloadResult r = o.enforcer.lastReload();
        LOG.log(System.Logger.Level.INFO, "warden pdp: listening on " + (o.insecurePlaintextLoopback ? "http" : "https") + "://"
                + o.bind + ":" + pdp.port() + " (" + (r != null && r.ok() ? r.message() : "NO VALID POLICY - every request is denied") + ")");
        return pdp;
    }

    /** The bound port. */
    public int port() { return http.getAddress().getPort(); }

    /** Sessions currently held (for tests and metrics). */
    int sessionCount() { return sessions.size(); }

    @Override
    public void close() {
        http.stop(0);
        workers.shutdownNow();
        sweeper.shutdownNow();
        sessions.clear();
    }

    // ------------------------------------------------------------------ setup

    private static void limits(Duration timeout) {
        // read once per JVM by the JDK server (sun.net.httpserver.ServerConfig); an explicit -D wins
        String secs = Long.toString(Math.max(1, timeout.toSeconds()));
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", secs);
        System.getProperties().putIfAbsent("sun.net.httpserver.maxRspTime", secs);
        System.getProperties().putIfAbsent("sun.net.httpserver.idleInterval", "30");
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqHeaders", "64");
        // headers and body are written separately: without TCP_NODELAY, Nagle + delayed ACK add ~40 ms per answer
        System.getProperties().putIfAbsent("sun.net.httpserver.nodelay", "true");
    }

    private static SSLContext context(Options o) throws GeneralSecurityException, IOException {
        if (o.sslContext != null) return o.sslContext;
        KeyStore ks = load(o.keystore, o.keystorePassword, "keystore");
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, o.keystorePassword == null ? new char[0] : o.keystorePassword);
        TrustManagerFactory tmf = null;
        if (o.truststore != null) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(o.truststore, o.truststorePassword, "truststore"));
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore load(Path p, char[] password, String what) throws IOException, GeneralSecurityException {
        if (!Files.isRegularFile(p)) throw new IllegalArgumentException("the " + what + " " + p + " does not exist or is not a file");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, password);
        } catch (IOException e) {
            // a wrong password surfaces as an IOException; never echo the password
            throw new IllegalArgumentException("cannot open the " + what + " " + p + " (PKCS12): " + e.getMessage(), e);
        }
        return ks;
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ requests

    private void exchange(HttpExchange ex) {
        String path = ex.getRequestURI().getRawPath();
        Reply r;
        try {
            r = dispatch(ex, path);
        } catch (BadRequest b) {
            r = Reply.error(400, b.code, b.field, b.getMessage(), b.hint);
        } catch (TooLarge t) {
            r = Reply.error(413, "PDP_TOO_LARGE", "", "the request body is larger than " + opts.maxRequestBytes + " bytes",
                    "brokers send small requests; raise the PDP's max request bytes only if a contract needs it");
        } catch (IOException e) {
            ex.close();
            return;
        } catch (RuntimeException e) {
            // never log the request: it may hold a password
            LOG.log(System.Logger.Level.ERROR, "warden pdp: internal error on " + Reply.clip(path) + ": " + e);
            r = Reply.error(500, "PDP_INTERNAL", "", "internal error; the request is denied", "see the PDP log");
        }
        String route = routes.containsKey(path) || path.startsWith("/vernemq/") ? path.startsWith("/vernemq/") ? "/vernemq" : path : "other";
        requests.computeIfAbsent(route + " " + r.status(), k -> new LongAdder()).increment();
        try (ex) {
            Headers h = ex.getResponseHeaders();
            h.set("Content-Type", r.contentType());
            h.set("Cache-Control", "no-store");
            if (r.status() == 401) h.set("WWW-Authenticate", "Bearer realm=\"warden-pdp\"");
            // an error may leave part of the request unread: never let the client reuse that connection
            if (r.status() >= 400) h.set("Connection", "close");
            String why = r.header();
            if (why != null) h.set("Warden-Decision", why);
            ex.sendResponseHeaders(r.status(), r.body().length == 0 ? -1 : r.body().length);
            if (r.body().length > 0) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(r.body());
                }
            }
        } catch (IOException e) {
            // the broker went away; nothing to answer
        }
    }

    private static final class TooLarge extends Exception {
        TooLarge() { super(null, null, false, false); }
    }

    private Reply dispatch(HttpExchange ex, String path) throws IOException, TooLarge {
        if (!authorized(ex)) {
            return Reply.error(401, "PDP_UNAUTHORIZED", "", "missing or wrong credentials",
                    "send `Authorization: Bearer <token>` (or Basic with the token as password) or a trusted client certificate");
        }
        String method = ex.getRequestMethod();
        if (path.equals("/metrics") || path.equals("/healthz")) {
            if (!method.equals("GET")) return Reply.error(405, "PDP_METHOD", "", path + " answers GET only", "use GET");
            return path.equals("/metrics") ? Reply.text(200, metrics()) : health();
        }
        Route route = routes.get(path);
        if (route == null && path.startsWith("/vernemq/")) route = routes.get("/vernemq");
        if (route == null) {
            return Reply.error(404, "PDP_NOT_FOUND", "", "no endpoint " + Reply.clip(path),
                    "endpoints: /emqx/authn, /emqx/authz, /go-auth/{user,superuser,acl}, /go-auth/text/{user,superuser,acl}, /vernemq, /metrics, /healthz");
        }
        boolean get = method.equals("GET");
        if (!method.equals("POST") && !method.equals("PUT") && !get) {
            return Reply.error(405, "PDP_METHOD", "", "method " + Reply.clip(method) + " is not accepted", "brokers POST (EMQX may also GET)");
        }
        byte[] body = get ? Reply.NONE : body(ex);
        Params p = Params.of(ex.getRequestHeaders().getFirst("Content-Type"), body, ex.getRequestURI().getRawQuery());
        return route.handle(path, p, ex.getRequestHeaders());
    }

    private byte[] body(HttpExchange ex) throws IOException, TooLarge {
        String len = ex.getRequestHeaders().getFirst("Content-Length");
        if (len != null) {
            try {
                if (Long.parseLong(len.trim()) > opts.maxRequestBytes) throw new TooLarge();
            } catch (NumberFormatException e) {
                throw new BadRequest("PDP_BAD_LENGTH", "", "Content-Length is not a number", "send a valid Content-Length");
            }
        }
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(opts.maxRequestBytes + 1);
            if (b.length > opts.maxRequestBytes) throw new TooLarge();
            return b;
        }
    }

    private boolean authorized(HttpExchange ex) {
        if (ex instanceof HttpsExchange https && opts.requireClientCert) {
            try {
                // the handshake verified the chain against the truststore; a certificate here is a trusted one
                if (https.getSSLSession().getPeerCertificates().length > 0) return true;
            } catch (SSLPeerUnverifiedException e) {
                // no client certificate: fall through to the token
            }
        }
        if (tokenDigest == null) return false;
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null) return false;
        byte[] presented = null;
        if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = h.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        } else if (h.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String up = new String(Base64.getDecoder().decode(h.substring(6).strip()), StandardCharsets.UTF_8);
                int colon = up.indexOf(':');
                presented = (colon < 0 ? up : up.substring(colon + 1)).getBytes(StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        if (presented == null) return false;
        // equal-length digests compared in constant time: neither content nor length of the token leaks
        boolean ok = MessageDigest.isEqual(sha256(presented), tokenDigest);
        Arrays.fill(presented, (byte) 0);
        return ok;
    }

    private Reply health() {
        Enforcer.ReloadResult r = opts.enforcer.lastReload();
        boolean ok = r != null && opts.enforcer.engine().hasPolicy();
        var o = Params.JSON.createObjectNode();
        o.put("status", ok ? "ok" : "no-policy");
        o.put("policy", r == null ? "not loaded" : r.message().lines().findFirst().orElse(""));
        o.put("lastReloadOk", r != null && r.ok());
        o.put("sessions", sessions.size());
        return Reply.json(ok ? 200 : 503, o, null);
    }

    private String metrics() {
        StringBuilder b = new StringBuilder(opts.enforcer.metrics().prometheus());
        if (b.length() > 0 && b.charAt(b.length() - 1) != '\n') b.append('\n');
        b.append("# HELP warden_pdp_requests_total HTTP requests answered by the PDP, by endpoint and status.\n");
        b.append("# TYPE warden_pdp_requests_total counter\n");
        requests.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            String[] k = e.getKey().split(" ");
            b.append("warden_pdp_requests_total{endpoint=\"").append(k[0]).append("\",status=\"").append(k[1]).append("\"} ")
                    .append(e.getValue().sum()).append('\n');
        });
        b.append("# HELP warden_pdp_sessions Client sessions held by the PDP.\n# TYPE warden_pdp_sessions gauge\n");
        b.append("warden_pdp_sessions ").append(sessions.size()).append('\n');
        return b.toString();
    }
}
