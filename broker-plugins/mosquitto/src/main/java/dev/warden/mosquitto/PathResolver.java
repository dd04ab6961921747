package dev.warden.mosquitto;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns paths written in a configuration into files to read, and files into the names reports show.
 * <ul>
 *   <li>Shown names are relative to the scan root (forward slashes) when under it, else absolute.</li>
 *   <li>When the main configuration is under a scan root other than {@code /}, absolute paths are read inside the
 *   root (a copy of a system tree: {@code /etc/mosquitto/acl} is {@code <root>/etc/mosquitto/acl}); otherwise they
 *   are read as they are.</li>
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
                    Path inRoot = p.getRoot() == null ? p : p.getRoot().relativize(p);
                    return normal(root.resolve(inRoot.toString()));
                }
                return normal(p);
            }
            return normal(mainDir.resolve(p));
        } catch (InvalidPathException e) {
            return null;
        }
    }
}
