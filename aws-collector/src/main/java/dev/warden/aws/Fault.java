package dev.warden.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Set;

/**
 * A call that failed, as data. {@code section} names the part of the snapshot that is missing because of it
 * (e.g. {@code iot.policies}), or is empty when only one resource's field is missing.
 */
record Fault(String region, String section, String code, String scope, String call, String message, String help) {

    static final String ACCESS_DENIED = "aws.access_denied";
    static final String THROTTLED = "aws.throttled";
    static final String SERVICE_ERROR = "aws.service_error";
    static final String REGION_DISABLED = "aws.region_disabled";
    static final String TIMEOUT = "aws.timeout";
    static final String UNREACHABLE = "aws.unreachable";
    static final String API_ERROR = "aws.api_error";
    static final String BAD_INPUT = "aws.bad_input";

    private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation",
            "UnauthorizedException", "WAFAccessDeniedException", "Forbidden");
    private static final Set<String> DISABLED = Set.of("OptInRequired", "UnrecognizedClientException", "InvalidClientTokenId", "AuthFailure");

    /** Classifies what a call threw. {@code scope} is e.g. {@code iot:eu-west-1}. */
    static Fault of(Throwable t, String region, String section, String scope, String call) {
        Throwable e = t;
        while ((e instanceof java.util.concurrent.CompletionException || e instanceof java.util.concurrent.ExecutionException) && e.getCause() != null) e = e.getCause();
        String what = "`" + call + "` in " + scope;
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException || rootIs(e, SocketTimeoutException.class)) {
            return new Fault(region, section, TIMEOUT, scope, call, what + " timed out", "the service answered too slowly; run again, or raise --timeout");
        }
        if (e instanceof SdkServiceException se) {
            String code = se instanceof AwsServiceException ae && ae.awsErrorDetails() != null && ae.awsErrorDetails().errorCode() != null
                    ? ae.awsErrorDetails().errorCode() : "";
            String msg = se instanceof AwsServiceException ae && ae.awsErrorDetails() != null && ae.awsErrorDetails().errorMessage() != null
                    ? ae.awsErrorDetails().errorMessage() : "HTTP " + se.statusCode();
            if (se.isThrottlingException() || se.statusCode() == 429 || code.contains("Throttl") || code.equals("RequestLimitExceeded")) {
                return new Fault(region, section, THROTTLED, scope, call, what + " was still throttled after retries (" + code(code, se) + ")",
                        "run again later, or lower --concurrency");
            }
            if (DISABLED.contains(code) || (se.statusCode() == 401 && code.isEmpty())) {
                return new Fault(region, section, REGION_DISABLED, scope, call, what + " was refused: the region is not enabled for this account or rejects these credentials (" + code(code, se) + ")",
                        "enable the region, or leave it out with --region");
            }
            if (se.statusCode() == 403 || DENIED.contains(code)) {
                return new Fault(region, section, ACCESS_DENIED, scope, call, what + " was denied (" + code(code, se) + "): " + msg,
                        "allow `" + scope.substring(0, scope.indexOf(':')) + ":" + call + "` for these credentials (docs/aws.md lists the read-only policy)");
            }
            if (se.statusCode() >= 500) {
                return new Fault(region, section, SERVICE_ERROR, scope, call, what + " failed on the service side (" + code(code, se) + ")", "run again later");
            }
            return new Fault(region, section, API_ERROR, scope, call, what + " failed (" + code(code, se) + "): " + msg, "");
        }
        if (e instanceof SdkClientException && (rootIs(e, UnknownHostException.class) || rootIs(e, ConnectException.class))) {
            return new Fault(region, section, UNREACHABLE, scope, call, what + " could not reach the endpoint: " + root(e).getMessage(),
                    "check the network, the region name and --endpoint-url");
        }
        return new Fault(region, section, API_ERROR, scope, call, what + " failed: " + e, "");
    }

    private static String code(String code, SdkServiceException se) { return code.isEmpty() ? "HTTP " + se.statusCode() : code; }

    private static boolean rootIs(Throwable e, Class<? extends Throwable> c) {
        for (Throwable x = e; x != null; x = x.getCause()) if (c.isInstance(x)) return true;
        return false;
    }

    private static Throwable root(Throwable e) {
        Throwable x = e;
        while (x.getCause() != null && x.getCause() != x) x = x.getCause();
        return x;
    }
}
