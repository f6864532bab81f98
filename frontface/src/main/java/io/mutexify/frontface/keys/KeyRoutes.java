package io.mutexify.frontface.keys;

import io.mutexify.frontface.http.ApiException;
import io.mutexify.frontface.http.ApiRequest;
import io.mutexify.frontface.http.ApiResponse;
import io.mutexify.frontface.input.KeyInput;
import io.mutexify.frontface.routes.ApiRoutes;
import io.mutexify.model.auth.ApiKey;
import io.mutexify.model.auth.ApiKeyFormat;
import io.mutexify.model.auth.Identity;
import io.mutexify.model.port.ApiKeyStore;
import io.mutexify.model.text.LogText;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/v1/keys[/{id}]}: a signed-in person creates, lists and revokes API keys that act as
 * them. The key is in the create response only; afterwards just its id, name and times are shown.
 * A key cannot manage keys, so a leaked one cannot mint successors that outlive its revocation.
 */
public final class KeyRoutes {
    public static final int MAX_KEYS_PER_PRINCIPAL = 50;
    private static final Logger log = LoggerFactory.getLogger(KeyRoutes.class);

    private final ApiKeyStore store;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public KeyRoutes(ApiKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public ApiResponse create(ApiRequest req, Identity who) {
        requireSignIn(who);
        KeyInput.Create in = KeyInput.create(req.body());
        // Only keys that still work count: an expired key costs nothing and cannot be revoked twice.
        Instant at = clock.instant();
        if (store.list(who.principal()).stream().filter(k -> k.isUsableAt(at)).count() >= MAX_KEYS_PER_PRINCIPAL) {
            throw new ApiException(409, "too_many_keys", "revoke a key first: at most " + MAX_KEYS_PER_PRINCIPAL + " per person");
        }
        byte[] id = new byte[ApiKeyFormat.ID_BYTES];
        byte[] secret = new byte[ApiKeyFormat.SECRET_BYTES];
        random.nextBytes(id);
        random.nextBytes(secret);
        String presented = ApiKeyFormat.format(id, secret);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ApiKey key = new ApiKey(HexFormat.of().formatHex(id), who.principal(), in.name(),
                ApiKeyFormat.hash(HexFormat.of().formatHex(secret)), now,
                in.expiresIn() == null ? null : now.plusSeconds(in.expiresIn()), null, null);
        store.create(key);
        log.info("API key {} ({}) created by {}", key.id(), LogText.escape(in.name()), LogText.escape(who.principal()));
        Map<String, Object> body = view(key);
        body.put("key", presented);
        return ApiResponse.json(201, body)
                .withHeader("Cache-Control", "no-store")
                .withHeader("Location", ApiRoutes.keyLocation(key.id()));
    }

    public ApiResponse list(Identity who) {
        requireSignIn(who);
        List<Map<String, Object>> keys = store.list(who.principal()).stream().map(KeyRoutes::view).toList();
        return ApiResponse.json(200, Map.of("keys", keys));
    }

    /** The maker, or an administrator, may revoke; to anyone else the key does not exist. */
    public ApiResponse revoke(Identity who, String id) {
        requireSignIn(who);
        boolean revoked = id.length() <= 64
                && store.find(id)
                        .filter(k -> k.principal().equals(who.principal()) || who.actor().admin())
                        .map(k -> store.revoke(k.id(), clock.instant()))
                        .orElse(false);
        if (!revoked) {
            throw ApiException.notFound("key_not_found", "no such key, or it is already revoked");
        }
        log.info("API key {} revoked by {}", LogText.escape(id), LogText.escape(who.principal()));
        return ApiResponse.empty(204);
    }

    private static void requireSignIn(Identity who) {
        if (!who.method().isSignIn()) {
            throw ApiException.forbidden("sign_in_required", "API keys are managed by a signed-in person, not with a key");
        }
    }

    private static Map<String, Object> view(ApiKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", k.id());
        m.put("name", k.name());
        m.put("principal", k.principal());
        m.put("createdAt", k.createdAt());
        m.put("expiresAt", k.expiresAt());
        m.put("lastUsedAt", k.lastUsedAt());
        return m;
    }
}
