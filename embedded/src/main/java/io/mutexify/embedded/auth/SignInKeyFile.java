package io.mutexify.embedded.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dev sign-in's signing key: 32 random bytes made once and kept in the data folder, readable
 * by the server's user only, so sign-ins survive a restart. Deleting the file signs everyone out.
 */
public final class SignInKeyFile {
    public static final String FILE_NAME = "session.key";
    static final int KEY_BYTES = 32;
    private static final Logger log = LoggerFactory.getLogger(SignInKeyFile.class);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private SignInKeyFile() {
    }

    /** Reads {@code <dataDir>/session.key}, making it first if there is none. */
    public static byte[] loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dataDir);
            if (!Files.exists(file)) {
                create(file);
            }
            tighten(file);
            byte[] key = Files.readAllBytes(file);
            if (key.length != KEY_BYTES) {
                throw new IllegalStateException(file + " is not a sign-in key (" + key.length
                        + " bytes, expected " + KEY_BYTES + "); delete it to make a new one");
            }
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the sign-in key " + file, e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        try {
            // Created with mode 600 from the start, so the key is never readable by others, not even briefly.
            if (posix(file)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(file);
            }
            Files.write(file, key);
            log.info("made a new sign-in key {}", file);
        } catch (FileAlreadyExistsException raced) {
            // another process made it first; read theirs
        }
    }

    private static void tighten(Path file) throws IOException {
        if (posix(file) && !Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
            log.warn("{} was readable by others; setting its mode to 600", file);
            Files.setPosixFilePermissions(file, OWNER_ONLY);
        }
    }

    private static boolean posix(Path file) {
        return file.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
