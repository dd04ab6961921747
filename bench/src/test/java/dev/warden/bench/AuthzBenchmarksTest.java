package dev.warden.bench;

import dev.warden.eval.authz.Decision;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three engines of {@link AuthzBenchmarks} agree on the request mix, so the comparison stays apples to apples. */
class AuthzBenchmarksTest {

    @Test
    void enginesAgreeOnTheRequestMixAtTenRules() throws Exception {
        AuthzBenchmarks.Size size = new AuthzBenchmarks.Size();
        size.rules = 10;
        size.setup();
        AuthzBenchmarks.Warden warden = new AuthzBenchmarks.Warden();
        warden.setup(size);
        AuthzBenchmarks.Casbin casbin = new AuthzBenchmarks.Casbin();
        casbin.setup(size);
        AuthzBenchmarks.Moquette moquette = new AuthzBenchmarks.Moquette();
        moquette.setup(size);
        AuthzWorkload w = size.w;
        int allowed = 0;
        for (int i = 0; i < AuthzWorkload.REQUESTS; i++) {
            boolean expect = w.expectAllowed[i];
            String what = "request " + i + ": " + w.clientIds[w.requestClient[i]] + " publishes " + w.requestTopic[i];
            Decision d = warden.decide(i);
            assertEquals(expect, d.allowed(), what + " (warden: " + d.explain() + ")");
            assertEquals(expect ? Decision.Reason.ALLOWED_BY_RULE : Decision.Reason.NO_MATCHING_RULE, d.reason(), what);
            assertEquals(expect, casbin.decide(i), what + " (jcasbin)");
            assertEquals(expect, moquette.decide(i), what + " (moquette)");
            if (expect) allowed++;
        }
        // 90% allowed, 10% another client's namespace
        assertTrue(allowed > AuthzWorkload.REQUESTS * 85 / 100 && allowed < AuthzWorkload.REQUESTS * 95 / 100, "allowed: " + allowed);

        // the benchmark methods themselves, once each
        AuthzBenchmarks.Cursor c = new AuthzBenchmarks.Cursor();
        AuthzBenchmarks b = new AuthzBenchmarks();
        int i = c.next + 1;
        assertEquals(w.expectAllowed[i], b.wardenPublish(warden, c).allowed());
        c.next = 0;
        assertEquals(w.expectAllowed[i], b.casbinPublish(casbin, c));
        c.next = 0;
        assertEquals(w.expectAllowed[i], b.moquettePublish(moquette, c));
        warden.tearDown();
    }

    @Test
    void theTemplatedDenyRuleIsEnforcedByTheEnginesThatCanExpressIt() {
        AuthzBenchmarks.Size size = new AuthzBenchmarks.Size();
        size.rules = 10;
        size.setup();
        AuthzBenchmarks.Warden warden = new AuthzBenchmarks.Warden();
        warden.setup(size);
        AuthzBenchmarks.Casbin casbin = new AuthzBenchmarks.Casbin();
        casbin.setup(size);
        String own = size.w.clientIds[0];
        Decision d = warden.enforcer.publish(warden.sessions[0], "t0/devices/" + own + "/telemetry/admin", 0, false, 1);
        assertEquals(Decision.Reason.DENIED_BY_RULE, d.reason(), d.explain());
        assertEquals(false, casbin.enforcer.enforce(own, "t0/devices/" + own + "/telemetry/admin", "publish"));
        assertEquals(true, casbin.enforcer.enforce(own, "t0/devices/" + own + "/telemetry/x", "publish"));
        warden.tearDown();
    }
}
