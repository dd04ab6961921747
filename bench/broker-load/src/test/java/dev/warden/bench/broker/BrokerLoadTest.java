package dev.warden.bench.broker;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A tiny run of the broker harness (real HiveMQ CE, real clients, loopback): both modes deliver and it reports ratios. */
class BrokerLoadTest {
    @Test
    void aTinyRunMeasuresTheDefaultModesAndReportsTheRatios() throws Exception {
        BrokerLoad.Options o = BrokerLoad.parse(new String[] {"--clients", "4", "--subscribers", "2", "--seconds", "1", "--warmup", "0",
                "--rounds", "1", "--paced-rate", "100", "--warmup-round", "off"});
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        List<BrokerLoad.Phase> phases = BrokerLoad.run(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
        assertEquals(6, phases.size(), "bare, warden and warden-perms-acl by default, two phases each: " + buf.toString(StandardCharsets.UTF_8));
        for (BrokerLoad.Phase p : phases) {
            assertTrue(p.delivered() > 0 && p.msgsPerSec() > 0, p.toString());
            assertTrue(p.p50Micros() >= 0 && p.p99Micros() >= p.p50Micros(), p.toString());
            assertTrue(p.cpuNanosPerMsg() > 0, "the process CPU time per message is measured: " + p);
        }
        String s = BrokerLoad.summary(phases);
        assertTrue(s.contains("| saturation | warden |") && s.contains("warden/bare: saturation throughput"), s);
        assertTrue(s.contains("| saturation | warden-perms-acl |") && s.contains("warden-perms-acl/bare: saturation throughput"), s);
    }

    @Test
    void pairedRatiosCompareEachRoundWithThatRoundsBareBroker() {
        // round 2 ran while the machine was busy: both modes slowed down, the pair's ratio did not
        List<BrokerLoad.Phase> phases = List.of(
                new BrokerLoad.Phase("bare", 1, "saturation", 200_000, 0, 0, 1, 1), new BrokerLoad.Phase("warden", 1, "saturation", 190_000, 0, 0, 1, 1),
                new BrokerLoad.Phase("bare", 2, "saturation", 100_000, 0, 0, 1, 1), new BrokerLoad.Phase("warden", 2, "saturation", 97_000, 0, 0, 1, 1),
                new BrokerLoad.Phase("bare", 3, "saturation", 210_000, 0, 0, 1, 1), new BrokerLoad.Phase("warden", 3, "saturation", 105_000, 0, 0, 1, 1));
        double[] r = BrokerLoad.paired(phases, "warden", "saturation", BrokerLoad.Phase::msgsPerSec);
        assertEquals(3, r.length);
        assertEquals(0.95, r[0], 1e-9);
        assertEquals(0.97, r[1], 1e-9);
        assertEquals(0.5, r[2], 1e-9);
        assertEquals(0.95, BrokerLoad.median(r), 1e-9);
        assertTrue(BrokerLoad.summary(phases).contains("saturation throughput median 0.950 [0.95, 0.97, 0.5]"), BrokerLoad.summary(phases));
    }

    @Test
    void badOptionsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BrokerLoad.parse(new String[] {"--clients", "0"})).getMessage()
                .contains("`--clients` must be a whole number from 1 to 2000, found `0`"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BrokerLoad.parse(new String[] {"--speed", "1"})).getMessage()
                .contains("unknown option `--speed`"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BrokerLoad.parse(new String[] {"--rounds"})).getMessage()
                .contains("`--rounds` needs a value"));
    }
}
