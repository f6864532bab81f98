package io.mutexify.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.infra.BicepFile.Node;
import io.mutexify.infra.BicepFile.Resource;
import io.mutexify.infra.Repo.App;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The two Function apps: Java 17 on Linux, managed identities with the data roles they need, one Lockkeeper. */
class InfraFunctionAppsTest {
    static final String SERVICE_BUS_DATA_SENDER = "69a216fc-b8fb-44d8-bc22-1f3c2cd27a39";
    static final String SERVICE_BUS_DATA_RECEIVER = "4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0";
    static final String EVENTGRID_DATA_SENDER = "d5a91429-5739-47e2-a06b-3470a27159e7";
    static final String STORAGE_BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    static final String STORAGE_QUEUE_DATA_CONTRIBUTOR = "974c5e8b-45b6-4153-ba73-a0f0b6d6e7c7";
    static final String COSMOS_BUILT_IN_DATA_CONTRIBUTOR = "00000000-0000-0000-0000-000000000002";

    private final BicepFile bicep = Repo.mainBicep();

    @Test
    void theLockkeeperIsHeldToOneInstance() {
        Node site = bicep.resource(App.LOCKKEEPER.bicepSymbol).body();
        assertThat(site.get("properties.siteConfig.functionAppScaleLimit").text()).isEqualTo("1");
        String plan = site.get("properties.serverFarmId").text();
        assertThat(plan).endsWith(".id");
        Node planBody = bicep.resource(plan.substring(0, plan.length() - ".id".length())).body();
        assertThat(planBody.get("properties.maximumElasticWorkerCount").text()).isEqualTo("1");
        // the Frontface scales on a plan of its own
        String frontfacePlan = bicep.resource(App.FRONTFACE.bicepSymbol).body().get("properties.serverFarmId").text();
        assertThat(frontfacePlan).isNotEqualTo(plan);
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void eachAppIsJava17OnLinuxWithASystemAssignedIdentity(App app) {
        Resource site = bicep.resource(app.bicepSymbol);
        assertThat(site.type()).isEqualTo("Microsoft.Web/sites");
        assertThat(site.body().get("kind").literal()).isEqualTo("functionapp,linux");
        assertThat(site.body().get("identity.type").literal()).isEqualTo("SystemAssigned");
        assertThat(site.body().get("properties.siteConfig.linuxFxVersion").literal()).isEqualTo("Java|17");
        assertThat(site.body().get("properties.httpsOnly").text()).isEqualTo("true");
        String plan = site.body().get("properties.serverFarmId").text().replace(".id", "");
        assertThat(bicep.resource(plan).body().get("properties.reserved").text()).as("Linux plan").isEqualTo("true");
        // the Java version the apps are built for
        assertThat(Repo.read("azure-functions/" + app.folder + "/pom.xml")).contains("<javaVersion>17</javaVersion>")
                .contains("<os>linux</os>");
    }

    /** Role GUIDs granted to an app's identity on a scope, as "role@scope". */
    private Set<String> grants(App app) {
        Set<String> grants = new TreeSet<>();
        String principal = app.bicepSymbol + ".identity.principalId";
        for (Resource r : bicep.resourcesOfType("Microsoft.Authorization/roleAssignments")) {
            Node p = r.body().get("properties");
            if (!p.get("principalId").text().equals(principal)) {
                continue;
            }
            assertThat(p.get("principalType").literal()).isEqualTo("ServicePrincipal");
            String def = p.get("roleDefinitionId").text();
            String roleVar = def.replaceAll(".*,\\s*(\\w+)\\s*\\)$", "$1");
            grants.add(bicep.resolve(roleVar) + "@" + r.body().get("scope").text());
        }
        for (Resource r : bicep.resourcesOfType("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments")) {
            Node p = r.body().get("properties");
            if (p.get("principalId").text().equals(principal)) {
                String def = p.get("roleDefinitionId").text();
                String roleVar = def.replaceAll(".*\\$\\{(\\w+)}'$", "$1");
                grants.add(bicep.resolve(roleVar) + "@" + r.body().get("parent").text());
            }
        }
        return grants;
    }

    @Test
    void theFrontfaceSendsCommandsAndReceivesReplies() {
        assertThat(grants(App.FRONTFACE)).contains(
                SERVICE_BUS_DATA_SENDER + "@requestQueue",
                SERVICE_BUS_DATA_RECEIVER + "@replyQueue",
                COSMOS_BUILT_IN_DATA_CONTRIBUTOR + "@cosmos",
                STORAGE_BLOB_DATA_OWNER + "@storage",
                STORAGE_QUEUE_DATA_CONTRIBUTOR + "@storage");
        assertThat(grants(App.FRONTFACE)).noneMatch(g -> g.startsWith(EVENTGRID_DATA_SENDER));
    }

    @Test
    void theLockkeeperReceivesCommandsSendsTimersAndRepliesAndPublishesEvents() {
        assertThat(grants(App.LOCKKEEPER)).contains(
                SERVICE_BUS_DATA_RECEIVER + "@requestQueue",
                SERVICE_BUS_DATA_SENDER + "@requestQueue",
                SERVICE_BUS_DATA_SENDER + "@replyQueue",
                EVENTGRID_DATA_SENDER + "@topic",
                COSMOS_BUILT_IN_DATA_CONTRIBUTOR + "@cosmos",
                STORAGE_BLOB_DATA_OWNER + "@storage",
                STORAGE_QUEUE_DATA_CONTRIBUTOR + "@storage");
    }

    @Test
    void roleAssignmentNamesAreDeterministicAndDistinct() {
        Set<String> names = new TreeSet<>();
        for (Resource r : bicep.resources()) {
            if (r.type().endsWith("roleAssignments") || r.type().endsWith("sqlRoleAssignments")) {
                String name = r.body().get("name").text();
                assertThat(name).as(r.symbol()).startsWith("guid(");
                assertThat(names.add(name)).as("role assignment name used twice: " + name).isTrue();
            }
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(10);
    }
}
