package deploy_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"jobpulse/pkg/cli"
	"jobpulse/pkg/dashboard"
	"jobpulse/pkg/extract"
	"jobpulse/pkg/image"
	"jobpulse/pkg/load"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/stack"
	"jobpulse/pkg/transform"
	"jobpulse/pkg/warehouse/bigquery"
)

const infraDir = "../../infra"

// infra is the parsed Terraform of infra/ (the root module and its job
// module).
type infra struct {
	files map[string]*hcl.File
}

func parseInfra(t *testing.T) infra {
	t.Helper()
	var paths []string
	for _, pat := range []string{"*.tf", "modules/*/*.tf"} {
		m, err := filepath.Glob(filepath.Join(infraDir, pat))
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) == 0 {
		t.Fatal("no Terraform in infra/")
	}
	p := hclparse.NewParser()
	in := infra{files: map[string]*hcl.File{}}
	for _, path := range paths {
		f, diags := p.ParseHCLFile(path)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", path, diags.Error())
		}
		in.files[path] = f
	}
	return in
}

// blocks lists the blocks of a type (and first label, when given) of the
// root module.
func (in infra) blocks(typ string, labels ...string) []*hclsyntax.Block {
	var out []*hclsyntax.Block
	for path, f := range in.files {
		if strings.Contains(path, "modules/") {
			continue
		}
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			if b.Type == typ && (len(labels) == 0 || (len(b.Labels) > 0 && b.Labels[0] == labels[0])) {
				out = append(out, b)
			}
		}
	}
	return out
}

// local finds a local value's expression.
func (in infra) local(t *testing.T, name string) hclsyntax.Expression {
	t.Helper()
	for _, b := range in.blocks("locals") {
		if a, ok := b.Body.Attributes[name]; ok {
			return a.Expr
		}
	}
	t.Fatalf("no local %q", name)
	return nil
}

// keys are the literal keys of an object expression, or of the object
// arguments and local objects a merge(...) joins.
func (in infra) keys(t *testing.T, e hclsyntax.Expression) []string {
	t.Helper()
	switch e := e.(type) {
	case *hclsyntax.ObjectConsExpr:
		var out []string
		for _, item := range e.Items {
			v, diags := item.KeyExpr.Value(nil)
			if diags.HasErrors() {
				t.Fatalf("a key that is not a literal: %s", diags.Error())
			}
			out = append(out, v.AsString())
		}
		return out
	case *hclsyntax.FunctionCallExpr:
		var out []string
		for _, a := range e.Args {
			out = append(out, in.keys(t, a)...)
		}
		return out
	case *hclsyntax.ScopeTraversalExpr:
		if e.Traversal.RootName() == "local" {
			return in.keys(t, in.local(t, e.Traversal[1].(hcl.TraverseAttr).Name))
		}
	}
	t.Fatalf("cannot read the keys of %T", e)
	return nil
}

// literal evaluates an attribute that holds a plain string.
func literal(t *testing.T, b *hclsyntax.Block, name string) string {
	t.Helper()
	a, ok := b.Body.Attributes[name]
	if !ok {
		t.Fatalf("%s %v has no %s", b.Type, b.Labels, name)
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatalf("%s %v: %s is not a literal: %s", b.Type, b.Labels, name, diags.Error())
	}
	return v.AsString()
}

// TestPubSubMatchesTheCode: the topics and subscriptions Terraform creates
// are the ones the jobs and the local stack use, and each subscription is
// read by a job.
func TestPubSubMatchesTheCode(t *testing.T) {
	in := parseInfra(t)
	var topics, subs []string
	for _, b := range in.blocks("resource", "google_pubsub_topic") {
		topics = append(topics, literal(t, b, "name"))
	}
	// A subscription is named literally, or is one of a for_each over a
	// local map keyed by name; refs are how the jobs refer to each.
	refs := map[string]string{}
	for _, b := range in.blocks("resource", "google_pubsub_subscription") {
		if fe, ok := b.Body.Attributes["for_each"]; ok {
			tr := fe.Expr.Variables()[0]
			for _, name := range in.keys(t, in.local(t, tr[1].(hcl.TraverseAttr).Name)) {
				subs = append(subs, name)
				refs[b.Labels[1]+"["+name+"]"] = name
			}
			continue
		}
		name := literal(t, b, "name")
		subs = append(subs, name)
		refs[b.Labels[1]] = name
	}
	topo := stack.Topology()
	var wantSubs []string
	for _, s := range topo.Subscriptions {
		wantSubs = append(wantSubs, s.ID)
	}
	if !sameSet(topics, topo.Topics) || !sameSet(subs, wantSubs) {
		t.Errorf("Terraform topics %v, subscriptions %v; the code uses %v and %v", topics, subs, topo.Topics, wantSubs)
	}
	// Every subscription is handed to a job by reference.
	read := map[string]bool{}
	for _, m := range in.blocks("module") {
		for _, tr := range m.Body.Attributes["env"].Expr.Variables() {
			if tr.RootName() != "google_pubsub_subscription" {
				continue
			}
			ref := tr[1].(hcl.TraverseAttr).Name
			if idx, ok := tr[2].(hcl.TraverseIndex); ok {
				ref += "[" + idx.Key.AsString() + "]"
			}
			read[ref] = true
		}
	}
	for ref, name := range refs {
		if !read[ref] {
			t.Errorf("subscription %s is read by no job", name)
		}
	}
}

// TestDatasetsMatchTheLayers: one dataset per warehouse layer, and ops.
func TestDatasetsMatchTheLayers(t *testing.T) {
	in := parseInfra(t)
	got := in.keys(t, in.local(t, "datasets"))
	if want := []string{"staging", "external", "meta", "core", "ops"}; !sameSet(got, want) {
		t.Errorf("datasets %v; want %v", got, want)
	}
}

// jobConfigs are the configurations each job reads.
var jobConfigs = map[string]any{
	// The scheduled checks run the loader's binary.
	"checks":      &load.JobConfig{},
	"extractor":   &extract.JobConfig{},
	"transformer": &transform.JobConfig{},
	"loader":      &load.JobConfig{},
}

// isSecret names the variables that hold credentials: they must come from
// Secret Manager, never from a plain environment value.
func isSecret(name string) bool {
	return strings.HasSuffix(name, "_KEY") || strings.HasSuffix(name, "_PASSWORD") || strings.Contains(name, "WEBHOOK")
}

// TestJobEnvironmentMatchesTheCode: every variable Terraform gives a job is
// one the job reads; every required one, and every credential the job
// needs, is given; credentials come from Secret Manager; and every secret
// is given to a job.
func TestJobEnvironmentMatchesTheCode(t *testing.T) {
	in := parseInfra(t)
	mods := map[string]*hclsyntax.Block{}
	for _, m := range in.blocks("module") {
		mods[strings.TrimPrefix(literal(t, m, "name"), "jobpulse-")] = m
	}
	// The credentials each job cannot work without.
	needs := map[string][]string{
		"extractor":   {"SARAMIN_ACCESS_KEY", "QNET_SERVICE_KEY", "SLACK_WEBHOOK_URL", "SMTP_PASSWORD"},
		"transformer": {"SLACK_WEBHOOK_URL", "SMTP_PASSWORD"},
		"loader":      {"SLACK_WEBHOOK_URL", "SMTP_PASSWORD"},
		"checks":      {"SLACK_WEBHOOK_URL", "SMTP_PASSWORD"},
	}
	for job := range mods {
		if _, ok := jobConfigs[job]; !ok {
			t.Errorf("module jobpulse-%s runs no job the code has", job)
		}
	}
	usedSecrets := map[string]bool{}
	for job, cfg := range jobConfigs {
		m, ok := mods[job]
		if !ok {
			t.Errorf("no module for the %s job", job)
			continue
		}
		reads := map[string]cli.EnvVar{}
		for _, v := range cli.EnvVars(cfg) {
			reads[v.Name] = v
		}
		env := in.keys(t, m.Body.Attributes["env"].Expr)
		secrets := in.keys(t, m.Body.Attributes["secrets"].Expr)
		for _, name := range append(slices.Clone(env), secrets...) {
			if _, ok := reads[name]; !ok {
				t.Errorf("%s: Terraform sets %s, which the job does not read", job, name)
			}
		}
		for _, name := range env {
			if isSecret(name) {
				t.Errorf("%s: the credential %s is a plain value; it must come from Secret Manager", job, name)
			}
		}
		for name, v := range reads {
			if v.Required && !slices.Contains(env, name) && !slices.Contains(secrets, name) {
				t.Errorf("%s: the required %s is not set", job, name)
			}
		}
		for _, name := range needs[job] {
			if !slices.Contains(secrets, name) {
				t.Errorf("%s: %s does not come from Secret Manager", job, name)
			}
		}
		for _, tr := range m.Body.Attributes["secrets"].Expr.Variables() {
			if tr.RootName() == "google_secret_manager_secret" {
				if idx, ok := tr[2].(hcl.TraverseIndex); ok {
					usedSecrets[idx.Key.AsString()] = true
				}
			}
		}
		for _, tr := range in.local(t, "notify_secrets").Variables() {
			if idx, ok := tr[2].(hcl.TraverseIndex); ok {
				usedSecrets[idx.Key.AsString()] = true
			}
		}
	}
	for _, s := range in.keys(t, in.local(t, "secrets")) {
		if !usedSecrets[s] {
			t.Errorf("secret %s is given to no job", s)
		}
	}
	// deploy.sh stops until each secret has a value: the same secrets.
	if got, want := deployLoop(t, "s"), in.keys(t, in.local(t, "secrets")); !sameSet(got, want) {
		t.Errorf("deploy.sh waits for the secrets %v; Terraform creates %v", got, want)
	}
}

// TestSignalsHaveMetrics: one log-based metric per signal the jobs write,
// with the filter the code documents, and none for a signal they do not.
func TestSignalsHaveMetrics(t *testing.T) {
	in := parseInfra(t)
	obj, ok := in.local(t, "signals").(*hclsyntax.ObjectConsExpr)
	if !ok {
		t.Fatal("local.signals is not an object")
	}
	got := map[string]string{}
	for _, item := range obj.Items {
		k, _ := item.KeyExpr.Value(nil)
		v, diags := item.ValueExpr.Value(nil)
		if diags.HasErrors() {
			t.Fatalf("signal %s: %s", k.AsString(), diags.Error())
		}
		got[k.AsString()] = v.Index(ctyZero).AsString()
	}
	var names []string
	for _, s := range ops.Signals {
		names = append(names, s.Name)
		if got[s.Name] != s.Filter() {
			t.Errorf("signal %s: Terraform filters %q; the jobs write %q", s.Name, got[s.Name], s.Filter())
		}
	}
	var tf []string
	for k := range got {
		tf = append(tf, k)
	}
	if !sameSet(tf, names) {
		t.Errorf("Terraform has metrics for %v; the jobs write %v", tf, names)
	}
}

// TestAlertsWaitForTheirMetrics: every alert policy that reads a
// log-based metric waits for time_sleep.metrics_ready, which waits for
// every metric, so the first apply on an empty project does not meet the
// API's 404 for a metric created moments before.
func TestAlertsWaitForTheirMetrics(t *testing.T) {
	in := parseInfra(t)
	sleeps := in.blocks("resource", "time_sleep")
	if len(sleeps) != 1 || sleeps[0].Labels[1] != "metrics_ready" {
		t.Fatalf("want one time_sleep.metrics_ready, got %d time_sleep blocks", len(sleeps))
	}
	if !references(sleeps[0].Body, "google_logging_metric", "signal") {
		t.Error("time_sleep.metrics_ready does not depend on the log-based metrics (its triggers name none)")
	}
	policies := in.blocks("resource", "google_monitoring_alert_policy")
	if len(policies) == 0 {
		t.Fatal("no alert policies")
	}
	for _, p := range policies {
		if !references(p.Body, "google_logging_metric", "signal") && !references(p.Body, "local", "log_metric") {
			continue
		}
		attr, ok := p.Body.Attributes["depends_on"]
		if !ok || !references(attr.Expr, "time_sleep", "metrics_ready") {
			t.Errorf("alert policy %s reads a log-based metric without depends_on = [time_sleep.metrics_ready]", p.Labels[1])
		}
	}
}

// references reports whether node names root.attr (a resource, a local)
// anywhere within it.
func references(node hclsyntax.Node, root, attr string) bool {
	found := false
	_ = hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		if st, ok := n.(*hclsyntax.ScopeTraversalExpr); ok && len(st.Traversal) >= 2 && st.Traversal.RootName() == root {
			if a, ok := st.Traversal[1].(hcl.TraverseAttr); ok && a.Name == attr {
				found = true
			}
		}
		return nil
	})
	return found
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	sort.Strings(a)
	sort.Strings(b)
	return slices.Equal(a, b)
}

var ctyZero = cty.NumberIntVal(0)

// binaries are the images the jobs run, by job.
var binaries = map[string]string{"extractor": "extractor", "transformer": "transformer", "loader": "loader", "checks": "loader"}

// deployLoop is the list a `for NAME in ...; do` loop of scripts/deploy.sh
// walks.
func deployLoop(t *testing.T, name string) []string {
	t.Helper()
	src, err := os.ReadFile("../../scripts/deploy.sh")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*for ` + name + ` in ([^;]+); do`).FindSubmatch(src)
	if m == nil {
		t.Fatalf("deploy.sh has no `for %s in ...` loop", name)
	}
	return strings.Fields(string(m[1]))
}

// TestImagesMatchTheDeploy: deploy.sh pushes the images make images
// builds, and each job runs one of them, <repository>/<binary>:<tag>.
func TestImagesMatchTheDeploy(t *testing.T) {
	pushed := deployLoop(t, "image")
	if !sameSet(pushed, image.Services()) {
		t.Errorf("deploy.sh pushes %v; make images builds %v", pushed, image.Services())
	}
	in := parseInfra(t)
	for _, m := range in.blocks("module") {
		job := binaries[strings.TrimPrefix(literal(t, m, "name"), "jobpulse-")]
		if !slices.Contains(pushed, job) {
			t.Errorf("%s runs the image %q, which deploy.sh does not push", literal(t, m, "name"), job)
		}
		src := string(m.Body.Attributes["image"].Expr.Range().SliceBytes(in.files[m.Body.Attributes["image"].Expr.Range().Filename].Bytes))
		if want := `"${var.image_repository}/` + job + `:${var.image_tag}"`; src != want {
			t.Errorf("%s runs %s; deploy.sh pushes %s", job, src, want)
		}
	}
}

// TestNothingUnused: every variable and local a module declares is used in
// it, and every variable it uses is declared.
func TestNothingUnused(t *testing.T) {
	in := parseInfra(t)
	modules := map[string][]*hcl.File{}
	for path, f := range in.files {
		modules[filepath.Dir(path)] = append(modules[filepath.Dir(path)], f)
	}
	for dir, files := range modules {
		declared := map[string]string{} // "var.x" / "local.y" -> kind
		used := map[string]bool{}
		for _, f := range files {
			body := f.Body.(*hclsyntax.Body)
			for _, b := range body.Blocks {
				switch b.Type {
				case "variable":
					declared["var."+b.Labels[0]] = "variable"
				case "locals":
					for name := range b.Body.Attributes {
						declared["local."+name] = "local"
					}
				}
			}
			_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
				if e, ok := n.(hclsyntax.Expression); ok {
					for _, tr := range e.Variables() {
						if root := tr.RootName(); (root == "var" || root == "local") && len(tr) > 1 {
							if a, ok := tr[1].(hcl.TraverseAttr); ok {
								used[root+"."+a.Name] = true
							}
						}
					}
				}
				return nil
			})
		}
		for name, kind := range declared {
			if !used[name] {
				t.Errorf("%s: %s %s is declared and never used", dir, kind, name)
			}
		}
		for name := range used {
			if _, ok := declared[name]; !ok {
				t.Errorf("%s: %s is used and never declared", dir, name)
			}
		}
	}
}

// TestDashboardServiceMatchesTheCode: the dashboard's service sets only
// variables the dashboard reads, reads BigQuery, runs the image deploy.sh
// pushes, and may read (not write) exactly the datasets its snapshot
// reads.
func TestDashboardServiceMatchesTheCode(t *testing.T) {
	in := parseInfra(t)
	services := in.blocks("resource", "google_cloud_run_v2_service")
	if len(services) != 1 || services[0].Labels[1] != "dashboard" {
		t.Fatalf("want one Cloud Run service, the dashboard's; have %d", len(services))
	}
	reads := map[string]cli.EnvVar{}
	for _, v := range cli.EnvVars(&dashboard.Config{}) {
		reads[v.Name] = v
	}
	envExpr := in.local(t, "dashboard_env")
	env := in.keys(t, envExpr)
	for _, name := range env {
		if _, ok := reads[name]; !ok {
			t.Errorf("dashboard: Terraform sets %s, which the dashboard does not read", name)
		}
		if isSecret(name) {
			t.Errorf("dashboard: %s looks like a credential; the dashboard needs none", name)
		}
	}
	for name, v := range reads {
		if v.Required && !slices.Contains(env, name) {
			t.Errorf("dashboard: the required %s is not set", name)
		}
	}
	for _, item := range envExpr.(*hclsyntax.ObjectConsExpr).Items {
		k, _ := item.KeyExpr.Value(nil)
		if k.AsString() == "WAREHOUSE" {
			if v, diags := item.ValueExpr.Value(nil); diags.HasErrors() || v.AsString() != "bigquery" {
				t.Errorf("dashboard: WAREHOUSE = %s; the cloud image reads bigquery", item.ValueExpr.Range())
			}
		}
	}
	var image string
	_ = hclsyntax.VisitAll(services[0].Body, func(n hclsyntax.Node) hcl.Diagnostics {
		if a, ok := n.(*hclsyntax.Attribute); ok && a.Name == "image" {
			image = string(a.Expr.Range().SliceBytes(in.files[a.Expr.Range().Filename].Bytes))
		}
		return nil
	})
	if want := `"${var.image_repository}/dashboard:${var.image_tag}"`; image != want {
		t.Errorf("dashboard runs %s; deploy.sh pushes %s", image, want)
	}
	var want []string
	for _, table := range bigquery.SnapshotTables() {
		if ds, _, _ := strings.Cut(table, "."); !slices.Contains(want, ds) {
			want = append(want, ds)
		}
	}
	got := tupleStrings(t, in.local(t, "dashboard_datasets"))
	if !sameSet(got, want) {
		t.Errorf("the dashboard may read datasets %v; its snapshot reads %v", got, want)
	}
	grants := in.blocks("resource", "google_bigquery_dataset_iam_member")
	for _, g := range grants {
		if g.Labels[1] == "dashboard" {
			if role := literal(t, g, "role"); role != "roles/bigquery.dataViewer" {
				t.Errorf("the dashboard is granted %s; it only reads", role)
			}
		}
	}
}

// tupleStrings evaluates a list of literal strings.
func tupleStrings(t *testing.T, e hclsyntax.Expression) []string {
	t.Helper()
	v, diags := e.Value(nil)
	if diags.HasErrors() || !v.Type().IsTupleType() {
		t.Fatalf("not a list of literals: %s", e.Range())
	}
	var out []string
	for _, el := range v.AsValueSlice() {
		out = append(out, el.AsString())
	}
	return out
}
