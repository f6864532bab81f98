package io.mutexify.azure.cosmos;

import io.mutexify.model.port.SlotStore;
import io.mutexify.model.port.SlotStoreContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The store contract, against a real Cosmos DB protocol peer; every test gets a database of its own. */
@ExtendWith(CosmosTestServer.class)
class CosmosSlotStoreTest extends SlotStoreContract {
    @Override
    protected SlotStore newStore() {
        CosmosTestServer server = CosmosTestServer.get();
        return CosmosSlotStore.open(server.client(), server.freshSettings());
    }
}
