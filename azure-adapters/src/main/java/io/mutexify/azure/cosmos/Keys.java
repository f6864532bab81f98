package io.mutexify.azure.cosmos;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Document ids and partition key values. Cosmos DB ids must not contain {@code / \ ? #} and are
 * at most 255 characters; request ids and subscriber names come from outside, so anything else is
 * replaced by a hash. Partition keys of the store's own bookkeeping start with {@code $}, which a
 * slot id can never contain, so they cannot collide with a slot's partition.
 */
final class Keys {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:=@+-]{1,200}");
    /** The partition holding one small document per slot ever written with state: what loadAll reads. */
    static final String CATALOG = "$catalog";
    /** The partition of the global outbox log: entries in sequence order, and the prune floor. */
    static final String OUTBOX = "$outbox";
    /** The partition of "this slot may have unpublished events" markers. */
    static final String PENDING = "$pending";
    /** The partition of the outbox subscribers' cursors. */
    static final String CURSORS = "$cursors";
    /** Request pointers are spread over this many partitions, so prune can list them all. */
    static final int REQUEST_BUCKETS = 32;
    /** The id of the slot document inside its slot's partition. */
    static final String SLOT_DOC = "slot";
    /** The id of the "events published up to write n" document inside a slot's partition. */
    static final String PUBLISHED_DOC = "published";

    private Keys() {
    }

    /** {@code raw} itself when it is a safe id, otherwise {@code ~} and its SHA-256 (a safe id never starts with ~). */
    static String id(String raw) {
        if (SAFE.matcher(raw).matches() && !raw.equals(".") && !raw.equals("..")) {
            return raw;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw.getBytes(StandardCharsets.UTF_8));
            return "~" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The partition of a request's pointer document. */
    static String requestPartition(String requestId) {
        return "$req:" + Math.floorMod(requestId.hashCode(), REQUEST_BUCKETS);
    }

    static String requestPartition(int bucket) {
        return "$req:" + bucket;
    }

    /** The id of a reply document in its slot's partition. */
    static String replyDoc(String requestId) {
        return "reply:" + id(requestId);
    }

    /** The id of the k-th history document in a slot's partition; zero-padded so ids sort in order. */
    static String historyDoc(long k) {
        return String.format("history:%019d", k);
    }

    /** The id of the n-th outbox log document. */
    static String logDoc(long n) {
        return String.format("log:%019d", n);
    }

    /** Rejects slot ids that would land in the store's own partitions. */
    static void checkSlotId(String slotId) {
        if (slotId == null || slotId.isEmpty()) {
            throw new IllegalArgumentException("slot id must not be empty");
        }
        if (slotId.startsWith("$")) {
            throw new IllegalArgumentException("slot id must not start with $: " + slotId);
        }
    }
}
