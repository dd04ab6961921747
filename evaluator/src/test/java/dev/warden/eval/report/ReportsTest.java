package dev.warden.eval.report;

import dev.warden.eval.ScanReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Optional;

import static dev.warden.eval.report.ReportFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportsTest {

    @Test
    void parseAcceptsIdsAndAliasesCaseInsensitively() {
        for (Reports.Format f : Reports.Format.values()) {
            assertEquals(Optional.of(f), Reports.parse(f.id()));
            assertEquals(Optional.of(f), Reports.parse(" " + f.id().toUpperCase() + " "));
            assertEquals(Optional.of(f), Reports.parse(f.name()));
        }
        assertEquals(Optional.of(Reports.Format.MARKDOWN), Reports.parse("md"));
        assertEquals(Optional.of(Reports.Format.TEXT), Reports.parse("txt"));
        assertEquals(Optional.of(Reports.Format.JUNIT), Reports.parse("junit-xml"));
        assertEquals(Optional.empty(), Reports.parse("html"));
        assertEquals(Optional.empty(), Reports.parse(""));
        assertEquals(Optional.empty(), Reports.parse(null));
    }

    @Test
    void writerPerFormat() {
        assertInstanceOf(TextReportWriter.class, Reports.writer(Reports.Format.TEXT));
        assertInstanceOf(JsonReportWriter.class, Reports.writer(Reports.Format.JSON));
        assertInstanceOf(SarifReportWriter.class, Reports.writer(Reports.Format.SARIF));
        assertInstanceOf(JunitReportWriter.class, Reports.writer(Reports.Format.JUNIT));
        assertInstanceOf(MarkdownReportWriter.class, Reports.writer(Reports.Format.MARKDOWN));
        assertEquals("md", Reports.Format.MARKDOWN.fileExtension());
        assertEquals("sarif", Reports.Format.SARIF.fileExtension());
    }

    @ParameterizedTest
    @EnumSource(Reports.Format.class)
    void everyFormatIsDeterministicAndUsesOnlyLf(Reports.Format format) {
        ScanReport r = report();
        String a = Reports.render(r, format, false);
        assertFalse(a.isEmpty());
        assertFalse(a.contains("\r"));
        assertTrue(a.endsWith("\n"));
        assertEquals(a, Reports.render(shuffled(r, 42), format, false));
        assertFalse(Reports.render(empty(), format, false).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = Reports.Format.class, names = {"JSON", "SARIF", "JUNIT", "MARKDOWN"})
    void onlyTextHonoursColor(Reports.Format format) {
        assertEquals(Reports.render(report(), format, false), Reports.render(report(), format, true));
    }
}
