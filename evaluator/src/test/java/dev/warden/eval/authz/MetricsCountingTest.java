package dev.warden.eval.authz;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decision counters are exact while threads race on one decision and while engines are replaced under them. */
class MetricsCountingTest {

    static final String POLICY = "authorize x {\n  allow publish \"a/#\"\n  deny publish \"a/secret\"\n}\n";

    @Test
    void countsAreExactUnderContentionAndAcrossReloads(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("p.warden");
        Files.writeString(p, POLICY);
        try (Enforcer e = Enforcer.builder().policy(dir).build()) {
            int threads = 4, perThread = 200_000;
            List<Session> sessions = new ArrayList<>();
            for (int t = 0; t < threads; t++) sessions.add(e.connect(ClientInfo.of("c" + t, null, "127.0.0.1")));
            CountDownLatch start = new CountDownLatch(1);
            AtomicBoolean failed = new AtomicBoolean();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Session s = sessions.get(t);
                Thread w = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            // every thread hits the same two decisions: allow a/b, deny a/secret (one in ten)
                            boolean secret = i % 10 == 0;
                            if (e.publish(s, secret ? "a/secret" : "a/b", 0, false, 1).allowed() == secret) failed.set(true);
                        }
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                });
                w.start();
                workers.add(w);
            }
            start.countDown();
            int reloads = 0;
            // replace the engine again and again while the workers decide (same rules at the same lines: same series)
            while (workers.stream().anyMatch(Thread::isAlive)) {
                assertTrue(e.reload().ok());
                reloads++;
                e.metrics().prometheus(); // scraping while counting must not disturb the counts either
                Thread.sleep(1);
            }
            for (Thread w : workers) w.join();
            assertTrue(!failed.get(), "a decision came out wrong");
            assertTrue(reloads >= 2, "the engine was replaced under the workers: " + reloads);
            long denies = (long) threads * (perThread / 10);
            String prom = e.metrics().prometheus();
            assertEquals((long) threads * perThread - denies, series(prom, "allow", "allowed_by_rule", "p.warden:2:3"), prom);
            assertEquals(denies, series(prom, "deny", "denied_by_rule", "p.warden:3:3"), prom);
            assertEquals(denies, e.metrics().count(false, Decision.Reason.DENIED_BY_RULE));
        }
    }

    static long series(String prom, String result, String reason, String rule) {
        Matcher m = Pattern.compile("warden_decisions_total\\{action=\"publish\",result=\"" + result + "\",reason=\"" + reason
                + "\",policy=\"x\",rule=\"[^\"]*" + Pattern.quote(rule) + "\"} (\\d+)").matcher(prom);
        assertTrue(m.find(), "no series for " + rule + " in\n" + prom);
        return Long.parseLong(m.group(1));
    }
}
