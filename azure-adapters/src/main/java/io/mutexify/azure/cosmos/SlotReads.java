package io.mutexify.azure.cosmos;

import io.mutexify.azure.cosmos.DocumentClient.Read;
import io.mutexify.azure.cosmos.DocumentTypes.CatalogDoc;
import io.mutexify.azure.cosmos.DocumentTypes.HistoryDoc;
import io.mutexify.azure.cosmos.DocumentTypes.PointerDoc;
import io.mutexify.azure.cosmos.DocumentTypes.ReplyDoc;
import io.mutexify.azure.cosmos.DocumentTypes.SlotDoc;
import io.mutexify.azure.cosmos.DocumentTypes.WriteRecord;
import io.mutexify.model.machine.Reply;
import io.mutexify.model.slot.HistoryEntry;
import io.mutexify.model.slot.SlotState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import reactor.core.publisher.Flux;

/** The read side of {@link CosmosSlotStore}: slot states, the slot list, recorded replies and history. */
final class SlotReads {
    private final DocumentClient docs;
    private final KnownSlots cache;

    SlotReads(DocumentClient docs, KnownSlots cache) {
        this.docs = docs;
        this.cache = cache;
    }

    SlotState load(String slotId) {
        Keys.checkSlotId(slotId);
        Optional<Read<SlotDoc>> read = DocumentClient.await("load slot", cache.readSlot(slotId));
        if (read.isEmpty()) {
            return SlotState.empty(slotId);
        }
        cache.remember(slotId, read.get());
        return stateOf(slotId, read.get().value());
    }

    private static SlotState stateOf(String slotId, SlotDoc doc) {
        return doc.state() == null ? SlotState.empty(slotId) : doc.state().withVersion(doc.version());
    }

    List<SlotState> loadAll() {
        List<Read<CatalogDoc>> catalog = DocumentClient.await("list slots", docs.readAll(Keys.CATALOG, "catalog", CatalogDoc.class));
        List<SlotState> all = DocumentClient.await("load slots", Flux.fromIterable(catalog)
                .flatMap(c -> cache.readSlot(c.value().slotId()), CosmosSlotStore.PARALLEL_READS)
                .filter(Optional::isPresent)
                .map(r -> r.get().value())
                .filter(d -> d.state() != null)
                .map(d -> stateOf(d.pk(), d))
                .collectList());
        List<SlotState> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparing(SlotState::id));
        return sorted;
    }

    /**
     * A page of the slot list: the catalog's slot ids after {@code afterId} in order, then point
     * reads of those slots, a chunk at a time until the page is full. Only the page's slots are
     * read, but the catalog (one small document per slot) is read whole: an SDK query ({@code ORDER
     * BY c.slotId} with {@code TOP}) would seek instead, and the Cosmos DB test server cannot run
     * one, so this store keeps to point reads and partition read feeds it can test.
     */
    List<SlotState> page(String principal, String afterId, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        List<String> ids = DocumentClient.await("list slots", docs.readAll(Keys.CATALOG, "catalog", CatalogDoc.class))
                .stream().map(c -> c.value().slotId()).filter(id -> id.compareTo(afterId) > 0).sorted().toList();
        List<SlotState> page = new ArrayList<>();
        int chunk = principal == null ? limit : Math.max(limit, CosmosSlotStore.PARALLEL_READS * 4);
        for (int from = 0; from < ids.size() && page.size() < limit; from += chunk) {
            List<SlotState> read = DocumentClient.await("load slots", Flux.fromIterable(ids.subList(from, Math.min(ids.size(), from + chunk)))
                    .flatMapSequential(cache::readSlot, CosmosSlotStore.PARALLEL_READS)
                    .filter(Optional::isPresent)
                    .map(r -> r.get().value())
                    .filter(d -> d.state() != null)
                    .map(d -> stateOf(d.pk(), d))
                    .collectList());
            read.stream()
                    .filter(st -> principal == null || (st.isRegistered() && st.config().isMember(principal)))
                    .limit(limit - page.size())
                    .forEach(page::add);
        }
        return page;
    }

    Optional<Reply> findReply(String requestId) {
        Objects.requireNonNull(requestId, "requestId");
        Optional<Read<PointerDoc>> pointer = DocumentClient.await("find reply",
                docs.read(Keys.requestPartition(requestId), Keys.id(requestId), PointerDoc.class));
        if (pointer.isEmpty() || !requestId.equals(pointer.get().value().requestId())) {
            return Optional.empty();
        }
        String slotId = pointer.get().value().slotId();
        Optional<Read<ReplyDoc>> reply = DocumentClient.await("find reply", docs.read(slotId, Keys.replyDoc(requestId), ReplyDoc.class));
        if (reply.isPresent() && requestId.equals(reply.get().value().requestId())) {
            return Optional.ofNullable(reply.get().value().reply());
        }
        // Not copied out yet (or never committed): the slot's last write may hold it.
        return DocumentClient.await("find reply", cache.readSlot(slotId))
                .map(r -> r.value().lastWrite())
                .flatMap(w -> w.replies().stream().filter(x -> requestId.equals(x.requestId())).findFirst());
    }

    List<HistoryEntry> history(String slotId, int limit) {
        Keys.checkSlotId(slotId);
        if (limit <= 0) {
            return List.of();
        }
        Optional<Read<SlotDoc>> slot = DocumentClient.await("read history", cache.readSlot(slotId));
        if (slot.isEmpty()) {
            return List.of();
        }
        SlotDoc doc = slot.get().value();
        List<HistoryEntry> newestFirst = new ArrayList<>();
        long k = doc.historyCount();
        while (k >= 1 && newestFirst.size() < limit) {
            // Every history document holds at least one entry: no more documents than entries still wanted.
            int want = (int) Math.min(Math.min(k, limit - newestFirst.size()), 64);
            List<Long> ks = new ArrayList<>();
            for (long i = k; i > k - want; i--) {
                ks.add(i);
            }
            List<Optional<Read<HistoryDoc>>> chunk = DocumentClient.await("read history", Flux.fromIterable(ks)
                    .flatMapSequential(i -> docs.read(slotId, Keys.historyDoc(i), HistoryDoc.class), CosmosSlotStore.PARALLEL_READS)
                    .collectList());
            for (int j = 0; j < ks.size(); j++) {
                long kj = ks.get(j);
                List<HistoryEntry> entries = chunk.get(j).map(r -> r.value().entries())
                        .orElseGet(() -> lastWriteHistory(doc, kj));
                for (int e = entries.size() - 1; e >= 0 && newestFirst.size() < limit; e--) {
                    newestFirst.add(entries.get(e));
                }
            }
            k -= want;
        }
        return newestFirst;
    }

    /** The history of commit k from the slot's lastWrite, if that is the one not yet copied out. */
    private static List<HistoryEntry> lastWriteHistory(SlotDoc doc, long k) {
        WriteRecord w = doc.lastWrite();
        return w != null && w.historyK() == k ? w.history() : List.of();
    }
}
