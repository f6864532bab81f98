package io.mutexify.model.port;

/** The in-memory test store keeps the same contract as the real stores. */
class InMemorySlotStoreTest extends SlotStoreContract {
    @Override
    protected SlotStore newStore() {
        return new InMemorySlotStore();
    }
}
