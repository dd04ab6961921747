package dev.warden.eval.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.eval.ControlInfo;
import dev.warden.eval.Finding;
import dev.warden.eval.ScanReport;
import dev.warden.eval.Status;
import dev.warden.model.Diagnostic;
import dev.warden.model.Origin;
import dev.warden.model.Severity;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * SARIF 2.1.0 log with one run. One {@code reportingDescriptor} per control (sorted by id); one result per FAIL
 * ({@code kind: fail}, level from severity) and per UNKNOWN finding ({@code kind: review}, {@code level: none}, as
 * SARIF §3.27.10 requires for any kind other than {@code fail}); PASS and NOT_APPLICABLE findings produce no result.
 * File locations are relative to {@code SCANROOT}; cloud resources become logical locations. Collection
 * diagnostics become {@code toolExecutionNotifications}. See {@code docs/reports.md}.
 */
public final class SarifReportWriter implements ReportWriter {

    /** The OASIS schema URI written to {@code $schema}. */
    public static final String SCHEMA_URI =
            "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    /** The uriBaseId that relative artifact locations are resolved against. */
    public static final String SCAN_ROOT = "SCANROOT";
    /** The key of Warden's line-independent fingerprint in {@code partialFingerprints}. */
    public static final String FINGERPRINT_KEY = "wardenFinding/v1";

    @Override
    public void write(ScanReport report, Writer out, boolean color) throws IOException {
        JsonOutput.write(toJson(report), out);
    }

    /** The SARIF log as a JSON tree. */
    public ObjectNode toJson(ScanReport report) {
        ReportView view = new ReportView(report);
        ObjectNode log = JsonOutput.object();
        log.put("$schema", SCHEMA_URI);
        log.put("version", "2.1.0");
        ObjectNode run = log.putArray("runs").addObject();

        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "Warden");
        if (!ReportView.nz(report.toolVersion()).isEmpty()) driver.put("version", report.toolVersion());
        ArrayNode rules = driver.putArray("rules");
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        for (ReportView.ControlGroup g : view.byId) {
            ruleIndex.put(g.control().id(), ruleIndex.size());
            rules.add(rule(g.control()));
        }

        ObjectNode invocation = run.putArray("invocations").addObject();
        invocation.put("executionSuccessful", true);
        invocation.put("startTimeUtc", DateTimeFormatter.ISO_INSTANT.format(report.startedAt()));
        invocation.put("endTimeUtc", DateTimeFormatter.ISO_INSTANT.format(report.startedAt().plus(report.elapsed())));
        ArrayNode notes = invocation.putArray("toolExecutionNotifications");
        for (Diagnostic d : view.diagnostics) notes.add(notification(d));

        if (report.root() != null) {
            ObjectNode base = run.putObject("originalUriBaseIds").putObject(SCAN_ROOT);
            base.put("uri", rootUri(report.root()));
            base.putObject("description").put("text", "The scan root; artifact locations are relative to it.");
        }

        ArrayNode results = run.putArray("results");
        for (Finding f : view.findingsById()) {
            if (f.status() != Status.FAIL && f.status() != Status.UNKNOWN) continue;
            results.add(result(f, view.control(f.controlId()), ruleIndex.get(f.controlId())));
        }
        return log;
    }

    private static ObjectNode rule(ControlInfo c) {
        ObjectNode r = JsonOutput.object();
        r.put("id", c.id());
        r.put("name", pascalCase(c.title(), c.id()));
        r.putObject("shortDescription").put("text", nonEmpty(c.title(), c.id()));
        r.putObject("fullDescription").put("text", nonEmpty(c.description(), nonEmpty(c.title(), c.id())));
        String helpUri = null;
        for (String ref : c.references()) {
            if (isWebUrl(ref)) { helpUri = ref.strip(); break; }
        }
        if (helpUri != null) r.put("helpUri", helpUri);
        if (!c.remediation().isBlank() || !c.references().isEmpty()) {
            ObjectNode help = r.putObject("help");
            help.put("text", helpText(c));
            help.put("markdown", helpMarkdown(c));
        }
        r.putObject("defaultConfiguration").put("level", level(c.severity()));
        ObjectNode props = r.putObject("properties");
        Set<String> tags = new LinkedHashSet<>(c.tags());
        tags.add("security");
        ArrayNode tagArray = props.putArray("tags");
        tags.forEach(tagArray::add);
        props.put("security-severity", c.severity().securityScore());
        props.put("precision", "very-high");
        props.put("warden-severity", c.severity().label());
        if (!c.policyPackage().isEmpty()) props.put("package", c.policyPackage());
        return r;
    }

    private static String helpText(ControlInfo c) {
        StringBuilder b = new StringBuilder();
        if (!c.remediation().isBlank()) b.append(c.remediation().strip());
        if (!c.references().isEmpty()) {
            if (!b.isEmpty()) b.append("\n\n");
            b.append("References:");
            for (String ref : c.references()) b.append("\n- ").append(ref.strip());
        }
        return b.toString();
    }

    private static String helpMarkdown(ControlInfo c) {
        StringBuilder b = new StringBuilder();
        if (!c.remediation().isBlank()) b.append(MarkdownText.text(c.remediation().strip(), false));
        if (!c.references().isEmpty()) {
            if (!b.isEmpty()) b.append("\n\n");
            b.append("**References**\n");
            for (String ref : c.references()) {
                String r = ref.strip();
                b.append("\n- ").append(isWebUrl(r) ? "<" + r + ">" : MarkdownText.text(r, false));
            }
        }
        return b.toString();
    }

    private static ObjectNode result(Finding f, ControlInfo c, int index) {
        ObjectNode r = JsonOutput.object();
        r.put("ruleId", f.controlId());
        r.put("ruleIndex", index);
        if (f.status() == Status.FAIL) {
            r.put("kind", "fail");
            r.put("level", level(f.severity()));
        } else {
            r.put("kind", "review");
            r.put("level", "none");
        }
        r.putObject("message").put("text", messageText(f, c));
        ObjectNode loc = location(f.location(), ReportView.resourceLabel(f));
        if (loc != null) r.putArray("locations").add(loc);
        r.putObject("partialFingerprints").put(FINGERPRINT_KEY, fingerprint(f));
        ObjectNode props = r.putObject("properties");
        props.put("status", f.status().label());
        props.put("severity", f.severity().label());
        props.put("target", f.target());
        props.put("resourceId", f.resourceId());
        ArrayNode details = props.putArray("details");
        f.details().forEach(details::add);
        return r;
    }

    private static String messageText(Finding f, ControlInfo c) {
        String m = f.message().isBlank() ? nonEmpty(c.title(), c.id()) : f.message();
        if (f.status() == Status.UNKNOWN && !f.details().isEmpty()) m = m + " (" + String.join("; ", f.details()) + ")";
        return m;
    }

    /**
     * A SARIF location: a physical location for files (relative to {@code SCANROOT}, with a region only when the
     * line is known), a logical location for anything else; {@code null} when there is nothing to point at.
     */
    private static ObjectNode location(Origin o, String resource) {
        ObjectNode loc = JsonOutput.object();
        if (ReportView.isFileLike(o)) {
            ObjectNode phys = loc.putObject("physicalLocation");
            ObjectNode art = phys.putObject("artifactLocation");
            String abs = absoluteFileUri(o.source());
            if (abs != null) {
                art.put("uri", abs);
            } else {
                art.put("uri", encodePath(o.source(), true));
                art.put("uriBaseId", SCAN_ROOT);
            }
            if (o.line() > 0) {
                ObjectNode region = phys.putObject("region");
                region.put("startLine", o.line());
                if (o.column() > 0) region.put("startColumn", o.column());
            }
        } else {
            String name = !resource.isEmpty() ? resource : o.source();
            if (name.isEmpty()) return null;
            ObjectNode logical = loc.putArray("logicalLocations").addObject();
            logical.put("name", name);
            if (!o.source().isEmpty()) logical.put("fullyQualifiedName", o.source());
            logical.put("kind", "resource");
        }
        if (!o.note().isBlank()) loc.putObject("message").put("text", o.note());
        return loc;
    }

    private static ObjectNode notification(Diagnostic d) {
        ObjectNode n = JsonOutput.object();
        n.put("level", switch (d.level()) { case ERROR -> "error"; case WARNING -> "warning"; case INFO -> "note"; });
        n.putObject("message").put("text", d.help().isBlank() ? d.message() : d.message() + " (help: " + d.help() + ")");
        n.putObject("descriptor").put("id", d.code());
        ObjectNode loc = location(d.at(), "");
        if (loc != null) n.putArray("locations").add(loc);
        return n;
    }

    /** SARIF level for a severity: critical/high → error, medium → warning, low/info → note. */
    public static String level(Severity s) {
        return switch (s) { case CRITICAL, HIGH -> "error"; case MEDIUM -> "warning"; case LOW, INFO -> "note"; };
    }

    /**
     * The line-independent fingerprint of a finding: lowercase hex SHA-256 of
     * {@code controlId|target|resourceId|source}, where source is the location's file (relative path) or resource
     * (ARN) without line or column.
     */
    public static String fingerprint(Finding f) {
        Origin o = f.location() == null ? Origin.NONE : f.location();
        String key = f.controlId() + "|" + ReportView.nz(f.target()) + "|" + ReportView.nz(f.resourceId()) + "|" + o.source();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    /** {@code "Every listener requires TLS"} → {@code "EveryListenerRequiresTLS"}; letters and digits only. */
    static String pascalCase(String title, String fallback) {
        StringBuilder b = new StringBuilder();
        boolean upperNext = true;
        String t = nonEmpty(title, fallback);
        for (int i = 0; i < t.length(); ) {
            int cp = t.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                b.appendCodePoint(upperNext ? Character.toUpperCase(cp) : cp);
                upperNext = false;
            } else {
                upperNext = true;
            }
        }
        return b.isEmpty() ? fallback : b.toString();
    }

    /** {@code file:///abs/root/}: the root as an absolute file URI ending in '/'. */
    static String rootUri(Path root) {
        String p = root.toAbsolutePath().normalize().toString().replace('\\', '/');
        String uri = absoluteFileUri(p);
        if (uri == null) uri = "file:///" + encodePath(p, false);
        return uri.endsWith("/") ? uri : uri + "/";
    }

    /** A file URI for an absolute POSIX, Windows drive or UNC path; {@code null} for a relative path. */
    static String absoluteFileUri(String path) {
        if (path.startsWith("\\\\") || path.startsWith("//")) {
            return "file:" + encodePath(path.replace('\\', '/'), false);
        }
        if (path.startsWith("/")) return "file://" + encodePath(path, false);
        if (path.length() >= 3 && Character.isLetter(path.charAt(0)) && path.charAt(1) == ':'
                && (path.charAt(2) == '/' || path.charAt(2) == '\\')) {
            return "file:///" + path.substring(0, 2) + encodePath(path.substring(2).replace('\\', '/'), false);
        }
        return null;
    }

    /**
     * Percent-encodes a path for a URI: keeps unreserved characters, '/' and the sub-delimiters; encodes everything
     * else as UTF-8 octets. In a relative reference ':' is encoded too, so a first segment cannot read as a scheme.
     */
    static String encodePath(String path, boolean relative) {
        StringBuilder b = new StringBuilder(path.length() + 8);
        for (byte x : path.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            boolean keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~/!$&'()*+,;=@".indexOf(c) >= 0 || (c == ':' && !relative);
            if (keep) b.append((char) c);
            else b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                    .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
        }
        return b.toString();
    }

    private static boolean isWebUrl(String s) {
        String t = s.strip();
        String lower = t.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) return false;
        try {
            URI u = new URI(t);
            return u.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    private static String nonEmpty(String s, String fallback) { return s == null || s.isBlank() ? fallback : s; }
}
