package dev.warden.aws;

import dev.warden.aws.iot.IotPolicyAnalysis;
import dev.warden.aws.iot.IotPolicyAnalyzer;

/** The one place the collector calls the IoT policy analyzer. */
final class PolicyAnalysis {
    private PolicyAnalysis() {}

    static IotPolicyAnalysis analyze(String documentJson) { return IotPolicyAnalyzer.analyze(documentJson); }
}
