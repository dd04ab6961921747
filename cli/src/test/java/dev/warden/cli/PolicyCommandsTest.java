package dev.warden.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code warden check}, {@code warden test} and {@code warden schema}. */
class PolicyCommandsTest {

    @Test
    void checkCompilesTheBuiltinPack() {
        CliRun r = CliRun.of("check", "builtin:mqtt-broker-baseline");
        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertTrue(r.out().startsWith("ok: 1 file(s), 18 control(s)"), r.out());
    }

    @Test
    void testRunsThePackTests() {
        CliRun r = CliRun.of("test", "builtin:mqtt-broker-baseline");
        assertEquals(ExitCode.OK, r.code(), r::toString);
        assertTrue(r.out().contains("PASS  hardened broker passes every control"), r.out());
        assertTrue(r.out().strip().endsWith(" passed, 0 failed"), r.out());
    }

    @Test
    void aWrongExpectationFailsTheTestRun(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("p.warden");
        Files.writeString(p, """
                control T-1 "tls" {
                  severity high
                  for l in broker.listeners where not l.loopback_only
                  require l.tls.enabled
                }
                test "claims a plaintext listener passes" {
                  given mosquitto {
                    file "mosquitto.conf" ""\"
                      listener 1883
                      ""\"
                  }
                  expect pass T-1
                }
                """);
        CliRun r = CliRun.of("test", p.toString());
        assertEquals(ExitCode.VIOLATIONS, r.code(), r::toString);
        assertTrue(r.out().contains("FAIL  claims a plaintext listener passes"), r.out());
        assertTrue(r.out().contains("expected pass T-1, got fail listener 1883"), r.out());
    }

    @Test
    void schemaPrintsEveryType() {
        CliRun r = CliRun.of("schema");
        assertEquals(ExitCode.OK, r.code());
        for (String t : new String[] {"## Broker", "## Listener", "## Tls", "## Auth", "## AclGrant", "| `require_certificate` | `bool` |"}) {
            assertTrue(r.out().contains(t), t);
        }
    }
}
