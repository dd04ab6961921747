package dev.warden.eval.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.model.Origin;

import java.io.IOException;
import java.io.Writer;

/** Shared JSON output settings: 2-space indent, {@code \n} line ends, {@code "key": value}, target left open. */
final class JsonOutput {

    static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .build());

    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    private JsonOutput() {}

    static void write(JsonNode root, Writer out) throws IOException {
        MAPPER.writer(PRETTY).writeValue(out, root);
        out.write('\n');
        out.flush();
    }

    static ObjectNode object() { return NODES.objectNode(); }

    /** {@code {kind, file, line, column, note}}: the full form of an origin. */
    static ObjectNode location(Origin o) {
        ObjectNode n = object();
        n.put("kind", o.kind().name().toLowerCase(java.util.Locale.ROOT));
        n.put("file", o.source());
        n.put("line", Math.max(0, o.line()));
        n.put("column", Math.max(0, o.column()));
        n.put("note", o.note());
        return n;
    }
}
