package io.mutexify.azure.cosmos;

import io.mutexify.model.port.SlotStore;
import io.mutexify.model.port.SlotStoreContract;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store contract, against a real Cosmos DB protocol peer; every test gets a database of its own.
 * The test server keeps documents whose ttl has passed, so the store runs as on a container without
 * TTL: prune does the deleting (see {@link CosmosExpiryTest} for the TTL mode).
 */
@ExtendWith(CosmosTestServer.class)
class CosmosSlotStoreTest extends SlotStoreContract {
    @Override
    protected SlotStore newStore() {
        CosmosTestServer server = CosmosTestServer.get();
        return CosmosSlotStore.open(server.client(), server.freshSettings(), false,
                CosmosSlotStore.Tuning.defaults().withExpiresByTtl(false));
    }
}
