package workflows

// LatestVersions is latestVersions for the external tests: the changes a
// run that asked changeVersionsSettled never asks.
var LatestVersions = latestVersions
