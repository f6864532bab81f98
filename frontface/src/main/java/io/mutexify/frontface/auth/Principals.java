package io.mutexify.frontface.auth;

import io.mutexify.model.command.Actor;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Who counts as whom: a principal is a lower-case e-mail address; an optional allow-list of
 * e-mail domains limits who may sign in at all; the configured administrators are marked admin.
 */
public final class Principals {
    /** Deliberately loose: the address was verified by Google, or is a dev sign-in's free choice. */
    private static final Pattern EMAIL = Pattern.compile("[^@\\s\\p{Cntrl}]{1,64}@[a-z0-9.-]{1,190}");

    private final Set<String> admins;
    private final Set<String> allowedDomains;

    /** {@code allowedDomains} empty means every domain. */
    public Principals(Collection<String> admins, Collection<String> allowedDomains) {
        this.admins = lowerCase(admins);
        this.allowedDomains = lowerCase(allowedDomains);
    }

    private static Set<String> lowerCase(Collection<String> values) {
        return values.stream().map(v -> v.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    /** {@code raw} as a principal (trimmed, lower-case), or empty if it is not an e-mail address. */
    public static Optional<String> email(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String e = raw.trim().toLowerCase(Locale.ROOT);
        return EMAIL.matcher(e).matches() ? Optional.of(e) : Optional.empty();
    }

    /** Whether the address's domain is on the allow-list (or there is none). */
    public boolean domainAllowed(String email) {
        if (allowedDomains.isEmpty()) {
            return true;
        }
        int at = email.lastIndexOf('@');
        return at >= 0 && allowedDomains.contains(email.substring(at + 1));
    }

    /**
     * With an allow-list, a Google account must belong to an allowed Workspace domain ({@code hd}):
     * a consumer account made with a company address has the right e-mail domain but no {@code hd},
     * and is not the company's to vouch for.
     */
    public boolean hostedDomainAllowed(String hostedDomain) {
        return allowedDomains.isEmpty() || hostedDomain != null && allowedDomains.contains(hostedDomain.toLowerCase(Locale.ROOT));
    }

    public Actor actor(String email) {
        return new Actor(email, admins.contains(email));
    }
}
