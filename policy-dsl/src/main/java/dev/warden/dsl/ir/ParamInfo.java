package dev.warden.dsl.ir;

import dev.warden.model.Origin;
import dev.warden.model.fact.Value;
import dev.warden.model.schema.Type;

/** A declared parameter: its key ({@code package.name}), type, effective value and documentation. */
public record ParamInfo(String key, String name, String packageName, Type type, Value value, boolean overridden, String doc, Origin location) {}
