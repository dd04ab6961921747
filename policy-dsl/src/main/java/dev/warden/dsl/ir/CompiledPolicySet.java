package dev.warden.dsl.ir;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The immutable, thread-safe result of compiling one or more policy files. */
public final class CompiledPolicySet {
    private final List<CompiledControl> controls;
    private final Map<String, ParamInfo> params;
    private final List<CompiledTest> tests;
    private final List<String> files;
    private final List<AuthzPolicy> authorizations;

    public CompiledPolicySet(List<CompiledControl> controls, Map<String, ParamInfo> params, List<CompiledTest> tests, List<String> files) {
        this(controls, params, tests, files, List.of());
    }

    public CompiledPolicySet(List<CompiledControl> controls, Map<String, ParamInfo> params, List<CompiledTest> tests, List<String> files,
                             List<AuthzPolicy> authorizations) {
        this.authorizations = List.copyOf(authorizations);
        this.controls = List.copyOf(controls);
        this.params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
        this.tests = List.copyOf(tests);
        this.files = List.copyOf(files);
    }

    public List<CompiledControl> controls() { return controls; }

    public Optional<CompiledControl> control(String id) { return controls.stream().filter(c -> c.id().equals(id)).findFirst(); }

    /** Params by key ({@code package.name}). */
    public Map<String, ParamInfo> params() { return params; }

    public List<CompiledTest> tests() { return tests; }

    /** The runtime authorization blocks, in source order. */
    public List<AuthzPolicy> authorizations() { return authorizations; }

    /** The runtime authorization block with this name. */
    public Optional<AuthzPolicy> authorization(String name) {
        return authorizations.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** The policy files compiled into this set. */
    public List<String> files() { return files; }
}
