package dev.warden.mosquitto;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns paths written in a configuration into files to read, and files into the names reports show.
 * <ul>
 *   <li>Shown names are relative to the scan root (forward slashes) when under it, else absolute.</li>
 *   <li>When the main configuration is under a scan root other than {@code /}, the tree is taken for a copy of a
 *   system's files and absolute paths are read inside it: {@code /etc/mosquitto/acl} is looked for under the main
 *   file's directory and each of its parents up to the scan root (so {@code examples/debian/etc/mosquitto/acl} is
 *   found for {@code examples/debian/etc/mosquitto/mosquitto.conf}), the first that exists wins, and
 *   {@code <root>/etc/mosquitto/acl} is used when none does. Otherwise absolute paths are read as they are.</li>
 *   <li>Relative paths are read against the directory of the main configuration (mosquitto itself uses its working
 *   directory, which is usually where it was started with {@code -c}).</li>
 * </ul>
 */
final class PathResolver {
    private final Path root;
    private final Path mainDir;
    private final boolean sysroot;

    PathResolver(Path root, Path mainConf) {
        this.root = normal(root == null ? Path.of("") : root);
        Path main = normal(mainConf);
        Path parent = main.getParent();
        this.mainDir = parent == null ? this.root : parent;
        this.sysroot = main.startsWith(this.root) && this.root.getParent() != null;
    }

    private static Path normal(Path p) {
        return p.toAbsolutePath().normalize();
    }

    /** The name reports use for a file. */
    String display(Path file) {
        Path p = normal(file);
        if (p.startsWith(root) && !p.equals(root)) return slashes(root.relativize(p).toString());
        return slashes(p.toString());
    }

    private static String slashes(String s) {
        return s.replace('\\', '/');
    }

    /** The file a configured path names, or null when it is not a usable path on this system. */
    Path resolve(String configured) {
        try {
            Path p = Path.of(configured);
            if (p.isAbsolute()) {
                if (sysroot) {
                    String inRoot = (p.getRoot() == null ? p : p.getRoot().relativize(p)).toString();
                    for (Path a = mainDir; a != null && a.startsWith(root); a = a.getParent()) {
                        Path candidate = normal(a.resolve(inRoot));
                        if (java.nio.file.Files.exists(candidate)) return candidate;
                    }
                    return normal(root.resolve(inRoot));
                }
                return normal(p);
            }
            return normal(mainDir.resolve(p));
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
