package dev.warden.eval.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Golden files under {@code evaluator/src/test/resources/golden/}. To regenerate them after an intended change, run
 * <pre>mvn test -pl evaluator -Dtest='dev.warden.eval.report.**' -Dwarden.golden.update=true</pre>
 * and review the diff with {@code git diff evaluator/src/test/resources/golden}.
 */
final class Golden {

    private Golden() {}

    static Path moduleDir() {
        return Path.of(System.getProperty("basedir", "."));
    }

    static void assertMatches(String name, String actual) throws IOException {
        Path file = moduleDir().resolve("src/test/resources/golden").resolve(name);
        if (Boolean.getBoolean("warden.golden.update")) {
            Files.createDirectories(file.getParent());
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            return;
        }
        String expected = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "<missing golden file " + file + ">";
        assertEquals(expected, actual, "output differs from golden/" + name
                + " (regenerate with -Dwarden.golden.update=true if the change is intended)");
    }
}
