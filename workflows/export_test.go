package workflows

// LatestVersions is latestVersions2 for the external tests: the changes a
// run that asked changeVersionsSettled never asks.
var LatestVersions = latestVersions2

// ChecksAuditChain is checksAuditChain for the external tests.
var ChecksAuditChain = checksAuditChain
