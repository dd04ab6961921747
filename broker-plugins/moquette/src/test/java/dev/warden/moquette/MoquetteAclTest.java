package dev.warden.moquette;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** Moquette's own ACL-file authorizator (the benchmark peer), called the way the broker calls it. */
class MoquetteAclTest {
    static final String ACL = """
            # global
            topic read broadcast/+
            user ops
            topic readwrite devices/+/commands/+
            pattern write devices/%c/telemetry/+
            pattern read devices/%c/commands/+
            """;

    @Test
    void answersAsMoquetteDoes() {
        MoquetteAcl acl = MoquetteAcl.parse(ACL);
        assertTrue(acl.canWrite("devices/d1/telemetry/t", "d1", "d1"));
        assertFalse(acl.canWrite("devices/d2/telemetry/t", "d1", "d1"));
        assertTrue(acl.canRead("devices/d1/commands/reboot", "d1", "d1"));
        assertTrue(acl.canRead("broadcast/all", null, "anon"));
        assertFalse(acl.canWrite("broadcast/all", null, "anon"));
        assertTrue(acl.canWrite("devices/x/commands/y", "ops", "console"));
        assertTrue(acl.canRead("devices/+/commands/+", "ops", "console"));
        assertFalse(acl.canRead("devices/+/commands/+", "d1", "d1"));
    }

    @Test
    void moquette017StripsATrailingHashAsAComment() {
        // ACLFileParser's end-of-line comment pattern ^([\w\s/+]+#?)(\s*#.*)$ turns `topic read a/#` into `topic read a/`
        MoquetteAcl acl = MoquetteAcl.parse("topic read broadcast/#\ntopic read other-x/#\n");
        assertFalse(acl.canRead("broadcast/all", "u", "c"), "the `#` line grants nothing in 0.17");
        assertTrue(acl.canRead("other-x/all", "u", "c"), "a `-` before the `#` keeps the pattern from matching the comment rule");
    }

    @Test
    void aMalformedLineIsReportedWithItsLineAndAHint() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MoquetteAcl.parse("topic read a/#\nallow everything\n"));
        assertTrue(e.getMessage().startsWith("moquette acl:2: "), e.getMessage());
        assertTrue(e.getMessage().contains("hint:"), e.getMessage());
    }
}
