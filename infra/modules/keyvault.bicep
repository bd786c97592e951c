// The Key Vault that holds the approval-link signing keys, the audit signing key, connector secrets and the optional
// bootstrap admin key. Access is by Azure RBAC only; the app's identity may read secrets, nothing else.

@description('Azure region of the resources.')
param location string

@description('Name of the Key Vault (3 to 24 letters, digits and dashes, unique in Azure).')
param keyVaultName string

@description('Name of the user-assigned managed identity that reads the secrets.')
param identityName string

@description('Object id of a user or group allowed to set secrets (Key Vault Secrets Officer); empty for none.')
param officerPrincipalId string

@description('Principal type of officerPrincipalId.')
@allowed(['User', 'Group', 'ServicePrincipal'])
param officerPrincipalType string

@description('Whether deleted secrets and the vault itself are protected from purging for the retention period (cannot be turned off once on).')
param enablePurgeProtection bool

@description('Tags put on every resource.')
param tags object

var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'
var keyVaultSecretsOfficer = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: enablePurgeProtection ? true : null
    publicNetworkAccess: 'Enabled'
  }
}

resource appReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, identity.id, keyVaultSecretsUser)
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
  }
}

resource officerSetsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(officerPrincipalId)) {
  scope: vault
  name: guid(vault.id, officerPrincipalId, keyVaultSecretsOfficer)
  properties: {
    principalId: officerPrincipalId
    principalType: officerPrincipalType
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficer)
  }
}

@description('Name of the Key Vault.')
output name string = vault.name

@description('URI of the Key Vault, ending in a slash.')
output uri string = vault.properties.vaultUri
