package dev.warden.cli;

import dev.warden.eval.authz.DecisionLog;
import dev.warden.eval.authz.Enforcer;
import dev.warden.pdp.PdpServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code warden serve}: long-running services. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run a Warden service.", subcommands = {ServeCommand.Pdp.class})
final class ServeCommand implements Runnable {
    @Spec CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** {@code warden serve pdp}: the HTTP decision service for EMQX, mosquitto-go-auth and VerneMQ. */
    @Command(name = "pdp", mixinStandardHelpOptions = true,
            description = {"Answer EMQX 5 HTTP authn/authz, mosquitto-go-auth HTTP backend and VerneMQ webhook requests",
                    "with the decisions of an `authorize` block (see docs/pdp.md). TLS and a bearer token or client",
                    "certificates are required. The policy is reloaded when its files change; a broken update keeps",
                    "the last good policy, and with none every request is denied."})
    static final class Pdp implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = "--policy", required = true, paramLabel = "PATH", description = "policy file or directory of *.warden files")
        Path policy;

        @Option(names = "--authorize", paramLabel = "NAME", description = "the block to enforce (optional when there is one)")
        String authorize;

        @Option(names = "--param", paramLabel = "NAME=VALUE", description = "override a param")
        Map<String, String> params = new LinkedHashMap<>();

        @Option(names = "--bind", defaultValue = "127.0.0.1", description = "bind address (default ${DEFAULT-VALUE})")
        String bind;

        @Option(names = "--port", defaultValue = "8443", description = "port (default ${DEFAULT-VALUE})")
        int port;

        @Option(names = "--keystore", paramLabel = "FILE", description = "PKCS12 keystore with the server certificate and key")
        Path keystore;

        @Option(names = "--keystore-password-env", paramLabel = "VAR", description = "environment variable holding the keystore password")
        String keystorePasswordEnv;

        @Option(names = "--truststore", paramLabel = "FILE", description = "PKCS12 truststore: require client certificates signed by these CAs")
        Path truststore;

        @Option(names = "--truststore-password-env", paramLabel = "VAR", description = "environment variable holding the truststore password")
        String truststorePasswordEnv;

        @Option(names = "--token-file", paramLabel = "FILE", description = "file holding the bearer token brokers must send")
        Path tokenFile;

        @Option(names = "--token-env", paramLabel = "VAR", description = "environment variable holding the bearer token")
        String tokenEnv;

        @Option(names = "--insecure-plaintext-loopback", description = "plain HTTP, only on a loopback address (testing)")
        boolean plaintext;

        @Option(names = "--max-request-bytes", defaultValue = "16384", description = "largest request body (default ${DEFAULT-VALUE})")
        int maxRequestBytes;

        @Option(names = "--decision-log", paramLabel = "FILE", description = "JSON-lines decision log (denials always, allows sampled)")
        Path decisionLog;

        @Option(names = "--watch", defaultValue = "2s", description = "policy change polling interval (default ${DEFAULT-VALUE})")
        String watch;

        @Override public Integer call() throws IOException, InterruptedException {
            Duration every;
            try {
                every = Duration.parse("PT" + watch.toUpperCase());
            } catch (RuntimeException e) {
                spec.commandLine().getErr().println("error: --watch `" + watch + "` is not a duration such as 2s or 500ms");
                return ExitCode.INVALID;
            }
            DecisionLog log = decisionLog == null ? null : new DecisionLog(decisionLog, 64L << 20, 5, 100, 10_000);
            Enforcer.Builder b = Enforcer.builder().policy(policy).params(params).watch(every).log(log);
            if (authorize != null) b.authorize(authorize);
            Enforcer enforcer = b.build();
            Enforcer.ReloadResult r = enforcer.lastReload();
            spec.commandLine().getErr().println((r.ok() ? "warden: " : "warden: ERROR: ") + r.message().lines().findFirst().orElse("")
                    + (r.ok() ? "" : " - every request will be denied until the policy is fixed"));
            PdpServer.Options o = new PdpServer.Options().bind(bind).port(port).maxRequestBytes(maxRequestBytes).enforcer(enforcer)
                    .insecurePlaintextLoopback(plaintext);
            if (keystore != null) o.keystore(keystore, secret(keystorePasswordEnv));
            if (truststore != null) o.truststore(truststore, secret(truststorePasswordEnv)).requireClientCert(true);
            if (tokenFile != null) o.tokenFromFile(tokenFile);
            if (tokenEnv != null) o.tokenFromEnv(tokenEnv);
            PdpServer server;
            try {
                server = PdpServer.start(o);
            } catch (IllegalArgumentException | IllegalStateException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                enforcer.close();
                return ExitCode.INVALID;
            }
            spec.commandLine().getErr().println("warden: decision service listening on " + (plaintext ? "http" : "https") + "://" + bind + ":" + server.port());
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                enforcer.close();
                if (log != null) log.close();
                stop.countDown();
            }));
            stop.await();
            return ExitCode.OK;
        }

        private static char[] secret(String env) {
            if (env == null) return new char[0];
            String v = System.getenv(env);
            return v == null ? new char[0] : v.toCharArray();
        }
    }
}
