package dev.warden.eval.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The two schemas the JSON outputs are validated against, with format assertions on. */
final class Schemas {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

    private Schemas() {}

    /** docs/schemas/report-v1.schema.json (draft 2020-12), read from the source tree. */
    static JsonSchema report() {
        try (InputStream in = Files.newInputStream(Golden.moduleDir().resolve("../docs/schemas/report-v1.schema.json"))) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in, CONFIG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The OASIS SARIF 2.1.0 schema (draft-04), a test resource copied from shared/schemas. */
    static JsonSchema sarif() {
        try (InputStream in = Schemas.class.getResourceAsStream("/sarif-schema-2.1.0.json")) {
            if (in == null) throw new IllegalStateException("sarif-schema-2.1.0.json not on the test classpath");
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(in, CONFIG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<ValidationMessage> errors(JsonSchema schema, JsonNode doc) {
        return schema.validate(doc);
    }

    static void assertValid(JsonSchema schema, JsonNode doc) {
        Set<ValidationMessage> errors = schema.validate(doc);
        assertTrue(errors.isEmpty(), () -> "schema violations:\n" + errors.stream().map(ValidationMessage::toString)
                .sorted().collect(Collectors.joining("\n")));
    }
}
