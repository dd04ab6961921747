package dev.warden.aws;

import dev.warden.model.fact.FactSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the capture loop printed in docs/aws.md against a stand-in {@code aws} command that prints what the AWS CLI
 * would, and checks the folder it writes reads like the captures themselves. Needs bash and jq; skipped without them.
 */
class CaptureLoopTest {

    /** Answers {@code aws <service> <op> ...} from a capture folder laid out as docs/aws.md says. */
    static final String FAKE_AWS = """
            #!/usr/bin/env bash
            svc=$1; op=$2; shift 2
            while [ $# -gt 0 ]; do
              case $1 in
                --region) region=$2; shift 2;;
                --policy-name|--certificate-id|--domain-configuration-name|--authorizer-name|--name) name=$2; shift 2;;
                --scope) scope=$2; shift 2;;
                --resource-arn|--web-acl-arn) arn=$2; shift 2;;
                --resource-type) rtype=$2; shift 2;;
                *) shift;;
              esac
            done
            d="$SRC/$region"
            case "$svc $op" in
              "iot get-policy") cat "$d/iot/policies/$name.json";;
              "iot list-targets-for-policy") cat "$d/iot/policy-targets/$name.json";;
              "iot describe-certificate") cat "$d/iot/certificates/$name.json";;
              "iot describe-ca-certificate") cat "$d/iot/ca-certificates/$name.json";;
              "iot describe-domain-configuration") cat "$d/iot/domain-configurations/$name.json";;
              "iot describe-authorizer") cat "$d/iot/authorizers/$name.json";;
              "iot get-v2-logging-options")
                if grep -q notConfigured "$d/iot/get-v2-logging-options.json"; then
                  echo "An error occurred (NotConfiguredException) when calling the GetV2LoggingOptions operation: not configured" >&2; exit 254
                fi
                cat "$d/iot/get-v2-logging-options.json";;
              "iot "*|"ec2 "*) cat "$d/$svc/$op.json";;
              "wafv2 list-web-acls") cat "$d/wafv2/$scope/list-web-acls.json";;
              "wafv2 get-web-acl") cat "$d/wafv2/$scope/$name.json";;
              "wafv2 get-logging-configuration")
                n=$(echo "$arn" | sed -E 's#.*/webacl/([^/]+)/.*#\\1#')
                f=$(ls "$d"/wafv2/*/"$n.logging.json")
                if [ "$(jq 'has("LoggingConfiguration")' "$f")" = false ]; then
                  echo "An error occurred (WAFNonexistentItemException) when calling the GetLoggingConfiguration operation" >&2; exit 254
                fi
                cat "$f";;
              "wafv2 list-resources-for-web-acl")
                n=$(echo "$arn" | sed -E 's#.*/webacl/([^/]+)/.*#\\1#')
                if [ "$rtype" = APPLICATION_LOAD_BALANCER ]; then cat "$d/wafv2/REGIONAL/$n.resources.json"; else echo '{"ResourceArns": []}'; fi;;
              *) echo "unexpected: aws $svc $op" >&2; exit 2;;
            esac
            """;

    static boolean has(String tool) {
        try {
            return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void theDocumentedLoopWritesAFolderWardenReads(@TempDir Path dir) throws Exception {
        assumeTrue(has("bash") && has("jq"), "needs bash and jq");
        String doc = Files.readString(Path.of("..", "docs", "aws.md"));
        int from = doc.indexOf("```bash\n") + "```bash\n".length();
        String loop = doc.substring(from, doc.indexOf("```", from));
        Path src = dir.resolve("src"), out = dir.resolve("out"), bin = dir.resolve("bin");
        try (FakeAws aws = new FakeAws()) {
            CliCapturesTest.capture(aws.world, src);
        }
        Files.createDirectories(bin);
        Path fake = bin.resolve("aws");
        Files.writeString(fake, FAKE_AWS);
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path script = dir.resolve("capture.sh");
        Files.writeString(script, loop);
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), out.toString()).redirectErrorStream(true);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("SRC", src.toString());
        pb.environment().put("REGIONS", "eu-west-1 us-east-1");
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), log);
        assertTrue(Files.isRegularFile(out.resolve("collected_at.txt")));
        FactSet want = AwsCollector.readSnapshot(src, AwsCollectorLiveTest.CLOCK);
        FactSet got = AwsCollector.readSnapshot(out, AwsCollectorLiveTest.CLOCK);
        assertEquals(List.of(), got.diagnostics(), log);
        AwsCollectorLiveTest.assertSameFacts(want, got);
    }
}
