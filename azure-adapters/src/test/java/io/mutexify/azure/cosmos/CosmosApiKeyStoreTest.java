package io.mutexify.azure.cosmos;

import io.mutexify.model.port.ApiKeyStore;
import io.mutexify.model.port.ApiKeyStoreContract;
import org.junit.jupiter.api.extension.ExtendWith;

/** The API key store contract against the Cosmos DB protocol peer; every test gets a database of its own. */
@ExtendWith(CosmosTestServer.class)
class CosmosApiKeyStoreTest extends ApiKeyStoreContract {
    @Override
    protected ApiKeyStore newKeyStore() {
        CosmosTestServer server = CosmosTestServer.get();
        return CosmosSlotStore.open(server.client(), server.freshSettings()).apiKeys();
    }
}
