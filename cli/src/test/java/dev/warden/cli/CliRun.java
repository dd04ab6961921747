package dev.warden.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the CLI in-process and captures its streams. */
record CliRun(int code, String out, String err) {

    static CliRun of(String... args) { return with(new Main(), args); }

    static CliRun with(Object command, String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        int code = Main.run(command, args, new PrintWriter(o, true), new PrintWriter(e, true));
        return new CliRun(code, o.toString(), e.toString());
    }

    @Override public String toString() { return "exit " + code + "\n--- out\n" + out + "\n--- err\n" + err; }
}
