package dev.warden.mosquitto;

import dev.warden.model.Origin;

/** A configured value with the line that set it; {@code seq} orders settings across files. */
record Src<T>(T value, Origin origin, long seq) {}
