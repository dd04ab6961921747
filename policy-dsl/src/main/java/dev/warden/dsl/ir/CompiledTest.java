package dev.warden.dsl.ir;

import dev.warden.model.Origin;
import dev.warden.model.fact.Value;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A policy test: fact sources to build, param overrides, and expected results. */
public record CompiledTest(String name, Origin location, List<Given> given, Map<String, Value> params, List<Expectation> expectations,
                           List<DecisionExpectation> decisions) {
    public CompiledTest {
        given = List.copyOf(given);
        params = Map.copyOf(params);
        expectations = List.copyOf(expectations);
        decisions = List.copyOf(decisions);
    }

    public CompiledTest(String name, Origin location, List<Given> given, Map<String, Value> params, List<Expectation> expectations) {
        this(name, location, given, params, expectations, List.of());
    }

    /**
     * {@code expect allow|deny <action> ["topic"] ... as {...}}: the runtime decision of block {@code policy} for the
     * client described by {@code client} (keys: id, username, cert, sans, issuer, ip, auth, protocol, listener).
     */
    public record DecisionExpectation(boolean allow, String action, String topic, int qos, boolean retain, long payloadBytes,
                                      Map<String, List<String>> client, String policy, Origin location) {
        public DecisionExpectation { client = Map.copyOf(client); }
    }

    /** Facts produced by a named source (e.g. {@code mosquitto}) from the entries. */
    public record Given(String source, List<Entry> entries, Origin location) {
        public Given { entries = List.copyOf(entries); }
    }

    /** {@code key "arg" ...}. */
    public record Entry(String key, List<String> args, Origin location) {
        public Entry { args = List.copyOf(args); }
    }

    /** {@code expect status CONTROL [at "file:line"] [count n]}. */
    public record Expectation(String status, String controlId, Optional<String> at, Optional<Integer> count, Origin location) {}
}
