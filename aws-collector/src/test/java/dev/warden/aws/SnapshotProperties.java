package dev.warden.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.model.fact.FactSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A snapshot edited by hand (or by a bug) never makes the collector throw: what cannot be read is unknown. */
class SnapshotProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String VALID = valid();

    private static String valid() {
        try (InputStream in = SnapshotProperties.class.getResourceAsStream("/fake-aws/world.json")) {
            JsonNode world = JSON.readTree(in);
            Path dir = Files.createTempDirectory("warden-snap");
            CliCapturesTest.capture(world, dir);
            return CliCaptures.read(dir).toJson();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final List<JsonNode> ODD = List.of(F.nullNode(), F.textNode(""), F.textNode("x"), F.numberNode(-1), F.numberNode(70000),
            F.numberNode(1.5), F.booleanNode(true), F.arrayNode(), F.objectNode(), F.textNode("0.0.0.0/33"), F.textNode("2026-13-45T00:00:00Z"),
            F.textNode("-1"), F.textNode("{\"Statement\": 5}"), F.arrayNode().add(F.numberNode(1)).add(F.nullNode()));

    /** Every container node with the way to reach it. */
    private static void containers(JsonNode n, List<JsonNode> out) {
        if (n.isContainerNode()) {
            out.add(n);
            n.forEach(c -> containers(c, out));
        }
    }

    @Property(tries = 300)
    void mutatedSnapshotsNeverThrow(@ForAll long seed) throws IOException {
        Random r = new Random(seed);
        JsonNode root = JSON.readTree(VALID);
        int edits = 1 + r.nextInt(6);
        for (int i = 0; i < edits; i++) {
            List<JsonNode> cs = new ArrayList<>();
            containers(root.path("data"), cs);
            if (cs.isEmpty()) break;
            JsonNode c = cs.get(r.nextInt(cs.size()));
            JsonNode v = ODD.get(r.nextInt(ODD.size()));
            if (c instanceof ObjectNode o && o.size() > 0) {
                List<String> names = new ArrayList<>();
                for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) names.add(it.next());
                String k = names.get(r.nextInt(names.size()));
                if (r.nextInt(4) == 0) o.remove(k); else o.set(k, v.deepCopy());
            } else if (c instanceof ArrayNode a && a.size() > 0) {
                int k = r.nextInt(a.size());
                if (r.nextInt(4) == 0) a.remove(k); else a.set(k, v.deepCopy());
            }
        }
        FactSet f = AwsCollector.facts(AwsSnapshot.fromJson(root.toString(), "mutated"), AwsCollectorLiveTest.CLOCK);
        assertEquals(1, f.targets(AwsCollector.ROOT).size());
    }

    @Property(tries = 200)
    void anyTextIsAFactSetOrADiagnostic(@ForAll String text) throws IOException {
        Path p = Files.createTempFile("warden-snap", ".json");
        try {
            Files.writeString(p, text);
            FactSet f = AwsCollector.readSnapshot(p, AwsCollectorLiveTest.CLOCK);
            assertFalse(f.targets(AwsCollector.ROOT).isEmpty() && f.diagnostics().isEmpty(), "either facts or a diagnostic");
        } finally {
            Files.deleteIfExists(p);
        }
    }
}
