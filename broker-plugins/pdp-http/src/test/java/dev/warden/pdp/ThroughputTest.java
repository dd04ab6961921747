package dev.warden.pdp;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bounded load: 4 broker connections x 500 authorization calls over HTTPS keep-alive, distinct clients. */
class ThroughputTest {
    @Test
    void twoThousandAuthorizationCallsStayCorrectAndBoundedInTime() throws Exception {
        try (Pdp pdp = Pdp.devices()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            long t0 = System.nanoTime();
            List<Future<Integer>> parts = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                int worker = w;
                parts.add(pool.submit(() -> {
                    int allowed = 0;
                    for (int i = 0; i < 500; i++) {
                        String id = "w" + worker + "c" + (i % 50);
                        String topic = i % 2 == 0 ? "devices/" + id + "/telemetry/t" : "devices/other/telemetry/t";
                        HttpRequest r = pdp.req("/emqx/authz").header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"clientid\":\"" + id + "\",\"peerhost\":\"10.1.0." + worker + "\",\"topic\":\"" + topic + "\",\"action\":\"publish\",\"qos\":\"0\",\"retain\":\"false\"}")).build();
                        HttpResponse<String> resp = pdp.send(r);
                        if (resp.statusCode() != 200) throw new AssertionError(resp.statusCode() + " " + resp.body());
                        if (resp.body().contains("allow")) allowed++;
                    }
                    return allowed;
                }));
            }
            int allowed = 0;
            for (Future<Integer> f : parts) allowed += f.get();
            long ms = (System.nanoTime() - t0) / 1_000_000;
            pool.shutdown();
            assertEquals(1000, allowed, "every own-namespace publish allowed, every other one denied");
            assertEquals(200, pdp.server.sessionCount());
            System.out.printf("pdp throughput: 2000 HTTPS authz calls in %d ms (%.0f/s)%n", ms, 2000_000.0 / Math.max(1, ms));
            assertTrue(ms < 30_000, "bounded: " + ms + " ms");
        }
    }
}
