// Mutexify on Azure: the two Function apps, their queues, store, events and monitoring.
// Plain Bicep: no registry modules, no nested modules, one resource per block. There is no Bicep
// compiler on the build machines, so infra-tests/ reads this file as text and checks it against
// the code (setting names, queue names, session flags, partition key, scale limit).
// Deploy: see docs/azure-deploy.md.

targetScope = 'resourceGroup'

@description('Prefix of every resource name (lowercase letters and digits, 3-11 characters).')
@minLength(3)
@maxLength(11)
param baseName string = 'mutexify'

@description('Region of every resource.')
param location string = resourceGroup().location

@description('Functions plan SKU. Elastic Premium keeps instances warm, which the Frontface reply receiver and the Lockkeeper outbox relay need (see HOST_JSON.md).')
@allowed([
  'EP1'
  'EP2'
  'EP3'
])
param functionsPlanSku string = 'EP1'

@description('Most instances the Frontface app may scale out to.')
@minValue(1)
@maxValue(100)
param frontfaceMaxInstances int = 10

@description('Service Bus queue of commands (session id = slot id). Must match MUTEXIFY_REQUEST_QUEUE; the code defaults to mutexify-requests.')
param requestQueueName string = 'mutexify-requests'

@description('Service Bus queue of replies (session id = Frontface instance). Must match MUTEXIFY_REPLY_QUEUE; the code defaults to mutexify-replies.')
param replyQueueName string = 'mutexify-replies'

@description('MaxDeliveryCount of the request queue, also given to both apps as MUTEXIFY_MAX_DELIVERY_COUNT: the last attempt answers with an error before Service Bus dead-letters.')
@minValue(1)
@maxValue(2000)
param maxDeliveryCount int = 10

@description('Cosmos DB database (COSMOS_DATABASE).')
param cosmosDatabaseName string = 'mutexify'

@description('Cosmos DB container (COSMOS_CONTAINER); its partition key path is /pk.')
param cosmosContainerName string = 'slots'

@description('Cosmos DB autoscale maximum throughput (RU/s) of the container.')
@minValue(1000)
param cosmosMaxThroughput int = 1000

@description('Lockkeeper policy: acquiring an unregistered slot registers it (MUTEXIFY_AUTO_REGISTER).')
param autoRegister bool = true

@description('Lockkeeper policy: default lock timeout in seconds (MUTEXIFY_DEFAULT_TIMEOUT).')
@minValue(1)
param defaultTimeoutSeconds int = 60

@description('Lockkeeper policy: largest lock timeout in seconds (MUTEXIFY_MAX_TIMEOUT).')
@minValue(1)
@maxValue(2592000)
param maxTimeoutSeconds int = 86400

@description('Lockkeeper policy: seconds a long wait may go unpolled before its waiter leaves the line (MUTEXIFY_LONG_WAIT_GRACE_SECONDS).')
@minValue(1)
@maxValue(3600)
param longWaitGraceSeconds int = 30

@description('Lockkeeper: hours replies are kept for idempotent retries (MUTEXIFY_REPLY_RETENTION_HOURS).')
@minValue(1)
param replyRetentionHours int = 24

@description('Frontface: milliseconds a change waits for the Lockkeeper before answering 202 (MUTEXIFY_REPLY_TIMEOUT_MS, 100-120000).')
@minValue(100)
@maxValue(120000)
param replyTimeoutMs int = 10000

@description('Frontface sign-in: Google OAuth client id(s), comma-separated (MUTEXIFY_GOOGLE_CLIENT_IDS); the audience of an ID token must be one of them. Required: the Frontface does not start without one. Create it in the Google Cloud console (docs/azure.md, "Sign-in on Azure").')
@minLength(1)
param googleClientIds string

@description('Frontface: e-mail addresses of administrators, comma-separated (MUTEXIFY_ADMINS). Empty: none.')
param admins string = ''

@description('Frontface: e-mail domains allowed to sign in, comma-separated (MUTEXIFY_ALLOWED_DOMAINS). Empty: any.')
param allowedDomains string = ''

@description('Frontface: changes per second per principal, 0 = no limit (MUTEXIFY_RATE_LIMIT_PER_SECOND).')
@minValue(0)
@maxValue(1000000)
param rateLimitPerSecond int = 1000

@description('Frontface: changes a principal may make at once before the per-second rate applies (MUTEXIFY_RATE_LIMIT_BURST).')
@minValue(1)
@maxValue(10000000)
param rateLimitBurst int = 2000

@description('Frontface: browser origins allowed to call the API, comma-separated, e.g. https://locks.example.com (MUTEXIFY_CORS_ORIGINS). Empty: no CORS headers; the web UI the Frontface serves itself at /ui/ needs none.')
param corsOrigins string = ''

@description('Optional HTTPS webhook that receives every lock and slot event as a CloudEvent 1.0. Empty: no subscription is created.')
@secure()
param eventWebhookUrl string = ''

@description('Optional e-mail address for alerts. Empty: the alerts fire in the portal only.')
param alertEmail string = ''

@description('Alert when more than this many commands wait in the request queue.')
@minValue(1)
param backlogAlertThreshold int = 100

@description('Alert when the 95th percentile of Frontface calls that never wait (reads, extends, releases, request polls) is slower than this, in milliseconds.')
@minValue(100)
param frontfaceLatencyAlertMs int = 2000

@description('Log Analytics retention in days.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

var suffix = uniqueString(resourceGroup().id)
var storageName = take('${baseName}st${suffix}', 24)
var frontfaceName = '${baseName}-frontface-${suffix}'
var lockkeeperName = '${baseName}-lockkeeper-${suffix}'
var cosmosName = '${baseName}-cosmos-${suffix}'
var serviceBusName = '${baseName}-sb-${suffix}'
var topicName = '${baseName}-events-${suffix}'
var workspaceName = '${baseName}-logs-${suffix}'
var insightsName = '${baseName}-insights-${suffix}'
var cosmosPartitionKeyPath = '/pk'
// Events Event Grid could not deliver (retries exhausted or the subscriber refused them) land here.
var eventDeadLetterContainer = 'event-dead-letters'

// Built-in role definitions (ids are the same in every tenant).
var roleServiceBusDataSender = '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
var roleServiceBusDataReceiver = '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
var roleEventGridDataSender = 'd5a91429-5739-47e2-a06b-3470a27159e7'
var roleStorageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var roleStorageQueueDataContributor = '974c5e8b-45b6-4153-ba73-a0f0b6d6e7c7'
var roleStorageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
// Cosmos DB Built-in Data Contributor: a data-plane role of the account, not an Azure RBAC role.
var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'

// ---------------------------------------------------------------- monitoring

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: workspaceName
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: insightsName
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

// ---------------------------------------------------------------- the Functions host's storage

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: storageName
  location: location
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource storageBlobs 'Microsoft.Storage/storageAccounts/blobServices@2023-01-01' = {
  parent: storage
  name: 'default'
}

resource eventDeadLetters 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-01-01' = {
  parent: storageBlobs
  name: eventDeadLetterContainer
  properties: {
    publicAccess: 'None'
  }
}

// ---------------------------------------------------------------- Service Bus

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: serviceBusName
  location: location
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    minimumTlsVersion: '1.2'
  }
}

resource requestQueue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: serviceBus
  name: requestQueueName
  properties: {
    requiresSession: true
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    lockDuration: 'PT1M'
    maxDeliveryCount: maxDeliveryCount
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P14D'
  }
}

resource replyQueue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = {
  parent: serviceBus
  name: replyQueueName
  properties: {
    requiresSession: true
    requiresDuplicateDetection: false
    lockDuration: 'PT30S'
    maxDeliveryCount: 10
    deadLetteringOnMessageExpiration: false
    defaultMessageTimeToLive: 'PT5M'
  }
}

// ---------------------------------------------------------------- Cosmos DB (NoSQL API)

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: cosmosName
  location: location
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    // Strong, single region: the Frontface (one client) reads what the Lockkeeper (another client) just
    // committed. Session would only guarantee that within one client. See README "Running on Azure".
    consistencyPolicy: {
      defaultConsistencyLevel: 'Strong'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
  }
}

resource cosmosDatabase 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: cosmos
  name: cosmosDatabaseName
  properties: {
    resource: {
      id: cosmosDatabaseName
    }
  }
}

resource cosmosContainer 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = {
  parent: cosmosDatabase
  name: cosmosContainerName
  properties: {
    resource: {
      id: cosmosContainerName
      partitionKey: {
        paths: [
          cosmosPartitionKeyPath
        ]
        kind: 'Hash'
      }
      // TTL on, nothing expires by default: replies and request pointers (a day), pending-request
      // records (15 minutes) and delivered outbox documents (an hour) carry a ttl of their own.
      defaultTtl: -1
    }
    options: {
      autoscaleSettings: {
        maxThroughput: cosmosMaxThroughput
      }
    }
  }
}

// ---------------------------------------------------------------- Event Grid

resource topic 'Microsoft.EventGrid/topics@2022-06-15' = {
  name: topicName
  location: location
  properties: {
    inputSchema: 'CloudEventSchemaV1_0'
    publicNetworkAccess: 'Enabled'
  }
}

resource webhookSubscription 'Microsoft.EventGrid/topics/eventSubscriptions@2022-06-15' = if (!empty(eventWebhookUrl)) {
  parent: topic
  name: 'webhook'
  properties: {
    eventDeliverySchema: 'CloudEventSchemaV1_0'
    destination: {
      endpointType: 'WebHook'
      properties: {
        endpointUrl: eventWebhookUrl
      }
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
    // After the retries an event is kept, not dropped: a blob per undelivered event.
    deadLetterDestination: {
      endpointType: 'StorageBlob'
      properties: {
        resourceId: storage.id
        blobContainerName: eventDeadLetterContainer
      }
    }
  }
  dependsOn: [
    eventDeadLetters
  ]
}

// ---------------------------------------------------------------- the Function apps

resource frontfacePlan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${frontfaceName}-plan'
  location: location
  kind: 'elastic'
  sku: {
    name: functionsPlanSku
    tier: 'ElasticPremium'
  }
  properties: {
    reserved: true
    maximumElasticWorkerCount: frontfaceMaxInstances
  }
}

resource lockkeeperPlan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: '${lockkeeperName}-plan'
  location: location
  kind: 'elastic'
  sku: {
    name: functionsPlanSku
    tier: 'ElasticPremium'
  }
  properties: {
    reserved: true
    maximumElasticWorkerCount: 1
  }
}

resource frontfaceApp 'Microsoft.Web/sites@2023-12-01' = {
  name: frontfaceName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: frontfacePlan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'Java|17'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      functionAppScaleLimit: frontfaceMaxInstances
      minimumElasticInstanceCount: 1
      appSettings: [
        {
          name: 'FUNCTIONS_EXTENSION_VERSION'
          value: '~4'
        }
        {
          name: 'FUNCTIONS_WORKER_RUNTIME'
          value: 'java'
        }
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storage.name
        }
        {
          name: 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING'
          value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};EndpointSuffix=${environment().suffixes.storage};AccountKey=${storage.listKeys().keys[0].value}'
        }
        {
          name: 'WEBSITE_CONTENTSHARE'
          value: toLower(frontfaceName)
        }
        {
          name: 'APPLICATIONINSIGHTS_ENABLE_AGENT'
          value: 'true'
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: insights.properties.ConnectionString
        }
        {
          name: 'COSMOS_ENDPOINT'
          value: cosmos.properties.documentEndpoint
        }
        {
          name: 'COSMOS_KEY'
          value: ''
        }
        {
          name: 'COSMOS_DATABASE'
          value: cosmosDatabaseName
        }
        {
          name: 'COSMOS_CONTAINER'
          value: cosmosContainerName
        }
        {
          name: 'SERVICEBUS_CONNECTION__fullyQualifiedNamespace'
          value: '${serviceBus.name}.servicebus.windows.net'
        }
        {
          name: 'MUTEXIFY_REQUEST_QUEUE'
          value: requestQueueName
        }
        {
          name: 'MUTEXIFY_REPLY_QUEUE'
          value: replyQueueName
        }
        {
          name: 'MUTEXIFY_MAX_DELIVERY_COUNT'
          value: string(maxDeliveryCount)
        }
        {
          name: 'MUTEXIFY_REPLY_TIMEOUT_MS'
          value: string(replyTimeoutMs)
        }
        {
          name: 'MUTEXIFY_GOOGLE_CLIENT_IDS'
          value: googleClientIds
        }
        {
          name: 'MUTEXIFY_GOOGLE_CERTS_URL'
          value: 'https://www.googleapis.com/oauth2/v1/certs'
        }
        {
          name: 'MUTEXIFY_ADMINS'
          value: admins
        }
        {
          name: 'MUTEXIFY_ALLOWED_DOMAINS'
          value: allowedDomains
        }
        {
          name: 'MUTEXIFY_RATE_LIMIT_PER_SECOND'
          value: string(rateLimitPerSecond)
        }
        {
          name: 'MUTEXIFY_RATE_LIMIT_BURST'
          value: string(rateLimitBurst)
        }
        {
          name: 'MUTEXIFY_CORS_ORIGINS'
          value: corsOrigins
        }
      ]
    }
  }
}

resource lockkeeperApp 'Microsoft.Web/sites@2023-12-01' = {
  name: lockkeeperName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: lockkeeperPlan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'Java|17'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      functionAppScaleLimit: 1
      minimumElasticInstanceCount: 1
      appSettings: [
        {
          name: 'FUNCTIONS_EXTENSION_VERSION'
          value: '~4'
        }
        {
          name: 'FUNCTIONS_WORKER_RUNTIME'
          value: 'java'
        }
        {
          name: 'AzureWebJobsStorage__accountName'
          value: storage.name
        }
        {
          name: 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING'
          value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};EndpointSuffix=${environment().suffixes.storage};AccountKey=${storage.listKeys().keys[0].value}'
        }
        {
          name: 'WEBSITE_CONTENTSHARE'
          value: toLower(lockkeeperName)
        }
        {
          name: 'APPLICATIONINSIGHTS_ENABLE_AGENT'
          value: 'true'
        }
        {
          name: 'APPLICATIONINSIGHTS_CONNECTION_STRING'
          value: insights.properties.ConnectionString
        }
        {
          name: 'COSMOS_ENDPOINT'
          value: cosmos.properties.documentEndpoint
        }
        {
          name: 'COSMOS_KEY'
          value: ''
        }
        {
          name: 'COSMOS_DATABASE'
          value: cosmosDatabaseName
        }
        {
          name: 'COSMOS_CONTAINER'
          value: cosmosContainerName
        }
        {
          name: 'SERVICEBUS_CONNECTION__fullyQualifiedNamespace'
          value: '${serviceBus.name}.servicebus.windows.net'
        }
        {
          name: 'MUTEXIFY_REQUEST_QUEUE'
          value: requestQueueName
        }
        {
          name: 'MUTEXIFY_REPLY_QUEUE'
          value: replyQueueName
        }
        {
          name: 'MUTEXIFY_MAX_DELIVERY_COUNT'
          value: string(maxDeliveryCount)
        }
        {
          name: 'MUTEXIFY_AUTO_REGISTER'
          value: autoRegister ? 'true' : 'false'
        }
        {
          name: 'MUTEXIFY_DEFAULT_TIMEOUT'
          value: string(defaultTimeoutSeconds)
        }
        {
          name: 'MUTEXIFY_MAX_TIMEOUT'
          value: string(maxTimeoutSeconds)
        }
        {
          name: 'MUTEXIFY_LONG_WAIT_GRACE_SECONDS'
          value: string(longWaitGraceSeconds)
        }
        {
          name: 'MUTEXIFY_REPLY_RETENTION_HOURS'
          value: string(replyRetentionHours)
        }
        {
          name: 'EVENTGRID_ENDPOINT'
          value: topic.properties.endpoint
        }
        {
          name: 'EVENTGRID_KEY'
          value: ''
        }
      ]
    }
  }
}

// ---------------------------------------------------------------- managed identity: who may do what

resource frontfaceSendsCommands 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: requestQueue
  name: guid(requestQueue.id, frontfaceApp.id, roleServiceBusDataSender)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleServiceBusDataSender)
    principalId: frontfaceApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource frontfaceReceivesReplies 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: replyQueue
  name: guid(replyQueue.id, frontfaceApp.id, roleServiceBusDataReceiver)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleServiceBusDataReceiver)
    principalId: frontfaceApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// The Lockkeeper receives commands, and also sends: replies, and timers as scheduled messages on the request queue.
resource lockkeeperReceivesCommands 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: requestQueue
  name: guid(requestQueue.id, lockkeeperApp.id, roleServiceBusDataReceiver)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleServiceBusDataReceiver)
    principalId: lockkeeperApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource lockkeeperSendsTimers 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: requestQueue
  name: guid(requestQueue.id, lockkeeperApp.id, roleServiceBusDataSender)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleServiceBusDataSender)
    principalId: lockkeeperApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource lockkeeperSendsReplies 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: replyQueue
  name: guid(replyQueue.id, lockkeeperApp.id, roleServiceBusDataSender)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleServiceBusDataSender)
    principalId: lockkeeperApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource lockkeeperPublishesEvents 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: topic
  name: guid(topic.id, lockkeeperApp.id, roleEventGridDataSender)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleEventGridDataSender)
    principalId: lockkeeperApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource frontfaceCosmosData 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: cosmos
  name: guid(cosmos.id, frontfaceApp.id, cosmosDataContributorRoleId)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributorRoleId}'
    principalId: frontfaceApp.identity.principalId
    scope: cosmos.id
  }
}

resource lockkeeperCosmosData 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: cosmos
  name: guid(cosmos.id, lockkeeperApp.id, cosmosDataContributorRoleId)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributorRoleId}'
    principalId: lockkeeperApp.identity.principalId
    scope: cosmos.id
  }
}

// The Functions host's AzureWebJobsStorage__accountName: blobs (keys, timer leases), queues and tables.
resource frontfaceHostBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, frontfaceApp.id, roleStorageBlobDataOwner)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleStorageBlobDataOwner)
    principalId: frontfaceApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource frontfaceHostQueues 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, frontfaceApp.id, roleStorageQueueDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleStorageQueueDataContributor)
    principalId: frontfaceApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource frontfaceHostTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, frontfaceApp.id, roleStorageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleStorageTableDataContributor)
    principalId: frontfaceApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource lockkeeperHostBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, lockkeeperApp.id, roleStorageBlobDataOwner)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleStorageBlobDataOwner)
    principalId: lockkeeperApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource lockkeeperHostQueues 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, lockkeeperApp.id, roleStorageQueueDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleStorageQueueDataContributor)
    principalId: lockkeeperApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource lockkeeperHostTables 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, lockkeeperApp.id, roleStorageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleStorageTableDataContributor)
    principalId: lockkeeperApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------- alerts

resource alertGroup 'Microsoft.Insights/actionGroups@2023-01-01' = if (!empty(alertEmail)) {
  name: '${baseName}-alerts'
  location: 'global'
  properties: {
    groupShortName: 'mutexify'
    enabled: true
    emailReceivers: [
      {
        name: 'operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

resource deadLetterAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${baseName}-request-queue-dead-letters'
  location: 'global'
  properties: {
    description: 'A command was dead-lettered on the request queue: it failed MUTEXIFY_MAX_DELIVERY_COUNT times (the client got 503 command_failed). Inspect the dead-letter queue.'
    severity: 1
    enabled: true
    scopes: [
      serviceBus.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'deadLettered'
          criterionType: 'StaticThresholdCriterion'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'DeadletteredMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                requestQueueName
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Maximum'
        }
      ]
    }
    actions: empty(alertEmail) ? [] : [
      {
        actionGroupId: alertGroup.id
      }
    ]
  }
}

resource backlogAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${baseName}-request-queue-backlog'
  location: 'global'
  properties: {
    description: 'Commands are waiting in the request queue: the Lockkeeper is down, slow, or failing.'
    severity: 2
    enabled: true
    scopes: [
      serviceBus.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'activeMessages'
          criterionType: 'StaticThresholdCriterion'
          metricNamespace: 'Microsoft.ServiceBus/namespaces'
          metricName: 'ActiveMessages'
          dimensions: [
            {
              name: 'EntityName'
              operator: 'Include'
              values: [
                requestQueueName
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: backlogAlertThreshold
          timeAggregation: 'Average'
        }
      ]
    }
    actions: empty(alertEmail) ? [] : [
      {
        actionGroupId: alertGroup.id
      }
    ]
  }
}

resource lockkeeperFailureAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${baseName}-lockkeeper-failures'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'Lockkeeper function failures'
    description: 'Lockkeeper invocations failed (store errors, commands that keep failing). Each failure is retried by Service Bus; see the Failures blade.'
    severity: 2
    enabled: true
    scopes: [
      insights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'requests | where cloud_RoleName =~ "${lockkeeperName}" and success == false'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: empty(alertEmail) ? [] : [
        alertGroup.id
      ]
    }
  }
}

resource cosmosThrottleAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${baseName}-cosmos-throttled'
  location: 'global'
  properties: {
    description: 'Cosmos DB answered 429 (request rate too large): the container needs more RU/s than cosmosMaxThroughput, or something reads far more than the budget (README "Running on Azure"). The SDK retries 429s for up to 30 s, so calls slow down before they fail.'
    severity: 2
    enabled: true
    scopes: [
      cosmos.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'throttled'
          criterionType: 'StaticThresholdCriterion'
          metricNamespace: 'Microsoft.DocumentDB/databaseAccounts'
          metricName: 'TotalRequests'
          dimensions: [
            {
              name: 'StatusCode'
              operator: 'Include'
              values: [
                '429'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Count'
        }
      ]
    }
    actions: empty(alertEmail) ? [] : [
      {
        actionGroupId: alertGroup.id
      }
    ]
  }
}

resource frontfaceErrorAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${baseName}-frontface-5xx'
  location: 'global'
  properties: {
    description: 'The Frontface answered 5xx: a 500 is a bug; a 503 means the store or the queue is unreachable or a command was given up (command_failed).'
    severity: 1
    enabled: true
    scopes: [
      frontfaceApp.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          name: 'serverErrors'
          criterionType: 'StaticThresholdCriterion'
          metricNamespace: 'Microsoft.Web/sites'
          metricName: 'Http5xx'
          operator: 'GreaterThan'
          threshold: 0
          timeAggregation: 'Total'
        }
      ]
    }
    actions: empty(alertEmail) ? [] : [
      {
        actionGroupId: alertGroup.id
      }
    ]
  }
}

resource frontfaceLatencyAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${baseName}-frontface-latency'
  location: location
  kind: 'LogAlert'
  properties: {
    displayName: 'Frontface latency'
    description: 'Frontface calls that never wait on purpose (acquire with wait and slot long-polls excluded) are slow at the 95th percentile: the store is throttled or the Lockkeeper is behind.'
    severity: 2
    enabled: true
    scopes: [
      insights.id
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: 'requests | where cloud_RoleName =~ "${frontfaceName}" and name !in ("lockAcquireOrStatus", "slot") | summarize p95 = percentile(duration, 95) | where p95 > ${frontfaceLatencyAlertMs}'
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: empty(alertEmail) ? [] : [
        alertGroup.id
      ]
    }
  }
}

// ---------------------------------------------------------------- the lock activity workbook

var workbookContent = {
  version: 'Notebook/1.0'
  items: [
    {
      type: 1
      name: 'title'
      content: {
        json: '## Mutexify lock activity\nCustom events and metrics sent by the Lockkeeper (LockkeeperTelemetry).'
      }
    }
    {
      type: 3
      name: 'lockEvents'
      content: {
        version: 'KqlItem/1.0'
        title: 'Lock events per 5 minutes (acquired, extended, released, expired, broken)'
        query: 'customEvents | where name startswith "io.mutexify.lock." | summarize count() by name, bin(timestamp, 5m) | render timechart'
        size: 0
        timeContext: {
          durationMs: 86400000
        }
        queryType: 0
        resourceType: 'microsoft.insights/components'
        visualization: 'timechart'
      }
    }
    {
      type: 3
      name: 'acquiresBySlot'
      content: {
        version: 'KqlItem/1.0'
        title: 'Acquires by slot'
        query: 'customEvents | where name == "io.mutexify.lock.acquired" | summarize acquires = count() by slot = tostring(customDimensions.slot) | top 20 by acquires'
        size: 0
        timeContext: {
          durationMs: 86400000
        }
        queryType: 0
        resourceType: 'microsoft.insights/components'
        visualization: 'table'
      }
    }
    {
      type: 3
      name: 'contention'
      content: {
        version: 'KqlItem/1.0'
        title: 'Contention: waiters queued behind a holder'
        query: 'customMetrics | where name == "mutexify.contention" | summarize waiters = sum(valueSum) by slot = tostring(customDimensions.slot), bin(timestamp, 5m) | render timechart'
        size: 0
        timeContext: {
          durationMs: 86400000
        }
        queryType: 0
        resourceType: 'microsoft.insights/components'
        visualization: 'timechart'
      }
    }
    {
      type: 3
      name: 'holdTimes'
      content: {
        version: 'KqlItem/1.0'
        title: 'Hold times (seconds) by how the hold ended'
        query: 'customMetrics | where name == "mutexify.hold.seconds" | extend ended = tostring(customDimensions.end) | summarize holds = sum(valueCount), avg = sum(valueSum) / sum(valueCount), p50 = percentile(value, 50), p95 = percentile(value, 95), max = max(valueMax) by ended'
        size: 0
        timeContext: {
          durationMs: 86400000
        }
        queryType: 0
        resourceType: 'microsoft.insights/components'
        visualization: 'table'
      }
    }
    {
      type: 3
      name: 'expiries'
      content: {
        version: 'KqlItem/1.0'
        title: 'Expiries: holders that did not release in time'
        query: 'customEvents | where name == "io.mutexify.lock.expired" | summarize expiries = count() by slot = tostring(customDimensions.slot), bin(timestamp, 1h) | render columnchart'
        size: 0
        timeContext: {
          durationMs: 86400000
        }
        queryType: 0
        resourceType: 'microsoft.insights/components'
        visualization: 'barchart'
      }
    }
    {
      type: 3
      name: 'store'
      content: {
        version: 'KqlItem/1.0'
        title: 'Store: commit latency (ms), commands per batch, ETag conflicts'
        query: 'customMetrics | where name in ("mutexify.store.commit.ms", "mutexify.batch.commands", "mutexify.store.conflict") | summarize avg = sum(valueSum) / sum(valueCount), total = sum(valueSum) by name, bin(timestamp, 5m) | render timechart'
        size: 0
        timeContext: {
          durationMs: 86400000
        }
        queryType: 0
        resourceType: 'microsoft.insights/components'
        visualization: 'timechart'
      }
    }
  ]
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: guid(resourceGroup().id, baseName, 'lock-activity')
  location: location
  kind: 'shared'
  properties: {
    displayName: 'Mutexify lock activity'
    category: 'workbook'
    sourceId: insights.id
    serializedData: string(workbookContent)
  }
}

// ---------------------------------------------------------------- outputs

output frontfaceAppName string = frontfaceApp.name
output lockkeeperAppName string = lockkeeperApp.name
output frontfaceUrl string = 'https://${frontfaceApp.properties.defaultHostName}'
@description('The web UI; add frontfaceUrl to the authorized JavaScript origins of the Google OAuth client.')
output frontfaceUiUrl string = 'https://${frontfaceApp.properties.defaultHostName}/ui/'
output cosmosEndpoint string = cosmos.properties.documentEndpoint
output serviceBusNamespace string = '${serviceBus.name}.servicebus.windows.net'
output eventGridTopicEndpoint string = topic.properties.endpoint
output eventGridTopicName string = topic.name
output applicationInsightsName string = insights.name
output workbookId string = workbook.id
