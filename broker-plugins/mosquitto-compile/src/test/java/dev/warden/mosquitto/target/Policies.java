package dev.warden.mosquitto.target;

import dev.warden.dsl.PolicyCompiler;
import dev.warden.dsl.ir.AuthzPolicy;
import dev.warden.dsl.ir.CompiledPolicySet;

import java.util.List;

/** Compiles policy text in tests; fails loudly on compile errors. */
final class Policies {
    private Policies() {}

    static AuthzPolicy authz(String text) {
        PolicyCompiler.Result r = PolicyCompiler.compile(List.of(new PolicyCompiler.Source("devices.warden", text)), PolicyCompiler.Options.defaults());
        CompiledPolicySet set = r.policySet().orElseThrow(() -> new AssertionError("policy does not compile: " + r.diagnostics()));
        if (r.diagnostics().stream().anyMatch(d -> d.isError())) throw new AssertionError("policy does not compile: " + r.diagnostics());
        if (set.authorizations().size() != 1) throw new AssertionError("expected one authorize block, got " + set.authorizations().size());
        return set.authorizations().get(0);
    }

    static final String FULL = """
            authorize devices "Devices reach only their own namespace" {
              default deny
              connect require client.cert.cn == client.id else "certificate CN must equal the client id"
              connect forbid  client.id matches "[+#/]"
              allow publish   "devices/${client.id}/telemetry/#" qos 0..1 retain false
              allow subscribe "devices/${client.id}/commands/+" qos 0..1
              allow receive   "broadcast/#" when client.username == "ops"
              deny  publish   "devices/${client.id}/telemetry/admin"
              limit payload 128KiB
              limit publish per client 10/s burst 20 then throttle
              limit bytes   per client 64KiB/s burst 256KiB
              limit publish per ip 100/s burst 200 then disconnect
              limit connections per ip 20
            }
            """;
}
