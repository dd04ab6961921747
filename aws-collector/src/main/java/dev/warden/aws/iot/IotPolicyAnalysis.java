package dev.warden.aws.iot;

import java.util.List;

/**
 * What a reviewer asks of an AWS IoT policy document, answered with IoT policy semantics (see
 * {@link IotPolicyAnalyzer}). Topic patterns are IoT policy globs without the {@code arn:aws:iot:...:topic/}
 * (or {@code topicfilter/}) prefix. {@code problems} lists why the document could not be read completely.
 */
public record IotPolicyAnalysis(List<Statement> statements, String connectScope, List<String> publishTopics,
                                List<String> receiveTopics, List<String> subscribeFilters, boolean crossDeviceReach,
                                boolean overlyPermissive, List<String> overlyPermissiveReasons, List<String> ineffectiveDenies,
                                List<String> spoofableVariables, List<String> problems) {
    public IotPolicyAnalysis {
        statements = List.copyOf(statements);
        publishTopics = List.copyOf(publishTopics);
        receiveTopics = List.copyOf(receiveTopics);
        subscribeFilters = List.copyOf(subscribeFilters);
        overlyPermissiveReasons = List.copyOf(overlyPermissiveReasons);
        ineffectiveDenies = List.copyOf(ineffectiveDenies);
        spoofableVariables = List.copyOf(spoofableVariables);
        problems = List.copyOf(problems);
    }

    /** One statement as written. */
    public record Statement(String effect, List<String> actions, List<String> resources, boolean hasCondition) {
        public Statement {
            actions = List.copyOf(actions);
            resources = List.copyOf(resources);
        }
    }
}
