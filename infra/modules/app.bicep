// The Container Apps environment and the app running the Ratify host, scaled by KEDA on the task hub's queues and on HTTP.

@description('Azure region of the resources.')
param location string

@description('Name of the container app; also the first label of its default host name.')
param appName string

@description('Name of the Container Apps environment.')
param environmentName string

@description('Container image of the host, built from the repository Dockerfile.')
param containerImage string

@description('Registry server to pull the image from with the managed identity (it needs AcrPull there); empty for a public image.')
param registryServer string

@description('CPU cores per replica.')
param cpuCores string

@description('Memory per replica, e.g. 1Gi (Container Apps pairs it with the CPU: 0.5 cores with 1Gi, 1 core with 2Gi).')
param memory string

@description('Resource id of the user-assigned managed identity.')
param identityId string

@description('Client id of the user-assigned managed identity.')
param identityClientId string

@description('Name of the storage account.')
param storageAccountName string

@description('Table, queue and blob endpoints of the storage account.')
param storageEndpoints { table: string, queue: string, blob: string }

@description('The task hub name and its partition count, passed to the host so that they match the scale rules.')
param taskHub { name: string, partitionCount: int }

@description('Names of the queues the scale rules watch: the control queues and the work-item queue.')
param scaledQueueNames array

@description('URI of the Key Vault holding the secrets, ending in a slash.')
param keyVaultUri string

@description('Approval-link signing key ids; each has a Key Vault secret approval-signing-key-<id>.')
param approvalSigningKeyIds array

@description('The approval-link signing key id that signs new links.')
param activeApprovalSigningKeyId string

@description('Names of the connector secrets ({{secrets.NAME}}); each has a Key Vault secret connector-<name>.')
param connectorSecretNames array

@description('Whether the Key Vault secret bootstrap-admin-key holds an admin API key accepted from the first start.')
param useBootstrapAdminKey bool

@description('Base URL in approval links; empty for the app\'s own https address.')
param publicBaseUrl string

@description('Replica bounds and scale targets.')
param scale { minReplicas: int, maxReplicas: int, messagesPerReplica: int, concurrentRequestsPerReplica: int }

@description('Whether the app is reachable from the internet (else only inside the environment).')
param externalIngress bool

@description('Names of the Log Analytics workspace and the Application Insights component.')
param monitoring { workspaceName: string, appInsightsName: string }

@description('Tags put on every resource.')
param tags object

var port = 8080

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: monitoring.workspaceName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: monitoring.appInsightsName
}

resource environment 'Microsoft.App/managedEnvironments@2025-02-02-preview' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
    // The environment's OpenTelemetry agent gives the app OTEL_EXPORTER_OTLP_ENDPOINT and forwards to Application Insights.
    appInsightsConfiguration: {
      connectionString: appInsights.properties.ConnectionString
    }
    openTelemetryConfiguration: {
      tracesConfiguration: {
        destinations: ['appInsights']
      }
      logsConfiguration: {
        destinations: ['appInsights']
      }
    }
  }
}

// Key Vault and Container Apps secret names allow lower-case letters, digits and dashes.
var approvalKeys = [
  for id in approvalSigningKeyIds: {
    id: id
    secret: 'approval-signing-key-${toLower(replace(id, '_', '-'))}'
  }
]
var connectorSecrets = [
  for name in connectorSecretNames: {
    name: name
    secret: 'connector-${toLower(replace(name, '_', '-'))}'
  }
]
var secretNames = concat(
  ['audit-signing-key'],
  map(approvalKeys, k => k.secret),
  map(connectorSecrets, s => s.secret),
  useBootstrapAdminKey ? ['bootstrap-admin-key'] : []
)

var storageEnv = [
  { name: 'AzureWebJobsStorage__tableServiceUri', value: storageEndpoints.table }
  { name: 'AzureWebJobsStorage__queueServiceUri', value: storageEndpoints.queue }
  { name: 'AzureWebJobsStorage__blobServiceUri', value: storageEndpoints.blob }
  { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
  { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
  { name: 'AZURE_CLIENT_ID', value: identityClientId }
]
var hostEnv = [
  { name: 'ASPNETCORE_HTTP_PORTS', value: string(port) }
  { name: 'extensions__durableTask__hubName', value: taskHub.name }
  { name: 'extensions__durableTask__storageProvider__partitionCount', value: string(taskHub.partitionCount) }
  {
    name: 'Ratify__Approvals__PublicBaseUrl'
    value: empty(publicBaseUrl) ? 'https://${appName}.${environment.properties.defaultDomain}' : publicBaseUrl
  }
  { name: 'Ratify__Approvals__SigningKeyId', value: activeApprovalSigningKeyId }
  { name: 'Ratify__Audit__SigningKey', secretRef: 'audit-signing-key' }
]
var secretEnv = concat(
  map(approvalKeys, k => { name: 'Ratify__Approvals__SigningKeys__${k.id}', secretRef: k.secret }),
  map(connectorSecrets, s => { name: 'Ratify__Secrets__${s.name}', secretRef: s.secret }),
  useBootstrapAdminKey ? [{ name: 'Ratify__BootstrapAdminKey', secretRef: 'bootstrap-admin-key' }] : []
)

// One KEDA azure-queue rule per queue (the replica count follows the busiest), read with the managed identity.
var queueRules = [
  for queueName in scaledQueueNames: {
    name: queueName
    azureQueue: {
      accountName: storageAccountName
      queueName: queueName
      queueLength: scale.messagesPerReplica
      identity: identityId
    }
  }
]
var httpRule = {
  name: 'http'
  http: {
    metadata: {
      concurrentRequests: string(scale.concurrentRequestsPerReplica)
    }
  }
}

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: appName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    managedEnvironmentId: environment.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: externalIngress
        targetPort: port
        transport: 'auto'
        allowInsecure: false
      }
      secrets: [
        for name in secretNames: {
          name: name
          keyVaultUrl: '${keyVaultUri}secrets/${name}'
          identity: identityId
        }
      ]
      registries: empty(registryServer) ? [] : [
        {
          server: registryServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'ratify'
          image: containerImage
          resources: {
            cpu: json(cpuCores)
            memory: memory
          }
          env: concat(storageEnv, hostEnv, secretEnv)
          probes: [
            {
              type: 'Startup'
              httpGet: {
                path: '/healthz'
                port: port
              }
              periodSeconds: 5
              failureThreshold: 24
            }
            {
              // Ready only while storage answers; a storage outage takes replicas out of rotation without restarting them.
              type: 'Readiness'
              httpGet: {
                path: '/healthz'
                port: port
              }
              periodSeconds: 10
              failureThreshold: 3
            }
            {
              type: 'Liveness'
              tcpSocket: {
                port: port
              }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: scale.minReplicas
        maxReplicas: scale.maxReplicas
        rules: concat(queueRules, [httpRule])
      }
    }
  }
}

@description('The app\'s https address.')
output url string = 'https://${app.properties.configuration.ingress.fqdn}'

@description('Name of the container app.')
output name string = app.name
