// Ratify on Azure: one storage account (the task hub), a Container Apps environment and app running the host, a
// user-assigned managed identity for storage and Key Vault, Key Vault for keys and secrets, Log Analytics and
// Application Insights. Deploy to a resource group; see infra/README.md for the parameters and the order of steps.
targetScope = 'resourceGroup'

@description('Azure region of every resource. Default: the resource group\'s.')
param location string = resourceGroup().location

@description('Prefix of the resource names (letters, digits and dashes).')
@minLength(3)
@maxLength(16)
param namePrefix string = 'ratify'

@description('Name of the storage account (3 to 24 lower-case letters and digits, unique in Azure). Several deployments may share one account with distinct taskHubName values.')
@minLength(3)
@maxLength(24)
param storageAccountName string = 'st${uniqueString(resourceGroup().id)}'

@description('Replication of the storage account.')
@allowed(['Standard_LRS', 'Standard_ZRS', 'Standard_GRS', 'Standard_RAGRS', 'Standard_GZRS', 'Standard_RAGZRS'])
param storageSku string = 'Standard_ZRS'

@description('Name of the Key Vault (3 to 24 letters, digits and dashes, unique in Azure).')
@minLength(3)
@maxLength(24)
param keyVaultName string = 'kv-${uniqueString(resourceGroup().id, namePrefix)}'

@description('Task hub name (host.json extensions:durableTask:hubName): the prefix of every table, queue and container. Hosts with the same hub on one account share its work; a different hub on the same account is a separate system.')
@minLength(3)
@maxLength(45)
param taskHubName string = 'Ratify'

@description('Control-queue partitions of the hub (1 to 16). At most this many replicas run orchestrations at once; fix it before the hub\'s first run and keep it.')
@minValue(1)
@maxValue(16)
param partitionCount int = 4

@description('Whether to deploy the Container Apps environment and app. Deploy once with false, put the keys into Key Vault, then deploy with true.')
param deployApp bool = true

@description('Container image of the host, built from the repository Dockerfile (e.g. myregistry.azurecr.io/ratify:1.0.0).')
param containerImage string = ''

@description('Registry server to pull the image from with the managed identity (grant it AcrPull there); empty for a public image.')
param registryServer string = ''

@description('CPU cores per replica.')
@allowed(['0.25', '0.5', '0.75', '1', '1.25', '1.5', '1.75', '2'])
param cpuCores string = '0.5'

@description('Memory per replica; Container Apps requires 2Gi per core (0.5 cores: 1Gi).')
param memory string = '1Gi'

@description('Replicas that always run (at least 1: cron schedules and approval links need a running host).')
@minValue(1)
@maxValue(300)
param minReplicas int = 1

@description('Most replicas. Beyond partitionCount, extra replicas only run activities from the work-item queue and serve HTTP.')
@minValue(1)
@maxValue(300)
param maxReplicas int = 4

@description('Queue messages per replica before another is added (KEDA azure-queue queueLength), per watched queue.')
@minValue(1)
param messagesPerReplica int = 32

@description('Concurrent HTTP requests per replica before another is added.')
@minValue(1)
param concurrentRequestsPerReplica int = 100

@description('Whether the app is reachable from the internet (else only inside the environment).')
param externalIngress bool = true

@description('Base URL in approval links; empty for the app\'s own https address.')
param publicBaseUrl string = ''

@description('Approval-link signing key ids (letters, digits, dashes); each needs the Key Vault secret approval-signing-key-<id>. List the old and the new id while rotating.')
@minLength(1)
param approvalSigningKeyIds array = ['k1']

@description('The approval-link signing key id that signs new links. Default: the last of approvalSigningKeyIds.')
param activeApprovalSigningKeyId string = last(approvalSigningKeyIds)

@description('Connector secret names ({{secrets.NAME}}); each needs the Key Vault secret connector-<name in lower case, _ as ->.')
param connectorSecretNames array = []

@description('Whether the Key Vault secret bootstrap-admin-key holds an admin API key (sk_ratify_...) accepted from the first start.')
param useBootstrapAdminKey bool = false

@description('Object id of a user or group that may set the Key Vault secrets (Key Vault Secrets Officer); empty for none.')
param keyVaultOfficerPrincipalId string = ''

@description('Principal type of keyVaultOfficerPrincipalId.')
@allowed(['User', 'Group', 'ServicePrincipal'])
param keyVaultOfficerPrincipalType string = 'User'

@description('Whether Key Vault purge protection is on (cannot be turned off again). Keep it on in production.')
param enableKeyVaultPurgeProtection bool = true

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Tags put on every resource.')
param tags object = {
  application: 'ratify'
}

var workspaceName = '${namePrefix}-logs'
var appInsightsName = '${namePrefix}-insights'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-identity'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: '${namePrefix}-monitoring'
  params: {
    location: location
    workspaceName: workspaceName
    appInsightsName: appInsightsName
    retentionInDays: logRetentionInDays
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: '${namePrefix}-storage'
  params: {
    location: location
    storageAccountName: storageAccountName
    skuName: storageSku
    taskHubName: taskHubName
    partitionCount: partitionCount
    identityName: identity.name
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: '${namePrefix}-keyvault'
  params: {
    location: location
    keyVaultName: keyVaultName
    identityName: identity.name
    officerPrincipalId: keyVaultOfficerPrincipalId
    officerPrincipalType: keyVaultOfficerPrincipalType
    enablePurgeProtection: enableKeyVaultPurgeProtection
    tags: tags
  }
}

module app 'modules/app.bicep' = if (deployApp) {
  name: '${namePrefix}-app'
  // The app reads the workspace and the Application Insights component by name.
  dependsOn: [monitoring]
  params: {
    location: location
    appName: '${namePrefix}-host'
    environmentName: '${namePrefix}-env'
    containerImage: containerImage
    registryServer: registryServer
    cpuCores: cpuCores
    memory: memory
    identityId: identity.id
    identityClientId: identity.properties.clientId
    storageAccountName: storage.outputs.name
    storageEndpoints: {
      table: storage.outputs.tableEndpoint
      queue: storage.outputs.queueEndpoint
      blob: storage.outputs.blobEndpoint
    }
    taskHub: {
      name: taskHubName
      partitionCount: partitionCount
    }
    scaledQueueNames: concat(storage.outputs.controlQueueNames, [storage.outputs.workItemQueueName])
    keyVaultUri: keyVault.outputs.uri
    approvalSigningKeyIds: approvalSigningKeyIds
    activeApprovalSigningKeyId: activeApprovalSigningKeyId
    connectorSecretNames: connectorSecretNames
    useBootstrapAdminKey: useBootstrapAdminKey
    publicBaseUrl: publicBaseUrl
    scale: {
      minReplicas: minReplicas
      maxReplicas: maxReplicas
      messagesPerReplica: messagesPerReplica
      concurrentRequestsPerReplica: concurrentRequestsPerReplica
    }
    externalIngress: externalIngress
    monitoring: {
      workspaceName: workspaceName
      appInsightsName: appInsightsName
    }
    tags: tags
  }
}

@description('Name of the Key Vault: put the keys and secrets here (see infra/README.md).')
output keyVaultName string = keyVault.outputs.name

@description('Name of the storage account.')
output storageAccountName string = storage.outputs.name

@description('Client id of the managed identity the app runs as.')
output identityClientId string = identity.properties.clientId

@description('The app\'s https address (empty when deployApp is false).')
output url string = deployApp ? app!.outputs.url : ''
