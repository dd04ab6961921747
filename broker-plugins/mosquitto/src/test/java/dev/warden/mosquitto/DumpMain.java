package dev.warden.mosquitto;

import dev.warden.model.fact.FactSet;

import java.nio.file.Path;

/** Prints the facts of a configuration (manual debugging aid). */
final class DumpMain {
    private DumpMain() {}

    public static void main(String[] args) {
        FactSet fs = MosquittoCollector.collect(Path.of(args[0]), new MosquittoCollector.Options(Path.of(args.length > 1 ? args[1] : "/"), null, Path.of("/usr/sbin/mosquitto")));
        Facts.flatten(Facts.broker(fs)).forEach((k, v) -> System.out.println(k + " = " + v));
        fs.diagnostics().forEach(System.out::println);
    }
}
