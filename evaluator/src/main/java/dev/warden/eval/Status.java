package dev.warden.eval;

/** Outcome of one control on one resource. UNKNOWN (inputs missing) is never counted as PASS. */
public enum Status {
    /** The resource satisfies the control. */
    PASS,
    /** The resource violates the control. */
    FAIL,
    /** The inputs the control needs could not be collected. */
    UNKNOWN,
    /** No resource of the kind the control inspects was in scope, or its {@code when} guard was false. */
    NOT_APPLICABLE;

    public String label() { return name().toLowerCase().replace('_', '-'); }
}
