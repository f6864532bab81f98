package io.mutexify.azure.cosmos;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosClientBuilder;
import com.azure.cosmos.ThrottlingRetryOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the Cosmos DB client the store uses. */
public final class CosmosClients {
    private static final Logger LOG = LoggerFactory.getLogger(CosmosClients.class);
    /** The SDK retries throttled (429) requests itself, honouring the server's retry-after, this often... */
    static final int THROTTLE_RETRIES = 9;
    /** ...and for at most this long in all, before the store's own bounded retry sees the 429. */
    static final Duration THROTTLE_WAIT = Duration.ofSeconds(30);

    private CosmosClients() {
    }

    /**
     * A client in gateway mode (plain HTTPS on 443: works from Functions behind any firewall, and
     * against the emulator). With an account key it signs requests with the key; without one it uses
     * {@code DefaultAzureCredential}, i.e. the managed identity on Azure. Endpoint discovery is off
     * for a local endpoint only.
     */
    public static CosmosAsyncClient build(CosmosSettings settings) {
        CosmosClientBuilder builder = new CosmosClientBuilder()
                .endpoint(settings.endpoint())
                .gatewayMode()
                .endpointDiscoveryEnabled(!settings.isLocal())
                .contentResponseOnWriteEnabled(false)
                .throttlingRetryOptions(new ThrottlingRetryOptions()
                        .setMaxRetryAttemptsOnThrottledRequests(THROTTLE_RETRIES)
                        .setMaxRetryWaitTime(THROTTLE_WAIT))
                .userAgentSuffix("mutexify");
        if (settings.usesKey()) {
            builder.key(settings.key());
        } else {
            builder.credential(new DefaultAzureCredentialBuilder().build());
        }
        LOG.info("connecting to Cosmos DB: {}", settings); // toString() leaves the key out
        return builder.buildAsyncClient();
    }
}
