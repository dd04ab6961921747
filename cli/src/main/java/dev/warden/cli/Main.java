package dev.warden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** Entry point of the {@code warden} command line. */
@Command(name = "warden", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Policy engine and compliance-as-code checker for MQTT/IoT deployments.",
        subcommands = {ScanCommand.class, CollectCommand.class, CheckCommand.class, TestCommand.class, CompileCommand.class, ServeCommand.class, SchemaCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:compliant (no violation at or above --fail-on)", "1:violations at or above --fail-on (or UNKNOWN with --fail-on-unknown)",
                "2:invalid policy, input or options", "3:internal error"})
public final class Main implements Runnable {

    /** Reports the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() { return new String[] {"warden " + version()}; }
    }

    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-dev" : v;
    }

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    public static void main(String[] args) {
        // the AWS SDK logs through SLF4J; with no binding SLF4J would warn on stderr at the first AWS call
        if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "ERROR");
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams; returns the exit code (used by tests). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) { return run(new Main(), args, out, err); }

    /** Runs any command object under the CLI's error handling (tests use it to exercise the internal-error path). */
    static int run(Object command, String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println("error[cli.usage]: " + lower(ex.getMessage()));
            err.println("  = help: run `warden " + (ex.getCommandLine().getCommandName().equals("warden") ? "" : ex.getCommandLine().getCommandName() + " ") + "--help`");
            return ExitCode.INVALID;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            err.println("error[internal]: warden failed: " + ex);
            if (System.getenv("WARDEN_DEBUG") != null) ex.printStackTrace(err);
            else err.println("  = help: set WARDEN_DEBUG=1 for a stack trace, and please report this");
            return ExitCode.INTERNAL;
        });
        try {
            return cl.execute(args);
        } catch (RuntimeException | Error e) {
            err.println("error[internal]: warden failed: " + e);
            return ExitCode.INTERNAL;
        }
    }

    private static String lower(String s) {
        if (s == null || s.isEmpty()) return "invalid usage";
        String t = s.strip();
        if (t.endsWith(".")) t = t.substring(0, t.length() - 1);
        return Character.toLowerCase(t.charAt(0)) + t.substring(1);
    }
}
