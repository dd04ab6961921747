package dev.warden.eval.authz;

import dev.warden.dsl.ir.AuthzPolicy;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A lock-free token bucket (generic cell rate algorithm): one {@link AtomicLong} holds the theoretical arrival
 * time; a take of {@code cost} units succeeds when it stays within the burst. Times are nanoseconds on the engine's
 * clock (never negative).
 */
final class Gcra {
    private final AtomicLong tat = new AtomicLong();

    /** Takes {@code cost} units of {@code rate} at time {@code now}; false (and nothing taken) when over the limit. */
    boolean take(AuthzPolicy.Rate rate, long cost, long now) {
        double perUnit = (double) rate.periodNanos() / rate.amount();
        long emission = (long) Math.ceil(cost * perUnit);
        long tau = (long) (rate.burst() * perUnit);
        while (true) {
            long old = tat.get();
            long base = Math.max(old, now);
            long next = base + emission;
            if (next - now > tau) return false;
            if (tat.compareAndSet(old, next)) return true;
        }
    }
}
