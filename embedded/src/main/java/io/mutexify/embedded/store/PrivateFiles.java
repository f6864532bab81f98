package io.mutexify.embedded.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The data folder and the database files are the owner's alone (folder 700, files 600): they hold
 * every slot, reply and API key hash. SQLite gives its {@code -wal} and {@code -shm} files the
 * database file's mode, so creating that file 600 before SQLite opens it covers all three; files
 * left more open by an older version are tightened on start.
 */
public final class PrivateFiles {
    private static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private PrivateFiles() {
    }

    /** Creates {@code dir} (and parents) if needed, and makes it owner-only. */
    public static void folder(Path dir) {
        try {
            Files.createDirectories(dir);
            if (posix(dir)) {
                Files.setPosixFilePermissions(dir, FOLDER);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or secure the data folder " + dir, e);
        }
    }

    /** Creates {@code file} empty if missing, and makes it (and any existing {@code suffixes} siblings) owner-only. */
    public static void file(Path file, String... suffixes) {
        try {
            if (posix(file.getParent())) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
                } catch (FileAlreadyExistsException exists) {
                    // tightened below
                }
                Files.setPosixFilePermissions(file, FILE);
                for (String suffix : suffixes) {
                    Path sibling = file.resolveSibling(file.getFileName() + suffix);
                    if (Files.exists(sibling)) {
                        Files.setPosixFilePermissions(sibling, FILE);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create or secure " + file, e);
        }
    }

    private static boolean posix(Path p) {
        return Files.getFileAttributeView(p, java.nio.file.attribute.PosixFileAttributeView.class) != null;
    }
}
