package dev.warden.hivemq;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import dev.warden.eval.authz.DecisionLog;
import dev.warden.eval.authz.Enforcer;

import java.nio.file.Path;

/**
 * The Warden HiveMQ extension: enforces one {@code authorize} block at CONNECT, PUBLISH, SUBSCRIBE and delivery, through
 * its own hooks or (enforcement = permissions) through per-client HiveMQ permissions for PUBLISH.
 * Fail-closed: the authenticator is registered even when the configuration or the policy is broken, and then it
 * refuses every client (HiveMQ would otherwise let everyone in).
 */
public final class WardenExtensionMain implements ExtensionMain {
    private static final System.Logger LOG = System.getLogger("dev.warden.hivemq");

    private final WardenConfig given;
    private final Path configFile;
    private Enforcer enforcer;
    private DecisionLog log;
    private WardenHooks hooks;

    /** Packaged use: reads {@code conf/warden.properties} from the extension folder. */
    public WardenExtensionMain() {
        this.given = null;
        this.configFile = null;
    }

    /** Embedded use with a configuration file; relative paths resolve against the file's folder's parent. */
    public WardenExtensionMain(Path configFile) {
        this.given = null;
        this.configFile = configFile;
    }

    /** Embedded use with settings built in code. */
    public WardenExtensionMain(WardenConfig config) {
        this.given = config;
        this.configFile = null;
    }

    @Override
    public void extensionStart(ExtensionStartInput in, ExtensionStartOutput out) {
        try {
            start(in);
        } catch (Throwable t) { // HiveMQ would disable the extension and admit everyone: refuse everyone instead
            Services.securityRegistry().setAuthenticatorProvider(i -> new RefuseAll("the Warden extension failed to start; every client is refused"));
            System.err.println("warden: EXTENSION FAILED TO START - REFUSING EVERY CLIENT: " + t);
            LOG.log(System.Logger.Level.ERROR, "warden: extension failed to start - refusing every client", t);
        }
    }

    private void start(ExtensionStartInput in) {
        WardenConfig cfg = given;
        String broken = null;
        if (cfg == null) {
            Path home = configFile != null ? configFile.toAbsolutePath().getParent().getParent()
                    : in.getExtensionInformation().getExtensionHomeFolder().toPath();
            Path file = configFile != null ? configFile : home.resolve("conf").resolve("warden.properties");
            try {
                cfg = WardenConfig.read(file, home);
            } catch (WardenConfig.ConfigException e) {
                broken = "configuration error, see the broker log";
                LOG.log(System.Logger.Level.ERROR, "warden: INVALID CONFIGURATION - REFUSING EVERY CLIENT:\n" + e.getMessage());
            }
        }
        if (cfg != null) {
            Enforcer.Builder b = Enforcer.builder().policy(cfg.policy()).params(cfg.params());
            if (cfg.authorize() != null) b.authorize(cfg.authorize());
            if (cfg.decisionLog() != null) {
                log = new DecisionLog(cfg.decisionLog(), cfg.decisionLogMaxBytes(), cfg.decisionLogKeep(), cfg.decisionLogAllowSample(), cfg.decisionLogQueue());
                b.log(log);
            }
            if (cfg.watch() != null) b.watch(cfg.watch());
            enforcer = b.build();
            Enforcer.ReloadResult r = enforcer.lastReload();
            if (r.ok()) LOG.log(System.Logger.Level.INFO, "warden: " + r.message());
        }
        WardenConfig c = cfg == null ? WardenConfig.of(Path.of(".")) : cfg; // no configuration: hooks that refuse everyone
        hooks = new WardenHooks(enforcer, c, broken);
        WardenHooks h = hooks;
        Services.securityRegistry().setAuthenticatorProvider(i -> h.authenticator);
        // no authorizer: with any authorizer provider registered HiveMQ runs an extension task for every PUBLISH. Warden's
        // interceptors decide PUBLISH (hooks) and SUBSCRIBE; HiveMQ applies the per-client permission list set at CONNECT
        Services.initializerRegistry().setClientInitializer((i, ctx) -> h.conn(i.getConnectionInformation(), i.getClientInformation().getClientId())
                .initialize(ctx));
        Services.eventRegistry().setClientLifecycleEventListener(i -> h.lifecycle);
        if (enforcer != null && c.receiveCheck() == WardenConfig.ReceiveCheck.RELOAD) {
            // before a new policy is swapped in, connections admitted under the old one start checking deliveries
            enforcer.onPolicyChange(h::beforeSwap);
        }
        if (enforcer != null && c.enforcement() == WardenConfig.Enforcement.PERMISSIONS) enforcer.onPolicyChange(h::afterSwap);
    }

    @Override
    public void extensionStop(ExtensionStopInput in, ExtensionStopOutput out) {
        if (enforcer != null) enforcer.close();
        if (log != null) log.close();
    }

    /** The enforcer in use; null when the configuration could not be read. */
    public Enforcer enforcer() { return enforcer; }

    /** Connections Warden currently tracks. */
    public int trackedConnections() { return hooks == null ? 0 : hooks.connections(); }

    /** Tracked connections whose every delivery is checked against their receive rights. */
    public int deliveryCheckedConnections() { return hooks == null ? 0 : hooks.deliveryChecked(); }
}
