package workflows

import (
	"maps"

	"go.temporal.io/sdk/workflow"
)

// latestVersions is each change's version for a run that settled its
// versions (changeVersionsSettled at version 1). Never edit an entry: the
// runs that settled took these, and replay must give them the same. A new
// change is asked on its own with workflow.GetVersion; raising one of
// these takes a version 2 of changeVersionsSettled with a table of its own.
var latestVersions = map[string]workflow.Version{
	changeLocalActivities:        1,
	changeRecomputeOnlyNewer:     recomputeWithCarried,
	changeRecheckDecisions:       1,
	changeLevel2StaysOpen:        1,
	changeDecisionsByActivity:    1,
	changeOpenMatters:            1,
	changeReportsAsMatters:       1,
	changeDecisionsAfterSteps:    1,
	changeDecisionWritesByCaller: 1,
	changeDecisionWritesChecked:  writesCheckedOnce,
	changeBroughtOver:            1,
	changeWaitTimersCancelled:    1,
	changeLocalNotify:            1,
}

// latestVersions2 is each change's version for a run that settled its
// versions at version 2 of changeVersionsSettled: latestVersions and the
// changes made since. Never edit an entry either.
var latestVersions2 = withChanges(latestVersions, map[string]workflow.Version{
	changeWritesWhenNeeded: 1,
})

func withChanges(base, more map[string]workflow.Version) map[string]workflow.Version {
	out := maps.Clone(base)
	maps.Copy(out, more)
	return out
}

// settleVersions is the first thing a process's run does, so that its
// marker is in the run's first workflow task (getVersion would ask it
// anyway, wherever a run first meets a change). A run that
// begins on this build records one marker, changeVersionsSettled, and takes
// every change of latestVersions at its version there without asking it:
// the SDK records a marker and upserts the TemporalChangeVersion search
// attribute for each change a run asks, so a life asked eighteen of each —
// a history event and a visibility write on the server per change. A run
// begun before replays without the marker and asks each change where its
// code meets it, as it did.
func settleVersions(ctx workflow.Context) {
	workflow.GetVersion(ctx, changeVersionsSettled, workflow.DefaultVersion, 2)
}

// getVersion is workflow.GetVersion for the process's changes: the version
// of changeID that the run's code takes.
func getVersion(ctx workflow.Context, changeID string) workflow.Version {
	latest, ok := latestVersions2[changeID]
	if !ok {
		panic("workflows: change " + changeID + " is not in latestVersions2")
	}
	switch workflow.GetVersion(ctx, changeVersionsSettled, workflow.DefaultVersion, 2) {
	case 2:
		return latest
	case 1:
		// A run that settled before a change keeps the code it began
		// with: a change since is not asked, and taken at its default
		// (workflow.DefaultVersion, not the map's zero: a later change
		// tested against the default must find version-1 runs there).
		if v, ok := latestVersions[changeID]; ok {
			return v
		}
		return workflow.DefaultVersion
	}
	return workflow.GetVersion(ctx, changeID, workflow.DefaultVersion, latest)
}
