package dev.warden.eval.report;

import dev.warden.eval.ScanReport;
import org.junit.jupiter.api.Test;

import static dev.warden.eval.report.ReportFixtures.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarkdownReportWriterTest {

    private static String md(ScanReport r) {
        return Reports.render(r, Reports.Format.MARKDOWN, false);
    }

    @Test
    void matchesGolden() throws Exception {
        Golden.assertMatches("report.md", md(report()));
    }

    @Test
    void emptyReportMatchesGolden() throws Exception {
        Golden.assertMatches("empty.md", md(empty()));
    }

    @Test
    void summaryTableThenFailuresMostSevereFirst() {
        String out = md(report());
        assertTrue(out.contains("| Status | Controls | Findings |\n| --- | ---: | ---: |\n| ✗ Failed | 3 | 3 |\n"
                + "| ? Unknown | 1 | 1 |\n| ✓ Passed | 1 | 5 |\n| - Not applicable | 2 | 1 |\n"), out);
        int crit = out.indexOf("| critical | `BRK-AUTH-001`");
        int high = out.indexOf("| high | `BRK-TLS-001`");
        int med = out.indexOf("| medium | `BRK-DOS-001`");
        assertTrue(crit > 0 && crit < high && high < med, out);
        assertTrue(out.indexOf("### Failures (3)") < out.indexOf("### Unknown (1)"));
        assertTrue(out.indexOf("### Unknown (1)") < out.indexOf("<summary>Passed (5)</summary>"));
    }

    @Test
    void everyTableRowHasTheRightNumberOfCells() {
        for (String line : md(report()).lines().toList()) {
            if (!line.startsWith("|")) continue;
            String unescaped = line.replace("\\|", "");
            long pipes = unescaped.chars().filter(ch -> ch == '|').count();
            assertTrue(pipes == 4 || pipes == 5 || pipes == 6, line);
        }
    }

    @Test
    void pipesBackticksAndHtmlAreEscaped() {
        String out = md(report());
        assertTrue(out.contains("| allow\\_anonymous \\`true\\` lets \\<anyone\\> \\& \"everyone\" \\| in 'now' |"), out);
        assertTrue(out.contains("- `BRK-AUTH-001` Anonymous clients are refused: Set \\`allow\\_anonymous false\\` and "
                + "configure a password file \\| plugin.\n"), out);
        assertFalse(out.contains("<anyone>"));
    }

    @Test
    void codeSpansSurviveBackticksAndPipes() {
        assertEquals("`a.conf:3`", MarkdownText.code("a.conf:3", true));
        assertEquals("``a`b``", MarkdownText.code("a`b", false));
        assertEquals("``` ``x`` ```", MarkdownText.code("``x``", false));
        assertEquals("`a\\|b`", MarkdownText.code("a|b", true));
        assertEquals("`a|b`", MarkdownText.code("a|b", false));
        assertEquals("`a b`", MarkdownText.code("a\nb", true));
        assertEquals("a<br>b \\*c\\* \\[l\\](x)", MarkdownText.text("a\nb *c* [l](x)", true));
        assertEquals("esc\\\\u001b", MarkdownText.text("esc\u001b", true));
    }

    @Test
    void deterministicWhateverTheInputOrder() {
        String a = md(report());
        for (long seed = 1; seed <= 5; seed++) assertEquals(a, md(shuffled(report(), seed)));
    }
}
