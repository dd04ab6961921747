package dev.warden.mosquitto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The ACL file reader, line by line, against mosquitto 2.0's aclfile__parse. */
class AclReaderTest {

    private static List<AclReader.Rule> read(String text, Diags diags) {
        return AclReader.read(text.getBytes(StandardCharsets.UTF_8), "acl", diags);
    }

    /** kind|scope|user|access|topic of the single rule read from a file (after the given lines). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "topic a/b                          | topic   | anonymous | -     | readwrite | a/b",
            "topic read                         | topic   | anonymous | -     | readwrite | read",
            "topic read a b                     | topic   | anonymous | -     | read      | a b",
            "   topic write   x/y               | topic   | anonymous | -     | write     | x/y",
            "topic deny secret/#                | topic   | anonymous | -     | deny      | secret/#",
            "user  bob  \\ntopic #              | topic   | user      | bob   | readwrite | #",
            "user bob\\npattern read %u/in      | pattern | pattern   | -     | read      | ${username}/in",
            "pattern dev-%c/%%c                 | pattern | pattern   | -     | readwrite | dev-${client.id}/%${client.id}",
            "topic devices/%c/#                 | topic   | anonymous | -     | readwrite | devices/%c/#",
            "user a\\nuser b\\ntopic t          | topic   | user      | b     | readwrite | t",
    })
    void readsOneRule(String text, String kind, String scope, String user, String access, String topic) {
        Diags diags = new Diags();
        List<AclReader.Rule> rules = read(text.replace("\\n", "\n"), diags);
        assertEquals(List.of(), diags.all());
        assertEquals(1, rules.size());
        AclReader.Rule r = rules.get(0);
        assertEquals(kind, r.kind());
        assertEquals(scope, r.scope());
        assertEquals(user, r.user());
        assertEquals(access, r.access());
        assertEquals(topic, r.topic().toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "topic                | mosquitto.acl.bad_line",
            "topic rw a           | mosquitto.acl.bad_line",
            "user                 | mosquitto.acl.bad_line",
            "'  # indented'       | mosquitto.acl.bad_line",
            "'\ttopic a'          | mosquitto.acl.bad_line",
            "group admins         | mosquitto.acl.bad_line",
            "topic a/b#           | mosquitto.acl.bad_topic",
            "topic read a+/b      | mosquitto.acl.bad_topic",
            "pattern #/x          | mosquitto.acl.bad_topic",
            "topic a/${b}         | mosquitto.acl.unrepresentable_topic",
            "topic $share/g       | mosquitto.acl.unrepresentable_topic",
    })
    void reportsBadLines(String line, String code) {
        Diags diags = new Diags();
        read("# ok\n" + line + "\ntopic still/read\n", diags);
        assertEquals(1, diags.all().size(), diags.all().toString());
        assertEquals(code, diags.all().get(0).code());
        assertEquals("acl:2", diags.all().get(0).at().display());
        assertEquals(1, read("# ok\n" + line + "\ntopic still/read\n", new Diags()).stream().filter(r -> r.line() == 3).count());
    }

    @Test
    void commentsAndBlankLinesAreSkipped() {
        Diags diags = new Diags();
        List<AclReader.Rule> rules = read("# c\n\n   \n#topic x\ntopic y   \r\n", diags);
        assertEquals(List.of(), diags.all());
        assertEquals(1, rules.size());
        assertEquals(5, rules.get(0).line());
        assertEquals("y", rules.get(0).rawTopic());
    }

    @Test
    void unrepresentableTopicsKeepTheRuleWithoutAFilter() {
        AclReader.Rule r = read("topic a/${b}\n", new Diags()).get(0);
        assertNull(r.topic());
        assertEquals("a/${b}", r.rawTopic());
    }

    @Test
    void mosquittoTopicCheck() {
        assertNull(AclReader.mosquittoTopicProblem("a/+/b/#"));
        assertNull(AclReader.mosquittoTopicProblem("+"));
        assertNull(AclReader.mosquittoTopicProblem("#"));
        assertNull(AclReader.mosquittoTopicProblem("a//b"));
        assertEquals("`+` must occupy a whole level", AclReader.mosquittoTopicProblem("a/b+"));
        assertEquals("`#` must be the whole last level", AclReader.mosquittoTopicProblem("a/#/b"));
    }
}
