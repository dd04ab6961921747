package dev.warden.cli;

/** The documented process exit codes of {@code warden}. */
public final class ExitCode {
    private ExitCode() {}

    /** Every evaluated control passed (or failed below the {@code --fail-on} threshold). */
    public static final int OK = 0;
    /** At least one violation at or above {@code --fail-on}, or an UNKNOWN with {@code --fail-on-unknown}. */
    public static final int VIOLATIONS = 1;
    /** The policy or the input is invalid: compile errors, unreadable or malformed files, bad options. */
    public static final int INVALID = 2;
    /** Warden itself failed; please report it. */
    public static final int INTERNAL = 3;
}
