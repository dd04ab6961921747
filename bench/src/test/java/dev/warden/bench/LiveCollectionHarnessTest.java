package dev.warden.bench;

import dev.warden.aws.AwsCollector;
import dev.warden.aws.AwsSnapshot;
import dev.warden.aws.FakeAws;
import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.Value;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live-collection harness at tiny scale, so that it cannot silently rot (the full-scale run is bench/run.sh only). */
class LiveCollectionHarnessTest {
    static final LiveCollectionHarness.Scale TINY = new LiveCollectionHarness.Scale(50, 20, 3);

    @Test
    void collectsExactlyTheGeneratedWorldWithoutFaults() throws IOException {
        try (FakeAws aws = new FakeAws(LiveCollectionHarness.world(TINY))) {
            AwsSnapshot snap = AwsCollector.collectSnapshot(LiveCollectionHarness.options(aws));
            FactSet f = LiveCollectionHarness.facts(snap);
            assertEquals(0, snap.faultCount(), () -> f.diagnostics().toString());
            assertEquals(List.of(), f.diagnostics());
            assertEquals(List.of(), List.copyOf(aws.unmatched));
            assertEquals(50, LiveCollectionHarness.count(f, "iot_policies"));
            assertEquals(20, LiveCollectionHarness.count(f, "security_groups"));
            assertEquals(3, LiveCollectionHarness.count(f, "web_acls"));
            int targets = 0, expected = 0;
            for (int i = 0; i < 50; i++) expected += i % 4;
            Value.Obj root = (Value.Obj) f.targets("aws").get(0);
            for (Value p : ((Value.Items) root.get("iot_policies")).items()) targets += ((Value.Items) ((Value.Obj) p).get("targets")).items().size();
            assertEquals(expected, targets);
            assertEquals(50, aws.count("GetPolicy"));
            assertEquals(50, aws.count("ListTargetsForPolicy"));
            assertTrue(aws.requests.stream().allMatch(r -> r.region().equals(LiveCollectionHarness.REGION)));
        }
    }

    @Test
    void measuresAndComparesWithThePeer() throws IOException {
        LiveCollectionHarness.Report r = LiveCollectionHarness.measure(TINY, 1, 1);
        LiveCollectionHarness.Run run = r.runs().get(0);
        assertEquals(50, run.policies());
        assertEquals(20, run.groups());
        assertEquals(3, run.webAcls());
        assertEquals(50L, run.byOp().get("GetPolicy"));
        assertEquals(1L, run.byOp().get("DescribeSecurityGroups"));
        assertTrue(run.requests() > 100 && run.connections() > 0 && run.bytesServed() > 0 && run.wallNanos() > 0, run.toString());
        assertTrue(run.allocatedTotal() > 0, run.toString());
        // the peer parses every body served once: one per request that has a body
        assertEquals(run.requests(), r.peers().get(0).documents());
        LiveCollectionHarness.print(r);
    }
}
