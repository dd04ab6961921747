package dev.warden.model;

import java.util.Locale;
import java.util.Optional;

/** Control severity, ordered from least to most severe. */
public enum Severity {
    INFO, LOW, MEDIUM, HIGH, CRITICAL;

    public String label() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<Severity> parse(String s) {
        if (s == null) return Optional.empty();
        for (Severity v : values()) if (v.label().equals(s.toLowerCase(Locale.ROOT))) return Optional.of(v);
        return Optional.empty();
    }

    /** The CVSS-like score used for SARIF {@code security-severity}. */
    public String securityScore() {
        return switch (this) { case INFO -> "0.0"; case LOW -> "3.0"; case MEDIUM -> "5.5"; case HIGH -> "8.0"; case CRITICAL -> "9.5"; };
    }
}
