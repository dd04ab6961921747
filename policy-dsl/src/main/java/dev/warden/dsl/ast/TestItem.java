package dev.warden.dsl.ast;

import java.util.List;
import java.util.Optional;

/** The parts of a policy test. */
public sealed interface TestItem {

    Span span();

    /** {@code given source { key "arg"... }}: facts produced by a named fact source (e.g. {@code mosquitto}). */
    record Given(String source, Span sourceSpan, List<Entry> entries, Span span) implements TestItem {
        public Given { entries = List.copyOf(entries); }
    }

    /** One line inside {@code given}: a key and its string arguments. */
    record Entry(String key, List<String> args, Span span) {
        public Entry { args = List.copyOf(args); }
    }

    /** {@code with param = value}. */
    record With(String param, Span paramSpan, Expr value, Span span) implements TestItem {}

    /** {@code expect pass|fail|unknown|not_applicable ID [at "file:line"] [count n]}. */
    record Expect(String status, Span statusSpan, String controlId, Span idSpan, Optional<String> at, Optional<Integer> count, Span span)
            implements TestItem {}

    /**
     * {@code expect allow|deny <action> ["topic"] [qos n] [retain true|false] [payload <size>] [as { key "value" ... }]}:
     * the decision the {@code authorize} rules must give for that client.
     */
    record ExpectDecision(boolean allow, String action, Span actionSpan, Optional<String> topic, Span topicSpan, Optional<Integer> qos,
                          Optional<Boolean> retain, Optional<String> payload, Span payloadSpan, List<Entry> client, Span span) implements TestItem {
        public ExpectDecision { client = List.copyOf(client); }
    }
}
