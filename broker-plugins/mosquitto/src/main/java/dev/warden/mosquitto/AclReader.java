package dev.warden.mosquitto;

import dev.warden.model.Origin;
import dev.warden.model.types.TopicFilter;

import java.util.ArrayList;
import java.util.List;

import static dev.warden.mosquitto.Diags.q;
import static dev.warden.mosquitto.MosquittoDiagnostics.ACL_BAD_LINE;
import static dev.warden.mosquitto.MosquittoDiagnostics.ACL_BAD_TOPIC;
import static dev.warden.mosquitto.MosquittoDiagnostics.ACL_UNREPRESENTABLE_TOPIC;

/**
 * Reads a mosquitto ACL file like mosquitto 2.0's {@code aclfile__parse}: trailing blanks are dropped, {@code #}
 * in the first column starts a comment, words are separated by spaces; {@code user <name>} starts a user's
 * section, {@code topic [read|write|readwrite|deny] <topic>} and {@code pattern [access] <topic>} add rules.
 * mosquitto stops at the first bad line and refuses to start; this reader reports it and reads on.
 */
final class AclReader {
    private AclReader() {}

    /** One {@code topic} or {@code pattern} line. {@code topic} is null when it cannot be represented ({@code topicProblem} says why). */
    record Rule(int line, String kind, String scope, String user, String access, String rawTopic, TopicFilter topic, String topicProblem) {}

    static List<Rule> read(byte[] bytes, String file, Diags diags) {
        List<Rule> out = new ArrayList<>();
        String user = null;
        for (ConfText.Line l : ConfText.lines(bytes, file, diags)) {
            String text = stripTrailingBlanks(l.text());
            if (text.isEmpty() || text.charAt(0) == '#') continue;
            Directive d = Directive.parse(text, Origin.file(file, l.number()));
            if (d == null) continue;
            Origin at = d.origin();
            switch (d.name()) {
                case "topic", "pattern" -> {
                    Rule r = rule(d, user, l.number(), diags);
                    if (r != null) out.add(r);
                }
                case "user" -> {
                    String name = d.restTrimmed();
                    if (name == null) {
                        diags.error(ACL_BAD_LINE, at, "`user` needs a user name",
                                "write `user <name>`; mosquitto refuses to start on this line");
                    } else {
                        user = name;
                    }
                }
                default -> {
                    String help = d.name().startsWith("#") ? "`#` starts a comment only in the first column"
                            : d.name().indexOf('\t') >= 0 ? "mosquitto separates words with spaces only; replace the tab with a space"
                            : "an ACL line starts with `user`, `topic` or `pattern`";
                    diags.error(ACL_BAD_LINE, at, "invalid ACL line starting with " + q(d.name()),
                            help + "; mosquitto refuses to start on this line");
                }
            }
        }
        return out;
    }

    private static Rule rule(Directive d, String user, int line, Diags diags) {
        Origin at = d.origin();
        boolean pattern = d.name().equals("pattern");
        String first = d.next();
        if (first == null) {
            diags.error(ACL_BAD_LINE, at, q(d.name()) + " needs a topic", "write `" + d.name() + " [read|write|readwrite|deny] <topic>`");
            return null;
        }
        String rest = d.restTrimmed();
        String access;
        String topic;
        if (rest == null) {
            access = "readwrite";
            topic = first;
        } else {
            access = first;
            topic = rest;
            if (!List.of("read", "write", "readwrite", "deny").contains(access)) {
                diags.error(ACL_BAD_LINE, at, "invalid ACL access " + q(access),
                        "use `read`, `write`, `readwrite` or `deny` (a topic with spaces needs the access word); mosquitto refuses to start on this line");
                return null;
            }
        }
        String scope = pattern ? "pattern" : user == null ? "anonymous" : "user";
        String lineUser = pattern ? null : user;
        String why = mosquittoTopicProblem(topic);
        if (why != null) {
            diags.error(ACL_BAD_TOPIC, at, "invalid ACL topic " + q(topic) + ": " + why,
                    "mosquitto refuses to start on this line");
            return new Rule(line, d.name(), scope, lineUser, access, topic, null, "ACL topic `" + topic + "` is invalid: " + why);
        }
        if (topic.contains("${")) {
            diags.warning(ACL_UNREPRESENTABLE_TOPIC, at, "acl topic " + q(topic) + " contains `${`, which Warden reads as a variable",
                    "checks over this rule are unknown; rename the topic level if you can");
            return new Rule(line, d.name(), scope, lineUser, access, topic, null, "ACL topic `" + topic + "` contains `${` and cannot be represented");
        }
        String filterText = pattern ? substitute(topic) : topic;
        TopicFilter f = TopicFilter.tryParse(filterText);
        if (f == null) {
            diags.warning(ACL_UNREPRESENTABLE_TOPIC, at, "acl topic " + q(topic) + " is valid for mosquitto but not a topic filter Warden can represent",
                    "checks over this rule are unknown");
            return new Rule(line, d.name(), scope, lineUser, access, topic, null, "ACL topic `" + topic + "` cannot be represented");
        }
        return new Rule(line, d.name(), scope, lineUser, access, topic, f, null);
    }

    /** {@code %c} → {@code ${client.id}}, {@code %u} → {@code ${username}}, scanning like mosquitto does. */
    static String substitute(String topic) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '%' && i + 1 < topic.length()) {
                char n = topic.charAt(i + 1);
                if (n == 'c') { b.append("${client.id}"); i++; continue; }
                if (n == 'u') { b.append("${username}"); i++; continue; }
            }
            b.append(c);
        }
        return b.toString();
    }

    /** mosquitto's {@code mosquitto_sub_topic_check}: null when valid, else why not. */
    static String mosquittoTopicProblem(String t) {
        char prev = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            char next = i + 1 < t.length() ? t.charAt(i + 1) : 0;
            if (c == '+' && ((prev != 0 && prev != '/') || (next != 0 && next != '/'))) return "`+` must occupy a whole level";
            if (c == '#' && ((prev != 0 && prev != '/') || next != 0)) return "`#` must be the whole last level";
            prev = c;
        }
        if (t.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 65535) return "it is longer than 65535 bytes";
        return null;
    }

    private static String stripTrailingBlanks(String s) {
        int z = s.length();
        while (z > 0 && ConfText.isSpace(s.charAt(z - 1))) z--;
        return s.substring(0, z);
    }
}
