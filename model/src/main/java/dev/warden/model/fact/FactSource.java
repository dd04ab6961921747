package dev.warden.model.fact;

import dev.warden.model.Origin;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A collector as policy tests use it: builds facts from the entries of a {@code given <source> { ... }} block
 * (e.g. {@code file "mosquitto.conf" """..."""}); files may be written under {@code workDir}.
 */
@FunctionalInterface
public interface FactSource {

    /** One line of a {@code given} block: a key and its string arguments. */
    record Entry(String key, List<String> args, Origin location) {
        public Entry { args = List.copyOf(args); }
    }

    FactSet produce(List<Entry> entries, Path workDir) throws IOException;
}
