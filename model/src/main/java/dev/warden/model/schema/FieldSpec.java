package dev.warden.model.schema;

/** One field of an object type: name, type, whether it may be "not set", and what it means. */
public record FieldSpec(String name, Type type, boolean nullable, String doc) {}
