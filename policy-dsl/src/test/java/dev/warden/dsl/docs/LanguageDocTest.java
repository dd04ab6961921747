package dev.warden.dsl.docs;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.model.Diagnostic;
import dev.warden.model.types.TopicFilter;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compiles every example of {@code docs/language.md}, so the language reference cannot drift from the compiler.
 *
 * <p>Fenced blocks whose info string starts with {@code warden} are examples:
 * <ul>
 *   <li>{@code ```warden} — a whole policy file; it must compile without any error;</li>
 *   <li>{@code ```warden fragment} — control clauses, compiled inside {@link #FRAGMENT_HEAD} ... {@code }};</li>
 *   <li>{@code ```warden-error} and {@code ```warden-error fragment} — the first line is {@code // error: <code>};
 *       compiling must fail, and every error must have that code.</li>
 * </ul>
 * Any other {@code warden...} info string fails the test, so a typo cannot silently skip an example.
 *
 * <p>The table after the {@code <!-- topic-table ... -->} comment is checked row by row against
 * {@link TopicFilter#within} and {@link TopicFilter#overlaps}, and the {@code ```antlr} block after the
 * {@code <!-- grammar ... -->} comment must be a copy of {@code Warden.g4}; run with
 * {@code -Dwarden.golden.update=true} to refresh that copy after a grammar change.
 */
class LanguageDocTest {

    static final String FRAGMENT_HEAD = "control DOC-1 \"documentation example\" {\n  severity low\n";
    static final String FRAGMENT_TAIL = "\n}\n";
    private static final Pattern FENCE = Pattern.compile("^(`{3,})\\s*(.*)$");
    private static final Pattern ERROR_LINE = Pattern.compile("^\\s*//\\s*error:\\s*(\\S+)\\s*$");

    /** One fenced example: its kind, the 1-based line of its opening fence, and its text. */
    record Block(String info, int line, String text) {
        boolean fragment() { return info.endsWith(" fragment"); }

        boolean error() { return info.startsWith("warden-error"); }

        String name() { return "language.md:" + line + " (" + info + ")"; }
    }

    static Path doc() {
        Path fromModule = Path.of("..", "docs", "language.md");
        if (Files.isRegularFile(fromModule)) return fromModule;
        return Path.of("docs", "language.md"); // run from the repository root
    }

    static List<String> lines() {
        try {
            return Files.readAllLines(doc(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + doc().toAbsolutePath() + ": " + e, e);
        }
    }

    /** Every fenced block whose info string starts with {@code warden}. */
    static List<Block> blocks(List<String> lines) {
        List<Block> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = FENCE.matcher(lines.get(i));
            if (!m.matches()) continue;
            String fence = m.group(1), info = m.group(2).strip();
            int start = i;
            StringBuilder body = new StringBuilder();
            for (i = i + 1; i < lines.size() && !lines.get(i).strip().equals(fence); i++) body.append(lines.get(i)).append('\n');
            if (i >= lines.size()) fail("language.md:" + (start + 1) + ": unclosed code block");
            if (info.startsWith("warden")) out.add(new Block(info, start + 1, body.toString()));
        }
        return out;
    }

    static PolicyCompiler.Result compile(Block b) {
        String text = b.fragment() ? FRAGMENT_HEAD + b.text() + FRAGMENT_TAIL : b.text();
        return PolicyCompiler.compile(List.of(new PolicyCompiler.Source("language.md@" + b.line(), text)),
                PolicyCompiler.Options.defaults().withFactSources(Set.of("mosquitto")));
    }

    static String show(Block b, List<Diagnostic> ds) {
        String text = b.fragment() ? FRAGMENT_HEAD + b.text() + FRAGMENT_TAIL : b.text();
        return ds.stream().map(Diagnostic::oneLine).collect(Collectors.joining("\n  ", "\n  ", ""))
                + "\nin:\n" + text;
    }

    static void check(Block b) {
        List<String> known = List.of("warden", "warden fragment", "warden-error", "warden-error fragment");
        assertTrue(known.contains(b.info()), () -> b.name() + ": unknown example kind; use one of " + known);
        PolicyCompiler.Result r = compile(b);
        if (!b.error()) {
            assertTrue(r.errors().isEmpty(), () -> b.name() + " must compile, but:" + show(b, r.diagnostics()));
            assertTrue(r.ok(), () -> b.name() + " produced no policy set");
            return;
        }
        String first = b.text().lines().findFirst().orElse("");
        Matcher m = ERROR_LINE.matcher(first);
        assertTrue(m.matches(), () -> b.name() + ": the first line must be `// error: <code>`, found `" + first + "`");
        String code = m.group(1);
        Set<String> codes = new TreeSet<>();
        r.errors().forEach(d -> codes.add(d.code()));
        assertFalse(r.ok(), () -> b.name() + " must fail with " + code + " but compiled");
        assertEquals(Set.of(code), codes, () -> b.name() + " must fail with exactly " + code + ":" + show(b, r.diagnostics()));
    }

    @Test
    void everyDiagnosticCodeTheCompilerUsesIsDocumented() throws IOException {
        Path src = Files.isDirectory(Path.of("src", "main", "java")) ? Path.of("src", "main", "java") : Path.of("policy-dsl", "src", "main", "java");
        Set<String> used = new TreeSet<>();
        Pattern code = Pattern.compile("\"(dsl\\.[a-z_]+)\"");
        try (Stream<Path> files = Files.walk(src)) {
            for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
                Matcher m = code.matcher(Files.readString(f, StandardCharsets.UTF_8));
                while (m.find()) used.add(m.group(1));
            }
        }
        String doc = Files.readString(doc(), StandardCharsets.UTF_8);
        Set<String> missing = used.stream().filter(c -> !doc.contains("| `" + c + "` |")).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(used.size() > 40, "found the codes: " + used);
        assertEquals(Set.of(), missing, "codes missing from the table in docs/language.md section Diagnostics");
    }

    @TestFactory
    Stream<DynamicTest> everyExampleCompilesAsDocumented() {
        List<Block> blocks = blocks(lines());
        assertFalse(blocks.isEmpty(), "docs/language.md has no ```warden example");
        return blocks.stream().map(b -> DynamicTest.dynamicTest(b.name(), () -> check(b)));
    }

    @Test
    void theDocumentHasExamplesOfEveryKind() {
        List<Block> blocks = blocks(lines());
        assertFalse(blocks.isEmpty(), "docs/language.md has no ```warden example");
        Set<String> kinds = blocks.stream().map(Block::info).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("warden", "warden fragment", "warden-error", "warden-error fragment"), kinds);
    }

    /** The rows of the table that follows the {@code topic-table} marker: a, b, within, overlaps. */
    static List<String[]> topicRows(List<String> lines) {
        int at = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith("<!-- topic-table")) at = i;
        assertTrue(at >= 0, "docs/language.md has no <!-- topic-table --> marker");
        List<String[]> rows = new ArrayList<>();
        for (int i = at + 3; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = lines.get(i).split("\\|");
            // "", a, b, within, overlaps
            assertEquals(5, cells.length, "language.md:" + (i + 1) + ": a topic row has four cells");
            rows.add(new String[] {unquote(cells[1]), unquote(cells[2]), cells[3].strip(), cells[4].strip(), Integer.toString(i + 1)});
        }
        return rows;
    }

    private static String unquote(String cell) {
        String c = cell.strip();
        assertTrue(c.startsWith("`") && c.endsWith("`"), "topic cells are code spans: " + c);
        return c.substring(1, c.length() - 1);
    }

    @TestFactory
    Stream<DynamicTest> topicTableMatchesTheImplementation() {
        List<String[]> rows = topicRows(lines());
        assertFalse(rows.isEmpty(), "the topic table is empty");
        return rows.stream().map(r -> DynamicTest.dynamicTest("language.md:" + r[4] + " " + r[0] + " vs " + r[1], () -> {
            TopicFilter a = TopicFilter.parse(r[0]), b = TopicFilter.parse(r[1]);
            assertEquals(Boolean.parseBoolean(r[2]), a.within(b), r[0] + " within " + r[1]);
            assertEquals(Boolean.parseBoolean(r[3]), a.overlaps(b), r[0] + " overlaps " + r[1]);
            assertTrue(List.of("true", "false").contains(r[2]) && List.of("true", "false").contains(r[3]), "cells must be true or false");
        }));
    }

    static final Path GRAMMAR = Path.of("src", "main", "antlr4", "dev", "warden", "dsl", "internal", "grammar", "Warden.g4");

    static Path grammar() {
        if (Files.isRegularFile(GRAMMAR)) return GRAMMAR;
        return Path.of("policy-dsl").resolve(GRAMMAR); // run from the repository root
    }

    @Test
    void grammarAppendixIsACopyOfTheGrammar() throws IOException {
        String g4 = Files.readString(grammar(), StandardCharsets.UTF_8).replace("\r\n", "\n");
        if (!g4.endsWith("\n")) g4 += "\n";
        List<String> lines = lines();
        int marker = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith("<!-- grammar")) marker = i;
        assertNotEquals(-1, marker, "docs/language.md has no <!-- grammar --> marker");
        int open = marker + 1;
        assertEquals("```antlr", lines.get(open), "language.md:" + (open + 1) + ": the grammar marker must be followed by ```antlr");
        int close = open + 1;
        while (close < lines.size() && !lines.get(close).equals("```")) close++;
        assertTrue(close < lines.size(), "language.md:" + (open + 1) + ": unclosed grammar block");
        String copy = String.join("\n", lines.subList(open + 1, close)) + (close > open + 1 ? "\n" : "");
        if (Boolean.getBoolean("warden.golden.update")) {
            List<String> out = new ArrayList<>(lines.subList(0, open + 1));
            out.addAll(g4.lines().toList());
            out.addAll(lines.subList(close, lines.size()));
            Files.writeString(doc(), String.join("\n", out) + "\n", StandardCharsets.UTF_8);
            return;
        }
        assertEquals(g4, copy, "the grammar in docs/language.md section 17 differs from Warden.g4; run "
                + "`mvn test -pl policy-dsl -Dtest=LanguageDocTest -Dwarden.golden.update=true`, then check that the prose still holds");
    }
}
