package io.mutexify.azure.cosmos;

import com.azure.cosmos.CosmosAsyncContainer;
import com.azure.cosmos.CosmosException;
import com.azure.cosmos.models.CosmosItemRequestOptions;
import com.azure.cosmos.models.PartitionKey;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mutexify.model.json.Json;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Typed point reads and writes on the container, each with the transient-failure retry. DocumentClient
 * are mapped with the project's one Jackson configuration ({@link Json}), so what is stored is the
 * same JSON the SQLite store keeps.
 */
final class DocumentClient {
    /** A document and the ETag it had when read or written. */
    record Read<T>(T value, String etag) {
    }

    private final CosmosAsyncContainer container;
    private final CosmosRetry retry;

    DocumentClient(CosmosAsyncContainer container, CosmosRetry retry) {
        this.container = container;
        this.retry = retry;
    }

    CosmosAsyncContainer container() {
        return container;
    }

    /** A point read; empty on 404. */
    <T> Mono<Optional<Read<T>>> read(String pk, String id, Class<T> type) {
        return Mono.defer(() -> container.readItem(id, new PartitionKey(pk), ObjectNode.class))
                .retryWhen(retry.spec("read " + kind(id)))
                .map(r -> Optional.of(new Read<>(convert(r.getItem(), type), r.getETag())))
                .onErrorResume(e -> status(e) == 404, e -> Mono.just(Optional.empty()));
    }

    /** Creates {@code doc}; its new ETag, or empty on 409 (a document with that id exists). */
    Mono<Optional<String>> create(String pk, Object doc) {
        return Mono.defer(() -> container.createItem(tree(doc), new PartitionKey(pk), new CosmosItemRequestOptions()))
                .retryWhen(retry.spec("create " + kind(doc)))
                .map(r -> Optional.of(r.getETag()))
                .onErrorResume(e -> status(e) == 409, e -> Mono.just(Optional.empty()));
    }

    /** Replaces document {@code id} if its ETag is still {@code ifMatch}; the new ETag, or empty on 412/404. */
    Mono<Optional<String>> replace(String pk, String id, Object doc, String ifMatch) {
        CosmosItemRequestOptions options = new CosmosItemRequestOptions().setIfMatchETag(ifMatch);
        return Mono.defer(() -> container.replaceItem(tree(doc), id, new PartitionKey(pk), options))
                .retryWhen(retry.spec("replace " + kind(id)))
                .map(r -> Optional.of(r.getETag()))
                .onErrorResume(e -> status(e) == 412 || status(e) == 404, e -> Mono.just(Optional.empty()));
    }

    /** Creates or overwrites {@code doc}; its new ETag. */
    Mono<String> upsert(String pk, Object doc) {
        return Mono.defer(() -> container.upsertItem(tree(doc), new PartitionKey(pk), new CosmosItemRequestOptions()))
                .retryWhen(retry.spec("upsert " + kind(doc)))
                .map(r -> r.getETag());
    }

    /** Deletes document {@code id} (only if its ETag is {@code ifMatch}, when given); false on 404/412. */
    Mono<Boolean> delete(String pk, String id, String ifMatch) {
        CosmosItemRequestOptions options = new CosmosItemRequestOptions();
        if (ifMatch != null) {
            options.setIfMatchETag(ifMatch);
        }
        return Mono.defer(() -> container.deleteItem(id, new PartitionKey(pk), options))
                .retryWhen(retry.spec("delete " + kind(id)))
                .thenReturn(true)
                .onErrorResume(e -> status(e) == 404 || status(e) == 412, e -> Mono.just(false));
    }

    /**
     * Every document of partition {@code pk} whose {@code type} is {@code docType}, with its ETag.
     * A single-partition read feed: no query plan, no cross-partition fan-out.
     */
    <T> Mono<List<Read<T>>> readAll(String pk, String docType, Class<T> type) {
        return Flux.defer(() -> container.readAllItems(new PartitionKey(pk), ObjectNode.class))
                .filter(node -> docType.equals(node.path("type").asText()))
                .map(node -> new Read<>(convert(node, type), node.path("_etag").asText(null)))
                .collectList()
                .retryWhen(retry.spec("read all of " + kindOfPartition(pk)));
    }

    /**
     * Waits for {@code mono}; a Cosmos failure left after the retries becomes a
     * {@link CosmosStoreException} naming {@code what}, its status and activity id.
     */
    static <T> T await(String what, Mono<T> mono) {
        try {
            return mono.block();
        } catch (RuntimeException e) {
            Throwable cause = reactor.core.Exceptions.unwrap(e);
            if (cause instanceof CosmosException ce) {
                throw new CosmosStoreException(what + " failed: status " + ce.getStatusCode() + "/"
                        + ce.getSubStatusCode() + " (activity " + ce.getActivityId() + ")", ce.getStatusCode(), ce);
            }
            throw e;
        }
    }

    /** The Cosmos status code of a failure, 0 for anything else. */
    static int status(Throwable e) {
        return e instanceof CosmosException ce ? ce.getStatusCode() : 0;
    }

    private static ObjectNode tree(Object doc) {
        return Json.mapper().valueToTree(doc);
    }

    private static <T> T convert(JsonNode node, Class<T> type) {
        try {
            return Json.mapper().treeToValue(node, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CosmosStoreException("unreadable " + type.getSimpleName() + " document: " + e.getOriginalMessage(),
                    0, e);
        }
    }

    /** What a request is about, for logs: the id's prefix, never a key. */
    private static String kind(String id) {
        int colon = id.indexOf(':');
        return colon > 0 ? id.substring(0, colon) : id.equals(Keys.SLOT_DOC) ? "slot" : "document";
    }

    private static String kind(Object doc) {
        return doc.getClass().getSimpleName();
    }

    private static String kindOfPartition(String pk) {
        return pk.startsWith("$") ? pk.replaceFirst(":.*", "") : "a slot";
    }
}
