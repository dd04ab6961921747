package dev.warden.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A loopback AWS that speaks the real wire protocols: IoT REST-JSON, EC2 Query with XML answers, WAFv2 AWS JSON 1.1.
 * Data comes from {@code fake-aws/world.json} (API member names, per region); the region of a call is read from
 * its SigV4 credential scope. Faults can be injected per call; every request is recorded.
 * <p>Public (and published in the aws-collector test-jar) so that {@code bench} can drive live collection at scale
 * against a generated world ({@link #FakeAws(JsonNode)}); the world must not be changed once the server runs.
 */
public final class FakeAws implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK server writes headers and body in separate segments; with Nagle on, each small answer then waits for
        // the client's delayed ACK (~40 ms on Linux loopback), which made a 1,000-policy collection 5x slower than
        // the collector really is. Real AWS endpoints show no such stall. Read once, when the JDK server first loads.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** One recorded request. */
    public record Req(String region, String service, String op, String method, String path, Map<String, String> params) {}

    /** What an injected fault does. */
    enum Kind { THROTTLE, SERVER_ERROR, ACCESS_DENIED, REGION_DISABLED, SLOW }

    /** Applies {@code kind} to matching requests, {@code times} times (negative: always). */
    static final class Rule {
        final Predicate<Req> when;
        final Kind kind;
        final AtomicInteger left;
        final long delayMs;
        Rule(Predicate<Req> when, Kind kind, int times, long delayMs) { this.when = when; this.kind = kind; this.left = new AtomicInteger(times); this.delayMs = delayMs; }
    }

    public final JsonNode world;
    final List<Rule> rules = new CopyOnWriteArrayList<>();
    public final ConcurrentLinkedQueue<Req> requests = new ConcurrentLinkedQueue<>();
    public final ConcurrentLinkedQueue<String> unmatched = new ConcurrentLinkedQueue<>();
    /** Client addresses (ip:port) seen, i.e. the TCP connections the client opened. */
    public final Set<String> connections = ConcurrentHashMap.newKeySet();
    /** Response body bytes written. */
    public final AtomicLong bytesServed = new AtomicLong();
    /** Wall time spent inside the handler, summed over requests (the fake's own cost). */
    public final AtomicLong handlerNanos = new AtomicLong();
    /**
     * When set, every answer body is added here as JSON: JSON answers verbatim, EC2's XML answers as the JSON of the
     * same page ({@code {"SecurityGroups": [...], "NextToken": ...}}). For a peer that parses what was served.
     */
    public volatile Queue<String> jsonBodies;
    /** Policy name to policy, per region (built on first GetPolicy; a miss falls back to a scan). */
    private final Map<String, Map<String, JsonNode>> policyIndex = new ConcurrentHashMap<>();
    /** Page size forced on every list call (0: the client's). */
    volatile int pageSize;
    /** ListWebACLs always answers the same non-empty page and the same marker. */
    volatile boolean repeatWafMarker;
    private final HttpServer server;

    FakeAws() throws IOException { this(defaultWorld()); }

    /** Serves {@code world} (same layout as {@code fake-aws/world.json}) on a loopback port. */
    public FakeAws(JsonNode world) throws IOException {
        this.world = world;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool(r -> { Thread t = new Thread(r, "fake-aws"); t.setDaemon(true); return t; }));
        server.start();
    }

    private static JsonNode defaultWorld() throws IOException {
        try (InputStream in = FakeAws.class.getResourceAsStream("/fake-aws/world.json")) {
            return JSON.readTree(in);
        }
    }

    public URI uri() { return URI.create("http://127.0.0.1:" + server.getAddress().getPort()); }

    FakeAws fail(Predicate<Req> when, Kind kind, int times) { rules.add(new Rule(when, kind, times, 0)); return this; }

    FakeAws slow(Predicate<Req> when, long ms) { rules.add(new Rule(when, Kind.SLOW, -1, ms)); return this; }

    public long count(String op) { return requests.stream().filter(r -> r.op().equals(op)).count(); }

    long count(String op, String region) { return requests.stream().filter(r -> r.op().equals(op) && r.region().equals(region)).count(); }

    /** Forgets recorded requests, connections and counters (not rules). */
    public void reset() {
        requests.clear();
        connections.clear();
        bytesServed.set(0);
        handlerNanos.set(0);
        Queue<String> b = jsonBodies;
        if (b != null) b.clear();
    }

    @Override public void close() { server.stop(0); }

    static String pem(String name) {
        try (InputStream in = FakeAws.class.getResourceAsStream("/fake-aws/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ dispatch

    /** {@code json}: the JSON equivalent of a non-JSON body, for {@link #jsonBodies} (null: the body is JSON). */
    private record Answer(int status, String contentType, String body, Map<String, String> headers, String json) {
        Answer(int status, String contentType, String body, Map<String, String> headers) { this(status, contentType, body, headers, null); }
    }

    private static final Pattern REGION = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/([^/]+)/aws4_request");

    private void handle(HttpExchange ex) throws IOException {
        long t0 = System.nanoTime();
        try (ex) {
            connections.add(String.valueOf(ex.getRemoteAddress()));
            byte[] raw = ex.getRequestBody().readAllBytes();
            String body = new String(raw, StandardCharsets.UTF_8);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            Matcher m = REGION.matcher(auth == null ? "" : auth);
            String region = m.find() ? m.group(1) : "?";
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String ctype = ex.getRequestHeaders().getFirst("Content-Type");
            URI u = ex.getRequestURI();
            String rawPath = u.getRawPath();
            Map<String, String> params = new LinkedHashMap<>(query(u.getRawQuery()));
            Req req;
            if (target != null && target.startsWith("AWSWAF_20190729.")) {
                JsonNode b = body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
                b.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
                req = new Req(region, "wafv2", target.substring(target.indexOf('.') + 1), ex.getRequestMethod(), rawPath, params);
            } else if (ctype != null && ctype.startsWith("application/x-www-form-urlencoded")) {
                params.putAll(query(body));
                req = new Req(region, "ec2", params.getOrDefault("Action", "?"), ex.getRequestMethod(), rawPath, params);
            } else {
                req = new Req(region, "iot", iotOp(ex.getRequestMethod(), rawPath), ex.getRequestMethod(), rawPath, params);
            }
            requests.add(req);
            Answer a = null;
            for (Rule r : rules) {
                if (!r.when.test(req)) continue;
                if (r.left.get() == 0) continue;
                r.left.decrementAndGet();
                if (r.kind == Kind.SLOW) { sleep(r.delayMs); break; }
                a = fault(req, r.kind);
                break;
            }
            if (a == null) {
                a = switch (req.service()) {
                    case "wafv2" -> waf(req);
                    case "ec2" -> ec2(req);
                    default -> iot(req);
                };
            }
            byte[] out = a.body().getBytes(StandardCharsets.UTF_8);
            bytesServed.addAndGet(out.length);
            Queue<String> bodies = jsonBodies;
            if (bodies != null && out.length > 0 && (a.json() != null || !a.contentType().contains("xml"))) bodies.add(a.json() != null ? a.json() : a.body());
            ex.getResponseHeaders().add("Content-Type", a.contentType());
            ex.getResponseHeaders().add("x-amzn-RequestId", "req-1");
            a.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(a.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) try (OutputStream os = ex.getResponseBody()) { os.write(out); }
        } catch (IOException | RuntimeException e) {
            unmatched.add("fake failed: " + e);
            throw e;
        } finally {
            handlerNanos.addAndGet(System.nanoTime() - t0);
        }
    }

    private static void sleep(long ms) {
        try { Thread.sleep(ms); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
    }

    private static Map<String, String> query(String q) {
        Map<String, String> m = new LinkedHashMap<>();
        if (q == null || q.isEmpty()) return m;
        for (String kv : q.split("&")) {
            int i = kv.indexOf('=');
            String k = URLDecoder.decode(i < 0 ? kv : kv.substring(0, i), StandardCharsets.UTF_8);
            String v = i < 0 ? "" : URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8);
            m.put(k, v);
        }
        return m;
    }

    /** Path segments are percent-decoded exactly (a {@code +} stays a plus in a path). */
    private static String seg(String rawPath, int index) {
        String s = rawPath.split("/")[index];
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String iotOp(String method, String path) {
        if (method.equals("GET") && path.equals("/policies")) return "ListPolicies";
        if (method.equals("GET") && path.startsWith("/policies/")) return "GetPolicy";
        if (method.equals("POST") && path.startsWith("/policy-targets/")) return "ListTargetsForPolicy";
        if (method.equals("GET") && path.equals("/certificates")) return "ListCertificates";
        if (method.equals("GET") && path.startsWith("/certificates/")) return "DescribeCertificate";
        if (method.equals("GET") && path.equals("/cacertificates")) return "ListCACertificates";
        if (method.equals("GET") && path.startsWith("/cacertificate/")) return "DescribeCACertificate";
        if (method.equals("GET") && path.equals("/domainConfigurations")) return "ListDomainConfigurations";
        if (method.equals("GET") && path.startsWith("/domainConfigurations/")) return "DescribeDomainConfiguration";
        if (method.equals("GET") && (path.equals("/authorizers/") || path.equals("/authorizers"))) return "ListAuthorizers";
        if (method.equals("GET") && path.startsWith("/authorizer/")) return "DescribeAuthorizer";
        if (method.equals("GET") && path.equals("/v2LoggingOptions")) return "GetV2LoggingOptions";
        if (method.equals("GET") && path.equals("/audit/configuration")) return "DescribeAccountAuditConfiguration";
        return "?" + method + " " + path;
    }

    private Answer fault(Req r, Kind k) {
        return switch (r.service()) {
            case "ec2" -> switch (k) {
                case THROTTLE -> ec2Error(503, "RequestLimitExceeded", "Request limit exceeded.");
                case SERVER_ERROR -> ec2Error(500, "InternalError", "An internal error has occurred");
                case REGION_DISABLED -> ec2Error(401, "AuthFailure", "AWS was not able to validate the provided access credentials");
                default -> ec2Error(403, "UnauthorizedOperation", "You are not authorized to perform this operation.");
            };
            case "wafv2" -> switch (k) {
                case THROTTLE -> jsonError(429, "ThrottlingException", "Rate exceeded", true);
                case SERVER_ERROR -> jsonError(500, "WAFInternalErrorException", "internal error", true);
                case REGION_DISABLED -> jsonError(403, "UnrecognizedClientException", "The security token included in the request is invalid.", true);
                default -> jsonError(400, "AccessDeniedException", "User is not authorized to perform: wafv2:" + r.op(), true);
            };
            default -> switch (k) {
                case THROTTLE -> jsonError(429, "ThrottlingException", "Rate exceeded", false);
                case SERVER_ERROR -> jsonError(503, "ServiceUnavailableException", "Service unavailable", false);
                case REGION_DISABLED -> jsonError(403, "UnrecognizedClientException", "The security token included in the request is invalid.", false);
                default -> jsonError(403, "AccessDeniedException", "User is not authorized to perform: iot:" + r.op(), false);
            };
        };
    }

    private static Answer jsonError(int status, String type, String msg, boolean json11) {
        ObjectNode b = JSON.createObjectNode();
        if (json11) b.put("__type", type);
        b.put("message", msg);
        return new Answer(status, json11 ? "application/x-amz-json-1.1" : "application/json", b.toString(),
                json11 ? Map.of() : Map.of("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazonaws.iot/"));
    }

    private static Answer ok(JsonNode n) { return new Answer(200, "application/json", n.toString(), Map.of()); }

    // ------------------------------------------------------------------ paging

    private int size(Map<String, String> p, String key, int dflt) {
        if (pageSize > 0) return pageSize;
        String v = p.get(key);
        return v == null ? dflt : Integer.parseInt(v);
    }

    /** One page of {@code all}, the marker being the index of the first element. */
    private static List<JsonNode> page(List<JsonNode> all, String marker, int size, String[] next) {
        int from = marker == null || marker.isEmpty() ? 0 : Integer.parseInt(marker.replace("m", ""));
        int to = Math.min(all.size(), from + size);
        next[0] = to < all.size() ? "m" + to : null;
        return all.subList(from, to);
    }

    private static List<JsonNode> list(JsonNode a) {
        List<JsonNode> l = new ArrayList<>();
        a.forEach(l::add);
        return l;
    }

    private JsonNode reg(Req r) { return world.path(r.region()); }

    // ------------------------------------------------------------------ IoT (REST-JSON)

    private Answer iot(Req r) {
        JsonNode iot = reg(r).path("iot");
        String[] next = new String[1];
        ObjectNode out = JSON.createObjectNode();
        switch (r.op()) {
            case "ListPolicies" -> {
                ArrayNode a = out.putArray("policies");
                for (JsonNode p : page(list(iot.path("policies")), r.params().get("marker"), size(r.params(), "pageSize", 50), next)) {
                    a.addObject().put("policyName", p.path("policyName").asText()).put("policyArn", p.path("policyArn").asText());
                }
                if (next[0] != null) out.put("nextMarker", next[0]);
                return ok(out);
            }
            case "GetPolicy" -> {
                String name = seg(r.path(), 2);
                JsonNode all = iot.path("policies");
                if (all.isArray()) {
                    JsonNode hit = policyIndex.computeIfAbsent(r.region(), k -> {
                        Map<String, JsonNode> m = new HashMap<>();
                        all.forEach(p -> m.putIfAbsent(p.path("policyName").asText(), p));
                        return m;
                    }).get(name);
                    if (hit != null && hit.path("policyName").asText().equals(name)) return ok(hit);
                }
                for (JsonNode p : all) if (p.path("policyName").asText().equals(name)) return ok(p);
                return jsonError(404, "ResourceNotFoundException", "no policy " + name, false);
            }
            case "ListTargetsForPolicy" -> {
                String name = seg(r.path(), 2);
                ArrayNode a = out.putArray("targets");
                for (JsonNode t : page(list(iot.path("targets").path(name)), r.params().get("marker"), size(r.params(), "pageSize", 50), next)) a.add(t);
                if (next[0] != null) out.put("nextMarker", next[0]);
                return ok(out);
            }
            case "ListCertificates", "ListCACertificates" -> {
                String key = r.op().equals("ListCertificates") ? "certificates" : "caCertificates";
                ArrayNode a = out.putArray("certificates");
                for (JsonNode c : page(list(iot.path(key)), r.params().get("marker"), size(r.params(), "pageSize", 50), next)) {
                    a.addObject().put("certificateArn", c.path("certificateArn").asText()).put("certificateId", c.path("certificateId").asText())
                            .put("status", c.path("status").asText()).put("creationDate", 1.7E9);
                }
                if (next[0] != null) out.put("nextMarker", next[0]);
                return ok(out);
            }
            case "DescribeCertificate", "DescribeCACertificate" -> {
                String key = r.op().equals("DescribeCertificate") ? "certificates" : "caCertificates";
                String id = seg(r.path(), 2);
                for (JsonNode c : iot.path(key)) {
                    if (!c.path("certificateId").asText().equals(id)) continue;
                    ObjectNode d = c.deepCopy();
                    d.remove("pem");
                    d.put("certificatePem", pem(c.path("pem").asText()));
                    out.set("certificateDescription", d);
                    return ok(out);
                }
                return jsonError(404, "ResourceNotFoundException", "no certificate " + id, false);
            }
            case "ListDomainConfigurations" -> {
                ArrayNode a = out.putArray("domainConfigurations");
                for (JsonNode d : page(list(iot.path("domainConfigurations")), r.params().get("marker"), size(r.params(), "pageSize", 50), next)) {
                    a.addObject().put("domainConfigurationName", d.path("domainConfigurationName").asText())
                            .put("domainConfigurationArn", d.path("domainConfigurationArn").asText()).put("serviceType", d.path("serviceType").asText());
                }
                if (next[0] != null) out.put("nextMarker", next[0]);
                return ok(out);
            }
            case "DescribeDomainConfiguration" -> {
                String name = seg(r.path(), 2);
                for (JsonNode d : iot.path("domainConfigurations")) if (d.path("domainConfigurationName").asText().equals(name)) return ok(d);
                return jsonError(404, "ResourceNotFoundException", "no domain configuration " + name, false);
            }
            case "ListAuthorizers" -> {
                ArrayNode a = out.putArray("authorizers");
                for (JsonNode d : page(list(iot.path("authorizers")), r.params().get("marker"), size(r.params(), "pageSize", 50), next)) {
                    a.addObject().put("authorizerName", d.path("authorizerName").asText()).put("authorizerArn", d.path("authorizerArn").asText());
                }
                if (next[0] != null) out.put("nextMarker", next[0]);
                return ok(out);
            }
            case "DescribeAuthorizer" -> {
                String name = seg(r.path(), 2);
                for (JsonNode d : iot.path("authorizers")) {
                    if (d.path("authorizerName").asText().equals(name)) { out.set("authorizerDescription", d); return ok(out); }
                }
                return jsonError(404, "ResourceNotFoundException", "no authorizer " + name, false);
            }
            case "GetV2LoggingOptions" -> {
                JsonNode l = iot.path("v2LoggingOptions");
                if (!l.isObject()) return jsonError(404, "NotConfiguredException", "logging is not configured", false);
                return ok(l);
            }
            case "DescribeAccountAuditConfiguration" -> { return ok(iot.path("auditConfiguration")); }
            default -> {
                unmatched.add(r.op());
                return jsonError(404, "UnknownOperationException", r.op(), false);
            }
        }
    }

    // ------------------------------------------------------------------ EC2 (Query, XML)

    private static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

    private static Answer ec2Error(int status, String code, String msg) {
        return new Answer(status, "text/xml;charset=UTF-8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + code
                + "</Code><Message>" + msg + "</Message></Error></Errors><RequestID>req-1</RequestID></Response>", Map.of());
    }

    private Answer ec2(Req r) {
        String[] next = new String[1];
        ObjectNode json = jsonBodies != null ? JSON.createObjectNode() : null;
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        b.append('<').append(r.op()).append("Response xmlns=\"").append(EC2_NS).append("\"><requestId>req-1</requestId>");
        switch (r.op()) {
            case "DescribeSecurityGroups" -> {
                b.append("<securityGroupInfo>");
                for (JsonNode g : page(list(reg(r).path("ec2").path("SecurityGroups")), r.params().get("NextToken"), size(r.params(), "MaxResults", 1000), next)) {
                    if (json != null) json.withArray("SecurityGroups").add(g);
                    b.append("<item>");
                    xml(g, b, true);
                    b.append("</item>");
                }
                b.append("</securityGroupInfo>");
            }
            case "DescribeNetworkInterfaces" -> {
                b.append("<networkInterfaceSet>");
                for (JsonNode g : page(list(reg(r).path("ec2").path("NetworkInterfaces")), r.params().get("NextToken"), size(r.params(), "MaxResults", 1000), next)) {
                    if (json != null) json.withArray("NetworkInterfaces").add(g);
                    b.append("<item>");
                    xml(g, b, false);
                    b.append("</item>");
                }
                b.append("</networkInterfaceSet>");
            }
            case "DescribeRegions" -> {
                b.append("<regionInfo>");
                for (Iterator<String> it = world.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    if (json != null) json.withArray("Regions").addObject().put("RegionName", name);
                    b.append("<item><regionName>").append(name).append("</regionName><regionEndpoint>ec2.").append(name)
                            .append(".amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>");
                }
                b.append("<item><regionName>ap-east-1</regionName><regionEndpoint>ec2.ap-east-1.amazonaws.com</regionEndpoint><optInStatus>not-opted-in</optInStatus></item>");
                b.append("</regionInfo>");
            }
            default -> {
                unmatched.add(r.op());
                return ec2Error(400, "InvalidAction", "The action " + r.op() + " is not valid for this web service.");
            }
        }
        if (next[0] != null) b.append("<nextToken>").append(next[0]).append("</nextToken>");
        if (json != null && next[0] != null) json.put("NextToken", next[0]);
        b.append("</").append(r.op()).append("Response>");
        return new Answer(200, "text/xml;charset=UTF-8", b.toString(), Map.of(), json == null ? null : json.toString());
    }

    /** EC2 wire names: lower camel case, lists wrapped in {@code <item>}, a few names of their own. */
    private static void xml(JsonNode o, StringBuilder b, boolean securityGroup) {
        o.fields().forEachRemaining(e -> {
            String k = e.getKey();
            String name = switch (k) {
                case "UserIdGroupPairs" -> "groups";
                case "Groups" -> "groupSet";
                case "Description" -> securityGroup ? "groupDescription" : "description";
                default -> Character.toLowerCase(k.charAt(0)) + k.substring(1);
            };
            b.append('<').append(name).append('>');
            JsonNode v = e.getValue();
            if (v.isArray()) {
                for (JsonNode x : v) {
                    b.append("<item>");
                    if (x.isObject()) xml(x, b, false); else b.append(esc(x.asText()));
                    b.append("</item>");
                }
            } else if (v.isObject()) {
                xml(v, b, false);
            } else {
                b.append(esc(v.asText()));
            }
            b.append("</").append(name).append('>');
        });
    }

    private static String esc(String s) { return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"); }

    // ------------------------------------------------------------------ WAFv2 (JSON 1.1)

    private static Answer ok11(JsonNode n) { return new Answer(200, "application/x-amz-json-1.1", n.toString(), Map.of()); }

    private Answer waf(Req r) {
        ObjectNode out = JSON.createObjectNode();
        String[] next = new String[1];
        switch (r.op()) {
            case "ListWebACLs" -> {
                List<JsonNode> all = list(reg(r).path("wafv2").path(r.params().getOrDefault("Scope", "REGIONAL")));
                ArrayNode a = out.putArray("WebACLs");
                List<JsonNode> pg = repeatWafMarker ? all.subList(0, Math.min(1, all.size()))
                        : page(all, r.params().get("NextMarker"), size(r.params(), "Limit", 100), next);
                for (JsonNode w : pg) {
                    JsonNode acl = w.path("WebACL");
                    a.addObject().put("Name", acl.path("Name").asText()).put("Id", acl.path("Id").asText()).put("ARN", acl.path("ARN").asText())
                            .put("Description", "").put("LockToken", "lock-1");
                }
                if (repeatWafMarker) out.put("NextMarker", "same-marker");
                else if (next[0] != null) out.put("NextMarker", next[0]);
                return ok11(out);
            }
            case "GetWebACL" -> {
                JsonNode w = acl(r, r.params().get("Name"));
                if (w == null) return jsonError(400, "WAFNonexistentItemException", "no such web ACL", true);
                out.set("WebACL", w.path("WebACL"));
                out.put("LockToken", "lock-1");
                return ok11(out);
            }
            case "ListResourcesForWebACL" -> {
                ArrayNode a = out.putArray("ResourceArns");
                for (JsonNode w : reg(r).path("wafv2").path("REGIONAL")) {
                    if (w.path("WebACL").path("ARN").asText().equals(r.params().get("WebACLArn"))) {
                        w.path("ResourceArns").path(r.params().getOrDefault("ResourceType", "APPLICATION_LOAD_BALANCER")).forEach(a::add);
                    }
                }
                return ok11(out);
            }
            case "GetLoggingConfiguration" -> {
                for (String scope : List.of("REGIONAL", "CLOUDFRONT")) {
                    for (JsonNode w : reg(r).path("wafv2").path(scope)) {
                        if (w.path("WebACL").path("ARN").asText().equals(r.params().get("ResourceArn"))) {
                            if (!w.path("LoggingConfiguration").isObject()) return jsonError(400, "WAFNonexistentItemException", "no logging configuration", true);
                            out.set("LoggingConfiguration", w.path("LoggingConfiguration"));
                            return ok11(out);
                        }
                    }
                }
                return jsonError(400, "WAFNonexistentItemException", "no such resource", true);
            }
            default -> {
                unmatched.add(r.op());
                return jsonError(400, "UnknownOperationException", r.op(), true);
            }
        }
    }

    private JsonNode acl(Req r, String name) {
        for (JsonNode w : reg(r).path("wafv2").path(r.params().getOrDefault("Scope", "REGIONAL"))) {
            if (w.path("WebACL").path("Name").asText().equals(name)) return w;
        }
        return null;
    }
}
