package dev.warden.mosquitto.target;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/** Lines of a mosquitto password file, for the real-broker tests (the broker itself: {@code RealMosquitto}). */
final class PasswordFile {
    private PasswordFile() {}

    /** A mosquitto password file line ({@code $6$}: SHA-512 over password then a 12-byte salt, as mosquitto 2.0 checks it). */
    static String line(String user, String password) throws Exception {
        byte[] salt = new byte[12];
        new SecureRandom().nextBytes(salt);
        MessageDigest md = MessageDigest.getInstance("SHA-512");
        md.update(password.getBytes(StandardCharsets.UTF_8));
        md.update(salt);
        Base64.Encoder b64 = Base64.getEncoder();
        return user + ":$6$" + b64.encodeToString(salt) + "$" + b64.encodeToString(md.digest()) + "\n";
    }
}
