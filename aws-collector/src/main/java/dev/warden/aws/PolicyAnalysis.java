package dev.warden.aws;

import dev.warden.aws.iot.IotPolicyAnalysis;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * The one place the collector calls {@code dev.warden.aws.iot.IotPolicyAnalyzer.analyze(String)}. Looked up
 * reflectively while the analyzer is developed alongside; when it is absent every derived field is unknown.
 */
final class PolicyAnalysis {
    private PolicyAnalysis() {}

    private static final Method ANALYZE = find();

    private static Method find() {
        try {
            return Class.forName("dev.warden.aws.iot.IotPolicyAnalyzer").getMethod("analyze", String.class);
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    static IotPolicyAnalysis analyze(String documentJson) {
        if (ANALYZE == null) {
            return new IotPolicyAnalysis(List.of(), null, List.of(), List.of(), List.of(), false, false, List.of(), List.of(), List.of(),
                    List.of("the IoT policy analyzer is not available in this build"));
        }
        try {
            return (IotPolicyAnalysis) ANALYZE.invoke(null, documentJson);
        } catch (InvocationTargetException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
