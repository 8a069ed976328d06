package dev.magnetar.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * A program that starts, loads itself and exits, packed as a runnable jar: class-data sharing archives
 * classes from jars only, so tests of the archive flags run a JVM on this instead of the test classes.
 */
public final class ArchiveProbe {

    private ArchiveProbe() {}

    public static void main(String[] args) {
        System.out.println("probe ran");
    }

    /** Writes the jar (with this class as its main class) to {@code jar}. */
    public static Path writeJar(Path jar) throws IOException {
        String entry = ArchiveProbe.class.getName().replace('.', '/') + ".class";
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ArchiveProbe.class.getName());
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, manifest)) {
            j.putNextEntry(new JarEntry(entry));
            try (InputStream in = ArchiveProbe.class.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(j);
            }
            j.closeEntry();
        }
        return jar;
    }
}
