package dev.triage.server.export;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * Who may list and open an export: anyone ({@link #open()}), clients whose TLS certificate
 * subject CN is in a set, and/or clients that name the export as {@code NAME@SECRET}. An
 * export with a secret or a CN list is hidden from {@code NBD_OPT_LIST} for clients that do
 * not match by certificate (a secret cannot be given to LIST).
 */
public record Access(Set<String> allowedCns, String secret) {

    public Access {
        allowedCns = Set.copyOf(allowedCns);
    }

    /** Anyone may list and open. */
    public static Access open() {
        return new Access(Set.of(), null);
    }

    /** True when no rule restricts the export. */
    public boolean isOpen() {
        return allowedCns.isEmpty() && secret == null;
    }

    /** May a client with certificate CN {@code cn} (null without one) see the export in a list? */
    public boolean mayList(String cn) {
        return isOpen() || (cn != null && allowedCns.contains(cn));
    }

    /** May a client with certificate CN {@code cn} that gave {@code givenSecret} (or null) open it? */
    public boolean mayOpen(String cn, String givenSecret) {
        if (mayList(cn)) {
            return true;
        }
        return secret != null && givenSecret != null
                && MessageDigest.isEqual(secret.getBytes(StandardCharsets.UTF_8), givenSecret.getBytes(StandardCharsets.UTF_8));
    }
}
