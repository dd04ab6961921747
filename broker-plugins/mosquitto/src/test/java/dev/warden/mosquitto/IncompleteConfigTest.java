package dev.warden.mosquitto;

import dev.warden.model.fact.FactSet;
import dev.warden.model.fact.Value;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A configuration with an unreadable part never yields facts that look complete. */
class IncompleteConfigTest {

    @Test
    void missingIncludeDirMakesDefaultsAndCollectionsUnknown(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener 8883\ncertfile a.crt\nkeyfile a.key\nmax_packet_size 1024\ninclude_dir conf.d\n");
        FactSet facts = MosquittoCollector.collect(conf, MosquittoCollector.Options.ofRoot(dir));
        assertTrue(facts.diagnostics().stream().anyMatch(d -> d.code().equals("mosquitto.missing_include")));
        Value.Obj broker = (Value.Obj) facts.targets("broker").get(0);

        List<Value> listeners = ((Value.Items) broker.get("listeners")).items();
        assertEquals(2, listeners.size(), "the listener that was read, plus an unknown one for the missing files");
        Value.Obj l = (Value.Obj) listeners.get(0);
        assertEquals(new Value.Bool(true, l.get("tls").origin()).v(), ((Value.Bool) ((Value.Obj) l.get("tls")).get("enabled")).v());
        assertInstanceOf(Value.Unknown.class, ((Value.Obj) l.get("auth")).get("anonymous"), "broker-wide auth default may be changed by the include");
        Value.Unknown missing = assertInstanceOf(Value.Unknown.class, listeners.get(1));
        assertTrue(missing.reason().contains("include directory `conf.d`"), missing.reason());

        Value.Obj limits = (Value.Obj) broker.get("limits");
        assertInstanceOf(Value.Size.class, limits.get("max_packet_size"), "explicit values are kept");
        assertInstanceOf(Value.Unknown.class, limits.get("max_keepalive"), "defaults are no longer known");
        assertInstanceOf(Value.Unknown.class, broker.get("sys_interval"));
    }

    @Test
    void completeConfigHasNoUnknownElements(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, "listener 8883\n");
        Value.Obj broker = (Value.Obj) MosquittoCollector.collect(conf, MosquittoCollector.Options.ofRoot(dir)).targets("broker").get(0);
        assertTrue(((Value.Items) broker.get("listeners")).items().stream().noneMatch(v -> v instanceof Value.Unknown));
        assertInstanceOf(Value.Dur.class, ((Value.Obj) broker.get("limits")).get("max_keepalive"));
    }
}
