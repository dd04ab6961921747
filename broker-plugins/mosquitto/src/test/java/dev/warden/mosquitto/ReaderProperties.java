package dev.warden.mosquitto;

import dev.warden.model.Diagnostic;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.Value;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The readers never throw, whatever they are given: bad input only ever becomes diagnostics. */
class ReaderProperties {
    private static final Path ROOT = tempRoot();
    private static final Path MAIN = ROOT.resolve("etc/mosquitto/mosquitto.conf");

    private static Path tempRoot() {
        try {
            Path p = Files.createTempDirectory("warden-mosquitto-props");
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FactSet collect(byte[] content) {
        return MosquittoCollector.collect(MAIN, MosquittoCollector.Options.ofRoot(ROOT), content);
    }

    /** What must hold for any input: one Broker, every field collected or explained, diagnostics well formed. */
    private static void wellFormed(FactSet fs) {
        assertEquals(1, fs.targets("broker").size());
        Value.Obj b = assertInstanceOf(Value.Obj.class, fs.targets("broker").get(0));
        assertEquals("Broker", b.type());
        for (Map.Entry<String, String> leaf : Facts.flatten(b).entrySet()) {
            assertTrue(!leaf.getValue().contains("was not collected"), leaf.getKey() + " = " + leaf.getValue());
        }
        for (Diagnostic d : fs.diagnostics()) {
            assertTrue(d.code().startsWith("mosquitto."), d.code());
            assertTrue(!d.message().isEmpty() && !d.message().endsWith("."), d.message());
        }
    }

    @Property
    void anyTextIsReadWithoutThrowing(@ForAll @Size(max = 4000) String text) {
        wellFormed(collect(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Property
    void anyBytesAreReadWithoutThrowing(@ForAll @Size(max = 2000) byte[] bytes) {
        wellFormed(collect(bytes));
    }

    @Property
    void randomDirectivesAreReadWithoutThrowing(@ForAll("configs") String text) {
        wellFormed(collect(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Property
    void noAllowAnonymousAndAListenerMeansAnonymousRefused(@ForAll("configs") String text) {
        List<String> lines = text.lines().toList();
        boolean listener = lines.stream().anyMatch(l -> l.startsWith("listener "));
        boolean anonymous = lines.stream().anyMatch(l -> l.stripLeading().startsWith("allow_anonymous"));
        if (!listener || anonymous) return;
        // an include_dir that cannot be read may hold `allow_anonymous true`: then the value is unknown, never true
        boolean mayBeIncomplete = lines.stream().anyMatch(l -> l.stripLeading().startsWith("include_dir"));
        Value.Obj b = Facts.broker(collect(text.getBytes(StandardCharsets.UTF_8)));
        for (Value l : ((Value.Items) b.get("listeners")).items()) {
            if (l instanceof Value.Unknown) {
                assertTrue(mayBeIncomplete, text);
                continue;
            }
            String shown = Facts.show(Facts.at(l, "auth.anonymous"));
            if (mayBeIncomplete) assertTrue(shown.equals("false") || shown.equals("unknown"), text + " => " + shown);
            else assertEquals("false", shown, text);
        }
    }

    @Property
    void anyAclTextIsReadWithoutThrowing(@ForAll("aclFiles") String text) {
        Diags diags = new Diags();
        for (AclReader.Rule r : AclReader.read(text.getBytes(StandardCharsets.UTF_8), "acl", diags)) {
            assertTrue(List.of("read", "write", "readwrite", "deny").contains(r.access()), r.toString());
            assertTrue(List.of("anonymous", "user", "pattern").contains(r.scope()), r.toString());
            assertTrue(r.topic() != null || r.topicProblem() != null, r.toString());
            assertEquals(r.scope().equals("user"), r.user() != null, r.toString());
        }
        diags.all().forEach(d -> assertTrue(d.code().startsWith("mosquitto.acl."), d.code()));
    }

    @Property
    void anyAclBytesAreReadWithoutThrowing(@ForAll @Size(max = 2000) byte[] bytes) {
        AclReader.read(bytes, "acl", new Diags());
    }

    @Property
    void aclFilesThroughTheCollectorNeverThrow(@ForAll("aclFiles") String acl) throws IOException {
        Path dir = Files.createTempDirectory(ROOT, "acl");
        Files.writeString(dir.resolve("acl"), acl, StandardCharsets.UTF_8);
        FactSet fs = MosquittoCollector.collectText("listener 1883\nacl_file acl\n", dir.resolve("mosquitto.conf"), MosquittoCollector.Options.ofRoot(ROOT));
        wellFormed(fs);
        assertInstanceOf(Value.Items.class, Facts.broker(fs).get("acl_grants"));
    }

    @Property
    void includeOrderIsATotalOrder(@ForAll("names") String a, @ForAll("names") String b, @ForAll("names") String c) {
        int ab = Integer.signum(ConfReader.includeOrder(a, b));
        assertEquals(-ab, Integer.signum(ConfReader.includeOrder(b, a)));
        if (ConfReader.includeOrder(a, b) <= 0 && ConfReader.includeOrder(b, c) <= 0) assertTrue(ConfReader.includeOrder(a, c) <= 0);
        assertEquals(a.equals(b), ab == 0);
    }

    @Property
    void atoiReadsPlainNumbersExactly(@ForAll int n) {
        assertEquals(n, Directive.atoi(Integer.toString(n)));
        assertEquals(n, Directive.atoi(n + "KB"));
    }

    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withChars("aAbB01_-.zZ").ofMaxLength(6);
    }

    @Provide
    Arbitrary<String> configs() {
        List<String> known = new ArrayList<>(DirectiveTable.all().keySet());
        known.remove("include_dir");
        Arbitrary<String> name = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.of(known)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of("plugin_opt_config", "auth_opt_x", "plugin_opt_", "#", "  # c", "\tlistener", "allow_anonymous\ttrue")),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().ofMaxLength(12)));
        Arbitrary<String> arg = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, Arbitraries.of("true", "false", "1", "0", "-1", "20", "65535", "70000", "1883", "0.0.0.0", "127.0.0.1",
                        "::1", "localhost", "lo", "tlsv1.2", "tlsv1.3", "tlsv1", "websockets", "mqtt", "none", "all", "file", "stderr", "#",
                        "# comment", "/nonexistent/x", "a/+/b", "%c/#", "10KB", "2147483648", "-2147483649", "1d", "x")),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().ofMaxLength(10)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().map(String::valueOf)));
        Arbitrary<String> line = Combinators.combine(name, arg.list().ofMaxSize(3), Arbitraries.of(" ", "  ", "\t"))
                .as((n, args, sep) -> args.isEmpty() ? n : n + " " + String.join(sep, args));
        Arbitrary<String> safeInclude = Arbitraries.of("include_dir /nonexistent.d", "include_dir", "include_dir  spaced ");
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(20, line), net.jqwik.api.Tuple.of(1, safeInclude))
                .list().ofMaxSize(40).map(ls -> String.join("\n", ls));
    }

    @Provide
    Arbitrary<String> aclFiles() {
        Arbitrary<String> kw = Arbitraries.of("topic", "pattern", "user", "#", " topic", "\ttopic", "usr", "");
        Arbitrary<String> word = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, Arbitraries.of("read", "write", "readwrite", "deny", "rw", "#", "+", "a/#", "a/#/b", "a+", "%c", "%u/%c/#",
                        "$SYS/#", "${x}", "$share/g", "alice", "a b", "")),
                net.jqwik.api.Tuple.of(2, Arbitraries.strings().ofMaxLength(8)));
        Arbitrary<String> line = Combinators.combine(kw, word.list().ofMaxSize(3)).as((k, ws) -> k + (ws.isEmpty() ? "" : " " + String.join(" ", ws)));
        return line.list().ofMaxSize(30).map(ls -> String.join("\n", ls));
    }
}
