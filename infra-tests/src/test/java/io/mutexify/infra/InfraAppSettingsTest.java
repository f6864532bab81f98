package io.mutexify.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.mutexify.infra.BicepFile.Node;
import io.mutexify.infra.Repo.App;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every setting an app reads is set on its Function App in infra/main.bicep, and nothing unknown is. */
class InfraAppSettingsTest {
    /**
     * Settings that hold a key in local.settings.json.example, and the identity-based setting the
     * infra gives instead (the Functions host and the Service Bus binding read {@code name__...}).
     */
    static final Map<String, String> IDENTITY_ALTERNATIVES = Map.of(
            "AzureWebJobsStorage", "AzureWebJobsStorage__accountName",
            "SERVICEBUS_CONNECTION", "SERVICEBUS_CONNECTION__fullyQualifiedNamespace");
    /** Read by the Functions platform (not the app): allowed in the infra on top of what the app reads. */
    static final Set<String> PLATFORM_SETTINGS = Set.of("FUNCTIONS_EXTENSION_VERSION", "AzureWebJobsStorage__accountName",
            "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "WEBSITE_CONTENTSHARE");

    /** The app's settings in main.bicep: name to value expression, in order. */
    static Map<String, String> appSettings(App app) {
        Node site = Repo.mainBicep().resource(app.bicepSymbol).body();
        Map<String, String> settings = new LinkedHashMap<>();
        for (Node entry : site.get("properties.siteConfig.appSettings").elements()) {
            String name = entry.get("name").literal();
            assertThat(settings).as("app setting %s set twice on %s", name, app).doesNotContainKey(name);
            settings.put(name, entry.get("value").text());
        }
        return settings;
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void everySettingTheAppReadsIsProvided(App app) {
        Set<String> read = Repo.settingsReadBy(app);
        // the scan must have found the app's own settings, or this test would pass vacuously
        assertThat(read).contains("COSMOS_ENDPOINT", "MUTEXIFY_REQUEST_QUEUE", "FUNCTIONS_WORKER_RUNTIME");
        Set<String> provided = appSettings(app).keySet();
        Set<String> missing = new TreeSet<>();
        for (String name : read) {
            boolean ok = provided.contains(name)
                    || IDENTITY_ALTERNATIVES.containsKey(name) && provided.contains(IDENTITY_ALTERNATIVES.get(name));
            if (!ok) {
                missing.add(name);
            }
        }
        assertThat(missing).as("settings %s reads but main.bicep does not set on %s", app, app.bicepSymbol).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void theInfraSetsNoSettingTheAppDoesNotRead(App app) {
        Set<String> read = Repo.settingsReadBy(app);
        Set<String> stray = new TreeSet<>(appSettings(app).keySet());
        stray.removeAll(read);
        stray.removeAll(PLATFORM_SETTINGS);
        stray.removeAll(IDENTITY_ALTERNATIVES.values());
        assertThat(stray).as("settings on %s that nothing reads (a typo?)", app.bicepSymbol).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void theSharedExampleListsEverySettingTheAppReads(App app) {
        assertThat(Repo.exampleSettings()).containsAll(Repo.settingsReadBy(app));
    }

    /** The values of {@code AccessConfig.SETTINGS} in the code: the defaults both hosts read. */
    private static String accessDefault(String name) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\",\\s*\"([^\"]*)\"")
                .matcher(Repo.read("frontface/src/main/java/io/mutexify/frontface/access/AccessConfig.java"));
        assertThat(m.find()).as(name + " in AccessConfig.SETTINGS").isTrue();
        return m.group(1);
    }

    @Test
    void theFrontfaceSignsPeopleInWithTheSettingsOfItsParameters() {
        Map<String, String> ff = appSettings(App.FRONTFACE);
        BicepFile bicep = Repo.mainBicep();
        assertThat(ff.get("MUTEXIFY_GOOGLE_CLIENT_IDS")).isEqualTo("googleClientIds");
        // no default: a deployment without a Google client would make a Frontface that refuses to start
        assertThat(bicep.params().get("googleClientIds").defaultValue()).isNull();
        assertThat(ff.get("MUTEXIFY_GOOGLE_CERTS_URL")).isEqualTo("'" + Repo.javaConstant(
                "frontface/src/main/java/io/mutexify/frontface/auth/GoogleIdTokens.java", "DEFAULT_CERTS_URL") + "'");
        assertThat(ff.get("MUTEXIFY_ADMINS")).isEqualTo("admins");
        assertThat(ff.get("MUTEXIFY_ALLOWED_DOMAINS")).isEqualTo("allowedDomains");
        assertThat(ff.get("MUTEXIFY_CORS_ORIGINS")).isEqualTo("corsOrigins");
        assertThat(ff.get("MUTEXIFY_RATE_LIMIT_PER_SECOND")).isEqualTo("string(rateLimitPerSecond)");
        assertThat(ff.get("MUTEXIFY_RATE_LIMIT_BURST")).isEqualTo("string(rateLimitBurst)");
        assertThat(bicep.params().get("rateLimitPerSecond").defaultLiteral()).isEqualTo(accessDefault("MUTEXIFY_RATE_LIMIT_PER_SECOND"));
        assertThat(bicep.params().get("rateLimitBurst").defaultLiteral()).isEqualTo(accessDefault("MUTEXIFY_RATE_LIMIT_BURST"));
        for (String local : new String[] {"MUTEXIFY_AUTH", "MUTEXIFY_DEV_SIGNIN", "MUTEXIFY_SESSION_HOURS"}) {
            assertThat(ff).as("no open access or dev sign-in on Azure").doesNotContainKey(local);
        }
        assertThat(appSettings(App.LOCKKEEPER)).doesNotContainKeys("MUTEXIFY_GOOGLE_CLIENT_IDS", "MUTEXIFY_ADMINS",
                "MUTEXIFY_CORS_ORIGINS");
    }

    @Test
    void browserPreflightsReachTheFrontfaceBecauseThePlatformCorsIsOff() {
        // Azure's own CORS would answer OPTIONS before the functions do; MUTEXIFY_CORS_ORIGINS is the one list.
        assertThat(Repo.mainBicep().resource(App.FRONTFACE.bicepSymbol).body().text()).doesNotContainPattern("(?m)^\\s*cors\\s*:");
    }

    @Test
    void onlyTheLockkeeperGetsEventGridAndPolicySettings() {
        assertThat(appSettings(App.LOCKKEEPER)).containsKeys("EVENTGRID_ENDPOINT", "MUTEXIFY_AUTO_REGISTER");
        assertThat(appSettings(App.FRONTFACE)).doesNotContainKeys("EVENTGRID_ENDPOINT", "EVENTGRID_KEY",
                "MUTEXIFY_AUTO_REGISTER");
        assertThat(appSettings(App.FRONTFACE)).containsKey("MUTEXIFY_REPLY_TIMEOUT_MS");
    }

    @ParameterizedTest
    @EnumSource(App.class)
    void credentialsAreManagedIdentityNotKeys(App app) {
        Map<String, String> s = appSettings(app);
        // blank key settings make the adapters use DefaultAzureCredential (the system-assigned identity)
        assertThat(s.get("COSMOS_KEY")).isEqualTo("''");
        if (s.containsKey("EVENTGRID_KEY")) {
            assertThat(s.get("EVENTGRID_KEY")).isEqualTo("''");
        }
        assertThat(s).doesNotContainKeys("SERVICEBUS_CONNECTION", "AzureWebJobsStorage");
        assertThat(s.get("SERVICEBUS_CONNECTION__fullyQualifiedNamespace")).contains(".servicebus.windows.net");
        assertThat(s.get("AzureWebJobsStorage__accountName")).isEqualTo("storage.name");
        assertThat(s.get("FUNCTIONS_WORKER_RUNTIME")).isEqualTo("'java'");
        assertThat(s.get("APPLICATIONINSIGHTS_ENABLE_AGENT")).isEqualTo("'true'");
        assertThat(s.get("APPLICATIONINSIGHTS_CONNECTION_STRING")).isEqualTo("insights.properties.ConnectionString");
        assertThat(s.get("COSMOS_ENDPOINT")).isEqualTo("cosmos.properties.documentEndpoint");
    }

    @Test
    void bothAppsShareTheQueueAndStoreSettings() {
        Map<String, String> ff = appSettings(App.FRONTFACE);
        Map<String, String> lk = appSettings(App.LOCKKEEPER);
        for (String name : new String[] {"COSMOS_ENDPOINT", "COSMOS_DATABASE", "COSMOS_CONTAINER",
                "SERVICEBUS_CONNECTION__fullyQualifiedNamespace", "MUTEXIFY_REQUEST_QUEUE", "MUTEXIFY_REPLY_QUEUE",
                "MUTEXIFY_MAX_DELIVERY_COUNT", "APPLICATIONINSIGHTS_CONNECTION_STRING"}) {
            assertThat(ff.get(name)).as(name).isNotNull().isEqualTo(lk.get(name));
        }
    }

    @Test
    void policyValuesAreWrittenTheWayTheCodeParsesThem() {
        // ARM's string(true) is 'True'; the SettingsReader takes either case, but the template writes what people write.
        assertThat(appSettings(App.LOCKKEEPER).get("MUTEXIFY_AUTO_REGISTER")).doesNotContain("string(")
                .contains("'true'").contains("'false'");
        BicepFile bicep = Repo.mainBicep();
        assertThat(bicep.params().get("autoRegister").type()).isEqualTo("bool");
        // defaults are the code's defaults
        assertThat(bicep.params().get("defaultTimeoutSeconds").defaultLiteral())
                .isEqualTo(Repo.javaConstant("shared-model/src/main/java/io/mutexify/model/slot/Limits.java", "DEFAULT_TIMEOUT"));
        assertThat(bicep.params().get("maxTimeoutSeconds").defaultLiteral())
                .isEqualTo(Repo.javaConstant("shared-model/src/main/java/io/mutexify/model/slot/Limits.java", "DEFAULT_MAX_TIMEOUT"));
    }
}
