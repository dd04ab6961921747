package dev.warden.eval.report;

import dev.warden.eval.ScanReport;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** The report formats and their writers. */
public final class Reports {

    private Reports() {}

    /** An output format. */
    public enum Format {
        TEXT("text", "txt"),
        JSON("json", "json"),
        SARIF("sarif", "sarif"),
        JUNIT("junit", "xml"),
        MARKDOWN("markdown", "md");

        private final String id;
        private final String extension;

        Format(String id, String extension) {
            this.id = id;
            this.extension = extension;
        }

        /** The name used on the command line: {@code text}, {@code json}, {@code sarif}, {@code junit}, {@code markdown}. */
        public String id() { return id; }

        /** The usual file extension, without the dot. */
        public String fileExtension() { return extension; }
    }

    /** A new writer for the format. Writers are stateless and thread-safe. */
    public static ReportWriter writer(Format format) {
        Objects.requireNonNull(format, "format");
        return switch (format) {
            case TEXT -> new TextReportWriter();
            case JSON -> new JsonReportWriter();
            case SARIF -> new SarifReportWriter();
            case JUNIT -> new JunitReportWriter();
            case MARKDOWN -> new MarkdownReportWriter();
        };
    }

    /**
     * The format named {@code name}, case-insensitively, ignoring surrounding blanks; accepts the ids and the
     * aliases {@code txt}, {@code md}, {@code junit-xml} and {@code sarif-json}.
     */
    public static Optional<Format> parse(String name) {
        if (name == null) return Optional.empty();
        String n = name.strip().toLowerCase(Locale.ROOT);
        return switch (n) {
            case "text", "txt" -> Optional.of(Format.TEXT);
            case "json" -> Optional.of(Format.JSON);
            case "sarif", "sarif-json" -> Optional.of(Format.SARIF);
            case "junit", "junit-xml" -> Optional.of(Format.JUNIT);
            case "markdown", "md" -> Optional.of(Format.MARKDOWN);
            default -> Optional.empty();
        };
    }

    /** The report rendered in memory. */
    public static String render(ScanReport report, Format format, boolean color) {
        StringWriter out = new StringWriter();
        try {
            writer(format).write(report, out, color);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
