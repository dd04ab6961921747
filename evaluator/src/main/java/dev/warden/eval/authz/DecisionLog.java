package dev.warden.eval.authz;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Structured decision log: one JSON object per line (time, client, action, topic, decision, reason, rule). Denials
 * are always logged, allows one in {@code allowSample} (0: never). Lines go through a bounded queue to a writer
 * thread, so a slow disk never blocks the broker (a full queue drops lines and counts them). The file rotates at
 * {@code maxBytes} keeping {@code keep} old files ({@code file.1} ... {@code file.N}). Payloads, passwords and
 * certificates are never logged: only the client id, user name, source address and topic.
 */
public final class DecisionLog implements AutoCloseable {
    private record Entry(long millis, String client, String username, String ip, Decision d, String topic) {}

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private final int allowSample;
    private final BlockingQueue<Entry> queue;
    private final AtomicLong allowSeq = new AtomicLong();
    private final Thread writer;
    private volatile boolean closed;
    private Metrics metrics;
    private long written;

    public DecisionLog(Path file, long maxBytes, int keep, int allowSample, int queueCapacity) {
        this.file = file;
        this.maxBytes = Math.max(1024, maxBytes);
        this.keep = Math.max(1, keep);
        this.allowSample = Math.max(0, allowSample);
        this.queue = new ArrayBlockingQueue<>(Math.max(16, queueCapacity));
        this.writer = new Thread(this::run, "warden-decision-log");
        writer.setDaemon(true);
        writer.start();
    }

    void metrics(Metrics m) { this.metrics = m; }

    /** Records a decision (denials always, allows sampled); never blocks. */
    void record(Session s, Decision d, String topic) {
        if (d.allowed() && (allowSample == 0 || allowSeq.getAndIncrement() % allowSample != 0)) return;
        ClientInfo c = s == null ? null : s.client();
        Entry e = new Entry(System.currentTimeMillis(), c == null ? "" : c.id(), c == null ? null : c.username(), c == null ? "" : c.ip(), d, topic);
        if (!queue.offer(e) && metrics != null) metrics.logDropped.increment();
    }

    /** Waits until every queued line is written (tests, shutdown). */
    public void flush() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!queue.isEmpty() && System.nanoTime() < deadline) Thread.onSpinWait();
        synchronized (this) { /* the writer holds the lock while writing a batch */ }
    }

    private void run() {
        Writer out = null;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            written = Files.exists(file) ? Files.size(file) : 0;
            out = open();
            while (!closed || !queue.isEmpty()) {
                Entry e = queue.poll(200, TimeUnit.MILLISECONDS);
                if (e == null) continue;
                synchronized (this) {
                    do {
                        String line = json(e);
                        if (written + line.length() > maxBytes && written > 0) {
                            out.close();
                            rotate();
                            out = open();
                        }
                        out.write(line);
                        written += line.getBytes(StandardCharsets.UTF_8).length;
                    } while ((e = queue.poll()) != null);
                    out.flush();
                }
            }
        } catch (IOException | InterruptedException ex) {
            System.getLogger("dev.warden.authz").log(System.Logger.Level.ERROR, "decision log stopped: " + ex);
        } finally {
            if (out != null) try { out.close(); } catch (IOException ignored) { /* closing */ }
        }
    }

    private Writer open() throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void rotate() throws IOException {
        for (int i = keep - 1; i >= 1; i--) {
            Path from = file.resolveSibling(file.getFileName() + "." + i);
            if (Files.exists(from)) Files.move(from, file.resolveSibling(file.getFileName() + "." + (i + 1)), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
        written = 0;
    }

    static String json(Entry e) {
        StringBuilder b = new StringBuilder(160);
        b.append("{\"time\":\"").append(Instant.ofEpochMilli(e.millis())).append('"');
        b.append(",\"client\":"); str(b, e.client());
        if (e.username() != null) { b.append(",\"username\":"); str(b, e.username()); }
        b.append(",\"ip\":"); str(b, e.ip());
        b.append(",\"action\":\"").append(e.d().kind().name().toLowerCase(java.util.Locale.ROOT)).append('"');
        if (e.topic() != null) { b.append(",\"topic\":"); str(b, e.topic()); }
        b.append(",\"decision\":\"").append(e.d().allowed() ? "allow" : "deny").append('"');
        b.append(",\"reason\":\"").append(e.d().reason().name().toLowerCase(java.util.Locale.ROOT)).append('"');
        b.append(",\"policy\":"); str(b, e.d().policy());
        if (e.d().origin() != dev.warden.model.Origin.NONE) { b.append(",\"rule\":"); str(b, e.d().origin().display()); }
        if (e.d().disconnect()) b.append(",\"disconnect\":true");
        return b.append("}\n").toString();
    }

    private static void str(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }

    @Override
    public void close() {
        closed = true;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
