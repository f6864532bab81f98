package io.mutexify.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.infra.BicepFile.Node;
import io.mutexify.infra.Repo.App;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Queue names, session flags, delivery count and the Cosmos DB partition key agree with the code. */
class InfraQueuesAndStoreTest {
    private static final String SB_SETTINGS = "azure-adapters/src/main/java/io/mutexify/azure/servicebus/ServiceBusSettings.java";
    private static final String COSMOS_SETTINGS = "azure-adapters/src/main/java/io/mutexify/azure/cosmos/CosmosSettings.java";
    private static final String COSMOS_STORE = "azure-adapters/src/main/java/io/mutexify/azure/cosmos/CosmosSlotStore.java";
    private static final String LOCKKEEPER_FUNCTIONS =
            "azure-functions/lockkeeper-app/src/main/java/io/mutexify/azure/functions/lockkeeper/LockkeeperFunctions.java";

    private final BicepFile bicep = Repo.mainBicep();

    private Node props(String symbol) {
        return bicep.resource(symbol).body().get("properties");
    }

    @Test
    void queueNamesAreTheCodeDefaultsAndBothAppsUseThem() {
        String requestName = bicep.resource("requestQueue").body().get("name").text();
        String replyName = bicep.resource("replyQueue").body().get("name").text();
        assertThat(bicep.resolve(requestName)).isEqualTo(Repo.javaConstant(SB_SETTINGS, "DEFAULT_REQUEST_QUEUE"));
        assertThat(bicep.resolve(replyName)).isEqualTo(Repo.javaConstant(SB_SETTINGS, "DEFAULT_REPLY_QUEUE"));
        for (App app : App.values()) {
            assertThat(InfraAppSettingsTest.appSettings(app).get("MUTEXIFY_REQUEST_QUEUE")).as(app.name()).isEqualTo(requestName);
            assertThat(InfraAppSettingsTest.appSettings(app).get("MUTEXIFY_REPLY_QUEUE")).as(app.name()).isEqualTo(replyName);
        }
        assertThat(bicep.resource("requestQueue").body().get("parent").text()).isEqualTo("serviceBus");
        assertThat(bicep.resource("replyQueue").body().get("parent").text()).isEqualTo("serviceBus");
    }

    @Test
    void theRequestQueueHasSessionsDuplicateDetectionAndDeadLettering() {
        Node q = props("requestQueue");
        assertThat(q.get("requiresSession").text()).isEqualTo("true");
        assertThat(q.get("requiresDuplicateDetection").text()).isEqualTo("true");
        assertThat(q.get("deadLetteringOnMessageExpiration").text()).isEqualTo("true");
        assertThat(q.get("duplicateDetectionHistoryTimeWindow").literal()).isEqualTo("PT10M");
        // HOST_JSON.md: lock duration 1 minute (the host renews it while a command runs)
        assertThat(q.get("lockDuration").literal()).isEqualTo("PT1M");
    }

    @Test
    void theLockkeeperTriggerReadsTheSessionEnabledRequestQueue() {
        String functions = Repo.read(LOCKKEEPER_FUNCTIONS);
        assertThat(functions).contains("queueName = \"%MUTEXIFY_REQUEST_QUEUE%\"").contains("isSessionsEnabled = true")
                .contains("connection = \"SERVICEBUS_CONNECTION\"");
    }

    @Test
    void theReplyQueueHasSessionsAndAShortTimeToLive() {
        Node q = props("replyQueue");
        // replies are sent with ReplyToSessionId = ff-<instance>: a receiver accepts its own session
        assertThat(q.get("requiresSession").text()).isEqualTo("true");
        assertThat(q.get("defaultMessageTimeToLive").literal()).isEqualTo("PT5M");
        String replySink = Repo.read("azure-adapters/src/main/java/io/mutexify/azure/servicebus/ServiceBusReplySink.java");
        assertThat(replySink).contains("setSessionId");
    }

    @Test
    void maxDeliveryCountIsOneParameterForTheQueueAndBothApps() {
        String expr = props("requestQueue").get("maxDeliveryCount").text();
        assertThat(bicep.params()).containsKey(expr);
        for (App app : App.values()) {
            assertThat(InfraAppSettingsTest.appSettings(app).get("MUTEXIFY_MAX_DELIVERY_COUNT")).as(app.name())
                    .isEqualTo("string(" + expr + ")");
        }
        assertThat(bicep.params().get(expr).defaultLiteral())
                .isEqualTo(Repo.javaConstant(SB_SETTINGS, "DEFAULT_MAX_DELIVERY_COUNT"));
        // ServiceBusSettings accepts 1-2000; so must the parameter
        assertThat(bicep.raw()).containsPattern("@minValue\\(1\\)\\s*@maxValue\\(2000\\)\\s*param " + expr + " int");
    }

    @Test
    void serviceBusIsStandardTierForSessions() {
        assertThat(bicep.resource("serviceBus").body().get("sku.name").literal()).isEqualTo("Standard");
    }

    @Test
    void theContainerHasThePartitionKeyPathTheStoreExpects() {
        Matcher m = Pattern.compile("new CosmosContainerProperties\\([^,]+,\\s*\"([^\"]+)\"\\)").matcher(Repo.read(COSMOS_STORE));
        assertThat(m.find()).as("CosmosSlotStore creates its container with a partition key path").isTrue();
        String codePath = m.group(1);
        assertThat(codePath).isEqualTo("/pk");
        Node pk = props("cosmosContainer").get("resource.partitionKey");
        List<String> paths = pk.get("paths").elements().stream().map(n -> bicep.resolve(n.text())).toList();
        assertThat(paths).containsExactly(codePath);
        assertThat(pk.get("kind").literal()).isEqualTo("Hash");
    }

    @Test
    void databaseAndContainerNamesAreTheCodeDefaultsAndTheAppSettings() {
        String db = bicep.resource("cosmosDatabase").body().get("name").text();
        String container = bicep.resource("cosmosContainer").body().get("name").text();
        assertThat(bicep.resolve(db)).isEqualTo(Repo.javaConstant(COSMOS_SETTINGS, "DEFAULT_DATABASE"));
        assertThat(bicep.resolve(container)).isEqualTo(Repo.javaConstant(COSMOS_SETTINGS, "DEFAULT_CONTAINER"));
        assertThat(props("cosmosDatabase").get("resource.id").text()).isEqualTo(db);
        assertThat(props("cosmosContainer").get("resource.id").text()).isEqualTo(container);
        assertThat(bicep.resource("cosmosContainer").body().get("parent").text()).isEqualTo("cosmosDatabase");
        for (App app : App.values()) {
            assertThat(InfraAppSettingsTest.appSettings(app).get("COSMOS_DATABASE")).isEqualTo(db);
            assertThat(InfraAppSettingsTest.appSettings(app).get("COSMOS_CONTAINER")).isEqualTo(container);
        }
    }

    @Test
    void cosmosIsTheNoSqlApi() {
        BicepFile.Resource account = bicep.resource("cosmos");
        assertThat(account.type()).isEqualTo("Microsoft.DocumentDB/databaseAccounts");
        assertThat(account.body().get("kind").literal()).isEqualTo("GlobalDocumentDB");
        assertThat(bicep.resource("cosmosContainer").type())
                .isEqualTo("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers");
    }
}
