package dev.warden.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Generates a large {@code warden.aws-snapshot/v1} file: IoT policies of realistic shapes and security groups. */
public final class AwsWorkload {
    private AwsWorkload() {}

    private static final String[] DOCS = {
        // least privilege: the thing's own client id and namespace
        "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"iot:Connect\\\",\\\"Resource\\\":\\\"arn:aws:iot:eu-west-1:123456789012:client/${iot:Connection.Thing.ThingName}\\\"},"
            + "{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":[\\\"iot:Publish\\\",\\\"iot:Receive\\\"],\\\"Resource\\\":\\\"arn:aws:iot:eu-west-1:123456789012:topic/devices/${iot:Connection.Thing.ThingName}/*\\\"},"
            + "{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"iot:Subscribe\\\",\\\"Resource\\\":\\\"arn:aws:iot:eu-west-1:123456789012:topicfilter/devices/${iot:Connection.Thing.ThingName}/*\\\"}]}",
        // wide open
        "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"iot:*\\\",\\\"Resource\\\":\\\"*\\\"}]}",
        // spoofable client id scope plus an ineffective deny
        "{\\\"Version\\\":\\\"2012-10-17\\\",\\\"Statement\\\":[{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"iot:Connect\\\",\\\"Resource\\\":\\\"arn:aws:iot:eu-west-1:123456789012:client/*\\\"},"
            + "{\\\"Effect\\\":\\\"Allow\\\",\\\"Action\\\":\\\"iot:Publish\\\",\\\"Resource\\\":\\\"arn:aws:iot:eu-west-1:123456789012:topic/d/${iot:ClientId}/*\\\"},"
            + "{\\\"Effect\\\":\\\"Deny\\\",\\\"Action\\\":\\\"iot:Publish\\\",\\\"Resource\\\":\\\"arn:aws:iot:eu-west-1:123456789012:topic/d/admin/#\\\"}]}",
    };

    /**
     * Writes the snapshot with {@code policies} IoT policies and {@code groups} security groups; returns its path.
     * With {@code unique}, every policy document differs (a per-policy topic), so no analysis can be reused.
     */
    public static Path generate(Path dir, int policies, int groups, boolean unique) throws IOException {
        Files.createDirectories(dir);
        StringBuilder b = new StringBuilder(400 * policies + 600 * groups);
        b.append("{\"schema\": \"warden.aws-snapshot/v1\", \"collected_at\": \"2026-01-01T00:00:00Z\", \"regions\": [\"eu-west-1\"], \"faults\": [],\n");
        b.append(" \"data\": {\"eu-west-1\": {\"iot\": {\"policies\": [\n");
        for (int i = 0; i < policies; i++) {
            if (i > 0) b.append(",\n");
            b.append("{\"policyName\": \"p").append(i).append("\", \"policyArn\": \"arn:aws:iot:eu-west-1:123456789012:policy/p").append(i)
             .append("\", \"targets\": [\"arn:aws:iot:eu-west-1:123456789012:cert/c").append(i).append("\"], \"policyDocument\": \"")
             .append(unique ? DOCS[i % DOCS.length].replaceFirst("\\{\\\\\"Effect", "{\\\\\"Sid\\\\\":\\\\\"s" + i + "\\\\\",\\\\\"Effect") : DOCS[i % DOCS.length]).append("\"}");
        }
        b.append("]}, \"ec2\": {\"SecurityGroups\": [\n");
        for (int i = 0; i < groups; i++) {
            if (i > 0) b.append(",\n");
            String open = i % 4 == 0 ? "0.0.0.0/0" : "10." + (i % 250) + ".0.0/16";
            b.append("{\"GroupId\": \"sg-").append(String.format("%08x", i)).append("\", \"GroupName\": \"g").append(i)
             .append("\", \"VpcId\": \"vpc-1\", \"OwnerId\": \"123456789012\", \"IpPermissions\": [")
             .append("{\"IpProtocol\": \"tcp\", \"FromPort\": 8883, \"ToPort\": 8883, \"IpRanges\": [{\"CidrIp\": \"").append(open).append("\"}], \"Ipv6Ranges\": [], \"UserIdGroupPairs\": [], \"PrefixListIds\": []},")
             .append("{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22, \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}], \"Ipv6Ranges\": [], \"UserIdGroupPairs\": [], \"PrefixListIds\": []}")
             .append("], \"IpPermissionsEgress\": []}");
        }
        b.append("]}, \"wafv2\": {}}}}\n");
        Path out = dir.resolve("snapshot.json");
        Files.writeString(out, b, StandardCharsets.UTF_8);
        return out;
    }
}
