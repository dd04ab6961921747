package dev.warden.aws.iot;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IotGlobTest {

    static IotGlob g(String s) {
        return IotGlob.parse(s);
    }

    @Test
    void starSpansSlashesAndMayBeEmpty() {
        assertTrue(g("things/*").matches("things/a/b/c"));
        assertTrue(g("things/*").matches("things/"));
        assertFalse(g("things/*").matches("things"));
        assertTrue(g("*").matches(""));
        assertTrue(g("a*b*c").matches("a/x/b/y/c"));
    }

    @Test
    void questionMarkIsExactlyOneCharacterIncludingSlash() {
        assertTrue(g("dev?").matches("dev1"));
        assertFalse(g("dev?").matches("dev"));
        assertFalse(g("dev?").matches("dev12"));
        assertTrue(g("a?b").matches("a/b"));
    }

    @Test
    void mqttWildcardsAreLiteral() {
        assertTrue(g("building/#").matches("building/#"));
        assertFalse(g("building/#").matches("building/control_room"));
        assertTrue(g("devices/+/temp").matches("devices/+/temp"));
        assertFalse(g("devices/+/temp").matches("devices/d1/temp"));
        assertFalse(IotGlob.subset(g("building/*"), g("building/#")));
        assertTrue(IotGlob.subset(g("building/#"), g("building/*")));
    }

    @Test
    void escapes() {
        assertTrue(g("a$(*)b").matches("a*b"));
        assertFalse(g("a$(*)b").matches("axb"));
        assertTrue(g("a$(?)").matches("a?"));
        assertFalse(g("a$(?)").matches("ab"));
        assertTrue(g("cost$($)").matches("cost$"));
        assertTrue(g("a${*}b").matches("a*b"));
        assertFalse(g("a${*}b").matches("axb"));
        assertEquals("a$(*)b", g("a$(*)b").toString());
        assertEquals("x$(?)", g("x${?}").toString());
        // an unterminated ${ is literal text
        assertTrue(g("a${b").matches("a${b"));
        // a lone $ is literal
        assertTrue(g("$aws/things").matches("$aws/things"));
    }

    @Test
    void variablesAreSymbols() {
        IotGlob own = g("things/${iot:Connection.Thing.ThingName}/*");
        assertTrue(own.matches("things/${iot:Connection.Thing.ThingName}/shadow"));
        assertFalse(own.matches("things/other/shadow"));
        assertTrue(IotGlob.subset(own, g("things/*")));
        assertFalse(IotGlob.subset(g("things/*"), own));
        // the same variable is the same value
        assertTrue(IotGlob.subset(own, g("things/${iot:Connection.Thing.ThingName}/*")));
        assertFalse(IotGlob.subset(own, g("things/${iot:ClientId}/*")));
        // '?' is one character, a variable may be longer: not a sound cover
        assertFalse(IotGlob.subset(g("a/${iot:ClientId}"), g("a/?")));
        // intersects reads variables as '*'
        assertTrue(IotGlob.intersects(g("a/${iot:ClientId}"), g("a/b")));
    }

    @Test
    void subsetAndIntersectsGiveWitnesses() {
        assertEquals("a/", IotGlob.subsetCounterexample(g("a/*"), List.of(g("a/b*"))).orElseThrow());
        assertTrue(IotGlob.subset(g("a/b*"), List.of(g("a/*"))));
        assertTrue(IotGlob.subset(g("a*"), List.of(g("a"), g("a?*"))));
        assertEquals("ab", IotGlob.intersection(g("a*"), g("*b")).orElseThrow());
        assertFalse(IotGlob.intersects(g("a?"), g("abc*")));
    }

    @Test
    void residualStripsTheArnPrefixExactly() {
        assertEquals(List.of("*"), IotGlob.render(g("*").residualFor("topic")));
        assertEquals(List.of("sensors/*"), IotGlob.render(g("arn:aws:iot:us-east-1:123456789012:topic/sensors/*").residualFor("topic")));
        assertEquals(List.of(), g("arn:aws:iot:us-east-1:123456789012:topicfilter/sensors/*").residualFor("topic"));
        assertEquals(List.of("sensors/*"), IotGlob.render(g("arn:aws:iot:us-east-1:123456789012:topicfilter/sensors/*").residualFor("topicfilter")));
        assertEquals(List.of("*"), IotGlob.render(g("arn:aws:iot:*:*:topic*").residualFor("topic")));
        assertEquals(List.of("*"), IotGlob.render(g("arn:aws:iot:*").residualFor("client")));
        assertEquals(List.of("${iot:Connection.Thing.ThingName}"),
                IotGlob.render(g("arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}").residualFor("client")));
        assertEquals(List.of(), g("arn:aws:s3:::bucket/*").residualFor("topic"));
        assertEquals(List.of("a/*"), IotGlob.render(g("arn:aws-cn:iot:cn-north-1:1:topic/a/*").residualFor("topic")));
    }

    @Test
    void minimalDropsContainedPatterns() {
        assertEquals(List.of("a/*"), IotGlob.render(IotGlob.minimal(List.of(g("a/b"), g("a/*"), g("a/*")))));
    }
}
