// The storage account of the task hub: tables (history, instances, app data), queues (control, work items) and blobs
// (leases, large payloads). Shared-key access is off: the hosts and the scaler authenticate with the managed identity.

@description('Azure region of the resources.')
param location string

@description('Name of the storage account (3 to 24 lower-case letters and digits, unique in Azure).')
param storageAccountName string

@description('Replication of the storage account.')
param skuName string

@description('The task hub name (host.json extensions:durableTask:hubName); queue names derive from it.')
param taskHubName string

@description('Control-queue partitions of the task hub (host.json storageProvider:partitionCount).')
param partitionCount int

@description('Name of the user-assigned managed identity that gets the storage data roles.')
param identityName string

@description('Tags put on every resource.')
param tags object

// Built-in role definition ids.
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

// The names Ratify.Durable derives from the hub name (Storage/StorageNames.cs).
var hub = toLower(taskHubName)
var controlQueueNames = [for i in range(0, partitionCount): '${hub}-control-${padLeft(i, 2, '0')}']
var queueNames = concat(controlQueueNames, ['${hub}-workitems', '${hub}-poison'])

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' = {
  parent: account
  name: 'default'
}

// The hosts create these too; made here so that the scale rules have queues to read before the first host starts.
resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' = [
  for name in queueNames: {
    parent: queueService
    name: name
  }
]

resource roles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in [storageQueueDataContributor, storageTableDataContributor, storageBlobDataContributor]: {
    scope: account
    name: guid(account.id, identity.id, role)
    properties: {
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
    }
  }
]

@description('Name of the storage account.')
output name string = account.name

@description('Table service endpoint.')
output tableEndpoint string = account.properties.primaryEndpoints.table

@description('Queue service endpoint.')
output queueEndpoint string = account.properties.primaryEndpoints.queue

@description('Blob service endpoint.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Names of the control queues, one per partition.')
output controlQueueNames array = controlQueueNames

@description('Name of the work-item queue.')
output workItemQueueName string = '${hub}-workitems'
