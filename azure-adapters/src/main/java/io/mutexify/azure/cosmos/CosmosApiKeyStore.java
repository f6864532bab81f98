package io.mutexify.azure.cosmos;

import io.mutexify.azure.cosmos.DocumentClient.Read;
import io.mutexify.model.auth.ApiKey;
import io.mutexify.model.port.ApiKeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * The {@link ApiKeyStore} on Cosmos DB, in the slot store's container. Every call is a point read
 * or a point write; nothing is queried (the test server cannot run queries, and a cross-partition
 * query would fan out to every partition):
 * <ul>
 *   <li>{@code pk = $key:<key id>}, document {@code key}: the key itself, so the check of a
 *       presented key is one point read by the id it carries;</li>
 *   <li>{@code pk = $keyring:<principal>}, document {@code keyring}: the ids of the principal's
 *       keys that are not revoked, what {@link #list} reads before point-reading each key.</li>
 * </ul>
 * Both are changed with {@code If-Match}, so concurrent creates, revokes and touches never undo
 * one another. The keyring is written before a new key and cleaned after a revoke, so a crash in
 * between leaves at worst an id there whose key is missing or revoked, which {@link #list} skips.
 */
public final class CosmosApiKeyStore implements ApiKeyStore {
    private static final Logger LOG = LoggerFactory.getLogger(CosmosApiKeyStore.class);
    private static final String KEY_DOC = "key";
    private static final String KEYRING_DOC = "keyring";
    /** Attempts of one conditional update before it is reported as failed. */
    private static final int MAX_CONFLICTS = 16;
    private static final int PARALLEL_READS = 16;

    /** A stored key, in a partition of its own. */
    record KeyDoc(String id, String pk, String type, ApiKey key) {
    }

    /** The ids of one principal's active keys, oldest first. */
    record KeyringDoc(String id, String pk, String type, String principal, List<String> keyIds) {
        KeyringDoc {
            keyIds = keyIds == null ? List.of() : List.copyOf(keyIds);
        }
    }

    private final DocumentClient docs;

    CosmosApiKeyStore(DocumentClient docs) {
        this.docs = docs;
    }

    static String keyPartition(String keyId) {
        return "$key:" + Keys.id(keyId);
    }

    static String keyringPartition(String principal) {
        return "$keyring:" + Keys.id(principal);
    }

    @Override
    public void create(ApiKey key) {
        Objects.requireNonNull(key, "key");
        updateKeyring(key.principal(), ids -> ids.contains(key.id()) ? ids : append(ids, key.id()));
        boolean created = await("create API key",
                docs.create(keyPartition(key.id()), new KeyDoc(KEY_DOC, keyPartition(key.id()), "apikey", key))).isPresent();
        if (!created) {
            updateKeyring(key.principal(), ids -> without(ids, key.id()));
            throw new IllegalArgumentException("an API key with id " + key.id() + " exists already");
        }
    }

    @Override
    public List<ApiKey> list(String principal) {
        Objects.requireNonNull(principal, "principal");
        Optional<Read<KeyringDoc>> ring = await("read keyring",
                docs.read(keyringPartition(principal), KEYRING_DOC, KeyringDoc.class));
        if (ring.isEmpty()) {
            return List.of();
        }
        List<ApiKey> keys = new ArrayList<>(await("read API keys", Flux.fromIterable(ring.get().value().keyIds())
                .flatMap(id -> docs.read(keyPartition(id), KEY_DOC, KeyDoc.class), PARALLEL_READS)
                .filter(Optional::isPresent)
                .map(r -> r.get().value().key())
                // an id of another principal's key would be a bug or a crashed create that lost the id race
                .filter(k -> k.principal().equals(principal) && k.revokedAt() == null)
                .collectList()));
        keys.sort(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::id));
        return keys;
    }

    @Override
    public Optional<ApiKey> find(String id) {
        Objects.requireNonNull(id, "id");
        return await("read API key", docs.read(keyPartition(id), KEY_DOC, KeyDoc.class)).map(r -> r.value().key());
    }

    @Override
    public boolean revoke(String id, Instant at) {
        Optional<ApiKey> revoked = updateKey(id, k -> k.revokedAt() != null ? null
                : new ApiKey(k.id(), k.principal(), k.name(), k.secretHash(), k.createdAt(), k.expiresAt(), k.lastUsedAt(), at));
        revoked.ifPresent(k -> updateKeyring(k.principal(), ids -> without(ids, id)));
        return revoked.isPresent();
    }

    /** Written off the caller's thread: a call authenticated by a key should not wait for this write. */
    @Override
    public void touch(String id, Instant at) {
        Schedulers.boundedElastic().schedule(() -> {
            try {
                updateKey(id, k -> k.lastUsedAt() != null && !k.lastUsedAt().isBefore(at) ? null
                        : new ApiKey(k.id(), k.principal(), k.name(), k.secretHash(), k.createdAt(), k.expiresAt(), at,
                                k.revokedAt()));
            } catch (RuntimeException e) {
                LOG.warn("recording the last use of API key {} failed: {}", id, e.getMessage());
            }
        });
    }

    /**
     * Replaces the key with {@code change} of it (If-Match), re-reading on a conflict; the new key,
     * or empty when there is no such key or {@code change} answers null (nothing to do).
     */
    private Optional<ApiKey> updateKey(String id, UnaryOperator<ApiKey> change) {
        String pk = keyPartition(id);
        for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
            Optional<Read<KeyDoc>> read = await("read API key", docs.read(pk, KEY_DOC, KeyDoc.class));
            if (read.isEmpty()) {
                return Optional.empty();
            }
            ApiKey changed = change.apply(read.get().value().key());
            if (changed == null) {
                return Optional.empty();
            }
            if (await("update API key", docs.replace(pk, KEY_DOC, new KeyDoc(KEY_DOC, pk, "apikey", changed),
                    read.get().etag())).isPresent()) {
                return Optional.of(changed);
            }
        }
        throw new CosmosStoreException("API key " + id + " kept changing under " + MAX_CONFLICTS + " updates", 412, null);
    }

    /** Rewrites the principal's keyring with {@code change} of its ids (If-Match, or create when it has none). */
    private void updateKeyring(String principal, UnaryOperator<List<String>> change) {
        String pk = keyringPartition(principal);
        for (int attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
            Optional<Read<KeyringDoc>> read = await("read keyring", docs.read(pk, KEYRING_DOC, KeyringDoc.class));
            List<String> before = read.map(r -> r.value().keyIds()).orElse(List.of());
            List<String> after = change.apply(before);
            if (read.isPresent() && after.equals(before)) {
                return;
            }
            KeyringDoc doc = new KeyringDoc(KEYRING_DOC, pk, "keyring", principal, after);
            boolean written = read.isEmpty()
                    ? await("create keyring", docs.create(pk, doc)).isPresent()
                    : await("update keyring", docs.replace(pk, KEYRING_DOC, doc, read.get().etag())).isPresent();
            if (written) {
                return;
            }
        }
        throw new CosmosStoreException("the keyring of a principal kept changing under " + MAX_CONFLICTS + " updates", 412, null);
    }

    private static List<String> append(List<String> ids, String id) {
        List<String> l = new ArrayList<>(ids);
        l.add(id);
        return l;
    }

    private static List<String> without(List<String> ids, String id) {
        return ids.stream().filter(i -> !i.equals(id)).toList();
    }

    private static <T> T await(String what, reactor.core.publisher.Mono<T> mono) {
        return DocumentClient.await(what, mono);
    }
}
