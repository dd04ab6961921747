package dev.warden.aws.iot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every example policy obtained from the two Device Defender audit-check pages, stored under
 * {@code iot/defender/{compliant,noncompliant}/<CHECK>/<n>.json} with the page's wording in {@code <n>.txt};
 * the analyzer must give the page's verdict.
 */
class DefenderExamplesTest {

    static Stream<Path> examples() throws IOException, URISyntaxException {
        Path root = Path.of(DefenderExamplesTest.class.getResource("/iot/defender").toURI());
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    static boolean flagged(String check, IotPolicyAnalysis a) {
        return switch (check) {
            case "IOT_POLICY_OVERLY_PERMISSIVE_CHECK" -> a.overlyPermissive();
            case "IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK" -> !a.ineffectiveDenies().isEmpty();
            default -> throw new IllegalArgumentException(check);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void sameVerdictAsDeviceDefender(Path example) throws IOException {
        String check = example.getParent().getFileName().toString();
        boolean noncompliant = example.getParent().getParent().getFileName().toString().equals("noncompliant");
        Path sidecar = example.resolveSibling(example.getFileName().toString().replace(".json", ".txt"));
        assertTrue(Files.exists(sidecar), "page wording missing for " + example);
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(Files.readString(example, StandardCharsets.UTF_8));
        assertTrue(a.problems().isEmpty(), () -> "problems: " + a.problems());
        assertEquals(noncompliant, flagged(check, a), () -> example + " -> " + a);
    }

    @Test
    void misconfigurationExampleOneNamesTheLiteralHashDeny() throws Exception {
        Path p = examples().filter(x -> x.toString().contains("noncompliant/IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK/1.json"))
                .findFirst().orElseThrow();
        IotPolicyAnalysis a = IotPolicyAnalyzer.analyze(Files.readString(p));
        assertEquals(List.of("arn:aws:iot:us-east-1:123456789012:topicfilter/building/control_room/#"), a.ineffectiveDenies());
        // the deny removes nothing: the allowed filter pattern stays building/*
        assertEquals(List.of("building/*"), a.subscribeFilters());
        assertTrue(IotGlob.parse(a.subscribeFilters().get(0)).matches("building/control_room/data1"));
        assertEquals("none", a.connectScope());
    }
}
