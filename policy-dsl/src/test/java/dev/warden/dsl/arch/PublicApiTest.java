package dev.warden.dsl.arch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ANTLR types never leave policy-dsl: no public signature outside the internal grammar package mentions them. */
class PublicApiTest {

    @Test
    void noPublicSignatureMentionsAntlr() throws Exception {
        Path classes = Path.of("target", "classes");
        List<String> leaks = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> s = Files.walk(classes)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(p).toString().replace('/', '.').replace('\\', '.').replaceAll("\\.class$", "");
                if (name.startsWith("dev.warden.dsl.internal.")) continue;
                Class<?> c = Class.forName(name, false, getClass().getClassLoader());
                if (!Modifier.isPublic(c.getModifiers())) continue;
                checked++;
                if (c.getSuperclass() != null && mentions(c.getSuperclass())) leaks.add(name + " extends " + c.getSuperclass());
                for (Type i : c.getGenericInterfaces()) if (mentions(i)) leaks.add(name + " implements " + i);
                for (Method m : c.getDeclaredMethods()) {
                    if (!Modifier.isPublic(m.getModifiers())) continue;
                    if (mentions(m.getGenericReturnType())) leaks.add(name + "." + m.getName() + " returns " + m.getGenericReturnType());
                    for (Type t : m.getGenericParameterTypes()) if (mentions(t)) leaks.add(name + "." + m.getName() + " takes " + t);
                }
                for (Constructor<?> k : c.getDeclaredConstructors()) {
                    if (!Modifier.isPublic(k.getModifiers())) continue;
                    for (Type t : k.getGenericParameterTypes()) if (mentions(t)) leaks.add(name + ".<init> takes " + t);
                }
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isPublic(f.getModifiers()) && mentions(f.getGenericType())) leaks.add(name + "." + f.getName() + " is " + f.getGenericType());
                }
            }
        }
        assertTrue(checked > 20, "expected to inspect the public API, inspected " + checked + " classes");
        assertEquals(List.of(), leaks);
    }

    private static boolean mentions(Type t) {
        String s = t.getTypeName();
        return s.contains("org.antlr") || s.contains("dev.warden.dsl.internal");
    }

    @Test
    void generatedCodeLivesInTheInternalPackage() throws IOException {
        try (Stream<Path> s = Files.walk(Path.of("target", "classes"))) {
            List<String> antlrGenerated = s.map(Path::toString).filter(n -> n.matches(".*Warden(Lexer|Parser|Visitor|BaseVisitor).*\\.class")).toList();
            assertTrue(!antlrGenerated.isEmpty());
            assertTrue(antlrGenerated.stream().allMatch(n -> n.replace('\\', '/').contains("dev/warden/dsl/internal/grammar/")), antlrGenerated.toString());
        }
    }
}
