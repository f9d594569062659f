// Package deploy_test checks the deployment files — docker-compose.yml, the
// values for Temporal's Helm chart and laborbrand's own chart — without a
// Docker engine, a cluster or the chart itself: each is parsed as YAML and
// held to what docs/DEPLOYMENT.md says of it, and every LB_ setting they
// name is one laborbrand reads. .ci/run also validates the compose file
// with docker-compose and renders laborbrand's chart with helm.
package deploy_test

import (
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.temporal.io/api/enums/v1"
	"go.yaml.in/yaml/v3"

	"github.com/kunming-hrss/laborbrand/workflows"
)

// load parses the YAML file at path (relative to this directory).
func load(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return doc
}

// at is the value at a dotted path in doc, nil when absent.
func at(doc any, path string) any {
	for _, k := range strings.Split(path, ".") {
		m, ok := doc.(map[string]any)
		if !ok {
			return nil
		}
		doc = m[k]
	}
	return doc
}

func TestComposeRunsTemporalFromTheServerImageAfterAOneShotSchemaJob(t *testing.T) {
	c := load(t, "../../docker-compose.yml")
	services := at(c, "services").(map[string]any)
	for name := range services {
		if img, _ := at(services, name+".image").(string); strings.Contains(img, "auto-setup") {
			t.Errorf("service %s runs %s; production runs temporalio/server with a schema job", name, img)
		}
	}
	if img, _ := at(services, "temporal.image").(string); !strings.HasPrefix(img, "temporalio/server:") {
		t.Errorf("temporal runs %q, want temporalio/server", img)
	}
	if shards, _ := at(services, "temporal.environment.NUM_HISTORY_SHARDS").(string); shards == "" || shards == "1" {
		t.Errorf("NUM_HISTORY_SHARDS = %q, want several", shards)
	}
	script := strings.Join(anyStrings(at(services, "temporal-schema.command")), "\n")
	for _, step := range []string{"create-database", "--db temporal setup-schema -v 0.0",
		"--db temporal update-schema --schema-name postgresql/v12/temporal",
		"--db temporal_visibility setup-schema -v 0.0",
		"--db temporal_visibility update-schema --schema-name postgresql/v12/visibility"} {
		if !strings.Contains(script, step) {
			t.Errorf("the schema job does not run temporal-sql-tool %s", step)
		}
	}
	for service, needs := range map[string][]string{
		"temporal":       {"temporal-schema"},
		"temporal-setup": {},
		"temporal-ui":    {"temporal-setup"},
		"worker":         {"migrate", "temporal-setup"},
		"api":            {"migrate", "temporal-setup"},
	} {
		for _, dep := range needs {
			if cond := at(services, service+".depends_on."+dep+".condition"); cond != "service_completed_successfully" {
				t.Errorf("%s waits for %s with %v, want service_completed_successfully", service, dep, cond)
			}
		}
	}
}

// Supervisors look, never act (issue 13 item 6): the compose deployment's
// Temporal UI has its write actions disabled. Its setup job registers
// exactly the search attributes the processes set (item 3), each with its
// type: one missing, and a process's start or upsert is refused.
func TestComposeUIIsReadOnlyAndItsSetupRegistersTheSearchAttributes(t *testing.T) {
	c := load(t, "../../docker-compose.yml")
	services := at(c, "services").(map[string]any)
	if v := at(services, "temporal-ui.environment.TEMPORAL_DISABLE_WRITE_ACTIONS"); v != "true" {
		t.Errorf("temporal-ui: TEMPORAL_DISABLE_WRITE_ACTIONS = %v, want \"true\"", v)
	}
	types := map[string]enums.IndexedValueType{"Keyword": enums.INDEXED_VALUE_TYPE_KEYWORD,
		"KeywordList": enums.INDEXED_VALUE_TYPE_KEYWORD_LIST, "Text": enums.INDEXED_VALUE_TYPE_TEXT,
		"Int": enums.INDEXED_VALUE_TYPE_INT, "Double": enums.INDEXED_VALUE_TYPE_DOUBLE,
		"Bool": enums.INDEXED_VALUE_TYPE_BOOL, "Datetime": enums.INDEXED_VALUE_TYPE_DATETIME}
	registered := map[string]enums.IndexedValueType{}
	script := strings.Join(anyStrings(at(services, "temporal-setup.command")), "\n")
	for _, line := range strings.Split(script, "\n") {
		f := strings.Fields(line) // add TYPE NAME…: the job's own function
		if len(f) < 3 || f[0] != "add" {
			continue
		}
		typ, ok := types[f[1]]
		if !ok {
			t.Errorf("the setup job adds %v as %s, not a search attribute type", f[2:], f[1])
		}
		for _, name := range f[2:] {
			if _, twice := registered[name]; twice {
				t.Errorf("the setup job adds %s twice", name)
			}
			registered[name] = typ
		}
	}
	if !maps.Equal(registered, workflows.SearchAttributes) {
		t.Errorf("the setup job registers %v;\nthe processes set %v", registered, workflows.SearchAttributes)
	}
}

func TestTemporalValuesDescribeAProductionCluster(t *testing.T) {
	v := load(t, "temporal-values.yaml")
	if n, _ := at(v, "server.config.persistence.numHistoryShards").(int); n < 16 {
		t.Errorf("numHistoryShards = %d, want several (it never changes after the install)", n)
	}
	for _, store := range []string{"default", "visibility"} {
		sql := "server.config.persistence.datastores." + store + ".sql."
		if at(v, sql+"pluginName") != "postgres12" || at(v, sql+"createDatabase") != true || at(v, sql+"manageSchema") != true {
			t.Errorf("%s store: want PostgreSQL whose database and schema the chart's job manages", store)
		}
		if at(v, sql+"tls.enabled") != true || at(v, sql+"tls.enableHostVerification") != true {
			t.Errorf("%s store: want TLS to PostgreSQL with host verification", store)
		}
		if at(v, sql+"password") != nil || at(v, sql+"existingSecret") == nil {
			t.Errorf("%s store: the password belongs in a secret, not in the values", store)
		}
	}
	for _, tls := range []string{"internode", "frontend"} {
		if at(v, "server.tls."+tls+".enabled") != true {
			t.Errorf("server.tls.%s is not enabled", tls)
		}
	}
	if at(v, "server.tls.frontend.requireClientAuth") != true {
		t.Error("the frontend does not require client certificates")
	}
	for _, svc := range []string{"frontend", "history", "matching"} {
		if n, _ := at(v, "server."+svc+".replicaCount").(int); n < 2 {
			t.Errorf("server.%s.replicaCount = %d, want at least 2", svc, n)
		}
	}
	env := map[string]string{}
	for _, e := range at(v, "web.additionalEnv").([]any) {
		env[at(e, "name").(string)] = at(e, "value").(string)
	}
	if env["TEMPORAL_DISABLE_WRITE_ACTIONS"] != "true" || env["TEMPORAL_AUTH_ENABLED"] != "true" {
		t.Errorf("the UI: %v; want write actions disabled and single sign-on", env)
	}
}

func TestLaborbrandChartMatchesTheClusterAndTheSettings(t *testing.T) {
	v := load(t, "laborbrand/values.yaml")
	tv := load(t, "temporal-values.yaml")
	var namespaces []string
	for _, ns := range at(tv, "server.config.namespaces.namespace").([]any) {
		namespaces = append(namespaces, at(ns, "name").(string))
	}
	if ns := at(v, "temporal.namespace").(string); !slices.Contains(namespaces, ns) {
		t.Errorf("laborbrand uses namespace %s; the cluster creates %v", ns, namespaces)
	}
	if a, b := at(v, "temporal.serverName"), at(tv, "server.tls.frontend.serverName"); a != b {
		t.Errorf("laborbrand expects the frontend's certificate for %v, the cluster's is for %v", a, b)
	}
	for _, part := range []string{"worker", "api"} {
		if n, _ := at(v, part+".replicas").(int); n < 2 {
			t.Errorf("%s.replicas = %d, want several", part, n)
		}
	}

	// Every LB_ setting the chart sets is one internal/platform/config reads.
	known, err := os.ReadFile("../../internal/platform/config/parse.go")
	if err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob("laborbrand/templates/*")
	files = append(files, "laborbrand/values.yaml", "../../docker-compose.yml")
	setting := regexp.MustCompile(`\bLB_[A-Z_]+\b`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range setting.FindAllString(string(b), -1) {
			if !strings.Contains(string(known), `"`+name+`"`) {
				t.Errorf("%s sets %s, which laborbrand does not read", f, name)
			}
		}
	}
}

func anyStrings(v any) []string {
	var out []string
	for _, s := range v.([]any) {
		out = append(out, s.(string))
	}
	return out
}

// docs/DEPLOYMENT.md: the nightly backup dumps Temporal's two databases
// where the cluster keeps them, under the name their certificate carries
// (sslmode=verify-full checks it).
func TestTheBackupDumpsTemporalsDatabasesWhereTheClusterHasThem(t *testing.T) {
	tv := load(t, "temporal-values.yaml")
	doc, err := os.ReadFile("../DEPLOYMENT.md")
	if err != nil {
		t.Fatal(err)
	}
	for key, store := range map[string]string{"temporal-url": "default", "temporal-visibility-url": "visibility"} {
		sql := "server.config.persistence.datastores." + store + ".sql."
		m := regexp.MustCompile(key + `="postgres://[^@]+@([^/]+)/([a-z_]+)\?`).FindSubmatch(doc)
		if m == nil {
			t.Errorf("DEPLOYMENT.md gives the backup no %s", key)
			continue
		}
		addr, db := string(m[1]), string(m[2])
		if addr != at(tv, sql+"connectAddr") || db != at(tv, sql+"databaseName") {
			t.Errorf("the backup's %s is %s/%s; the cluster's %s store is %v/%v", key, addr, db, store, at(tv, sql+"connectAddr"), at(tv, sql+"databaseName"))
		}
		if host, _, _ := strings.Cut(addr, ":"); host != at(tv, sql+"tls.serverName") {
			t.Errorf("the backup's %s reaches %s, whose certificate names %v", key, host, at(tv, sql+"tls.serverName"))
		}
	}
}

// docs/DEPLOYMENT.md (backups): Temporal's two dumps are taken before the
// registry's — restored, the registry is at or after every step Temporal
// remembers — and the nights past their keeping are deleted before the new
// dumps, so that a full volume does not fail every night from then on.
func TestTheBackupDumpsTemporalFirstAndMakesRoomFirst(t *testing.T) {
	b, err := os.ReadFile("laborbrand/templates/backup-cronjob.yaml")
	if err != nil {
		t.Fatal(err)
	}
	script := string(b)
	at := func(s string) int {
		i := strings.Index(script, s)
		if i < 0 {
			t.Fatalf("the backup job has no %q", s)
		}
		return i
	}
	if at("find /backups") > at("pg_dump --format") {
		t.Error("the old nights are deleted after the new dumps: a full volume fails every night")
	}
	if at("temporal.dump") > at("laborbrand.dump") || at("temporal_visibility.dump") > at("laborbrand.dump") {
		t.Error("the registry is dumped before Temporal: restored, Temporal would count steps done that the registry never recorded")
	}
}
