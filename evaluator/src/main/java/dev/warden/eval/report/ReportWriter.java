package dev.warden.eval.report;

import dev.warden.eval.ScanReport;

import java.io.IOException;
import java.io.Writer;

/** Renders a {@link ScanReport} in one output format. */
public interface ReportWriter {
    /** Writes the report; {@code color} asks for ANSI colors (only honoured by the text format). */
    void write(ScanReport report, Writer out, boolean color) throws IOException;
}
