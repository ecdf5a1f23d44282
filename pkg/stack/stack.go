package stack

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	_ "github.com/duckdb/duckdb-go/v2" // database/sql driver "duckdb"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/cert/certtest"
	"jobpulse/pkg/gcptest"
	"jobpulse/pkg/notify/notifytest"
	"jobpulse/pkg/saramin/saramintest"
	"jobpulse/pkg/trends/trendstest"
)

// Names of the local project, bucket, topics and subscriptions; the same
// ids Terraform gives them in GCP.
const (
	Project         = "jobpulse-local"
	Bucket          = "jobpulse-lake"
	RawTopic        = "jobpulse-raw"
	CleanTopic      = "jobpulse-clean"
	DeadLetterTopic = "jobpulse-dead-letter"
	// DeadLetterSubscription holds what the dead-letter topic receives,
	// for the health check to see (nothing consumes it).
	DeadLetterSubscription = "jobpulse-dead-letter"
	// MaxDeliveries is how often a message is delivered before it is
	// dead-lettered.
	MaxDeliveries     = 5
	RawSubscription   = "jobpulse-transformer"
	CleanSubscription = "jobpulse-loader"
	// AccessKey is the emulator's key; it is no secret.
	AccessKey = "local-emulator-key"
	// QnetKey is the Q-Net emulator's service key; no secret either.
	QnetKey = "local-qnet-emulator-key"
	// CertExams are the exams asked of the Q-Net emulator. Only 1320
	// (정보처리기사) is a real Q-Net code; the SYN- codes exist only in the
	// emulator, which serves synthetic figures for any code.
	CertExams = "정보처리기사=1320,빅데이터분석기사=SYN-BDA,ADsP=SYN-ADSP,ADP=SYN-ADP,SQLD=SYN-SQLD,SQLP=SYN-SQLP"
)

// DefaultAckDeadline is the jobs' subscriptions' ack deadline, as
// Terraform sets it in GCP.
const DefaultAckDeadline = 10 * time.Minute

// Topology is the chain's Pub/Sub layout, as in GCP.
func Topology() bus.Topology { return Options{}.Topology() }

// Topology is the chain's Pub/Sub layout with the jobs' subscriptions'
// ack deadline of o.
func (o Options) Topology() bus.Topology {
	ack := o.ackDeadline()
	return bus.Topology{
		Topics: []string{RawTopic, CleanTopic, DeadLetterTopic},
		Subscriptions: []bus.Subscription{
			{ID: RawSubscription, Topic: RawTopic, AckDeadline: ack, DeadLetterTopic: DeadLetterTopic, MaxDeliveries: MaxDeliveries},
			{ID: CleanSubscription, Topic: CleanTopic, AckDeadline: ack, DeadLetterTopic: DeadLetterTopic, MaxDeliveries: MaxDeliveries},
			{ID: DeadLetterSubscription, Topic: DeadLetterTopic, AckDeadline: time.Minute},
		},
	}
}

// ackDeadline is o.AckDeadline, or the default.
func (o Options) ackDeadline() time.Duration {
	if o.AckDeadline == 0 {
		return DefaultAckDeadline
	}
	return o.AckDeadline
}

// Options configure a local stack.
type Options struct {
	// Dir holds everything the stack keeps: lake objects, the warehouse,
	// logs.
	Dir string
	// Bin holds the job binaries.
	Bin string
	// Seed and Now drive the Saramin emulator's synthetic market.
	Seed        int64
	Now         time.Time
	HistoryDays int
	Scale       float64
	// DailyQuota is the Saramin emulator's calls per key per day (0: the
	// API's 500; negative: unlimited, for a backfill larger than a day's
	// quota reads).
	DailyQuota int
	// EmulatorAddr serves the emulator on a fixed address when set.
	EmulatorAddr string
	// DashboardAddr is where the demo serves the dashboard.
	DashboardAddr string
	// AckDeadline is the ack deadline of the transformer's and the
	// loader's subscriptions, in whole seconds from 1 s to 10 min (0:
	// DefaultAckDeadline). The jobs' drains extend the messages they hold
	// by as much (DRAIN_ACK_DEADLINE), and a loader's lease lasts as long
	// (LOADER_LEASE_TTL), so a job killed with a short deadline (see
	// STOP_AT) has its messages delivered again, and loaded again, within
	// seconds.
	AckDeadline time.Duration
	Out         io.Writer
}

// Stack is the running local stack.
type Stack struct {
	Opts    Options
	Local   *gcptest.Stack
	Saramin *saramintest.Server
	Trends  *trendstest.Server
	Qnet    *certtest.Server
	// Notices captures the Slack messages and emails the jobs send.
	Notices     *notifytest.Capture
	noticesFile io.Closer
	Runner      *Runner
}

// NoticesFile is where the stack writes each notification it captures, as
// a person would read it.
func (o Options) NoticesFile() string { return filepath.Join(o.Dir, "logs", "notifications.txt") }

// DuckDBPath is the warehouse file of the stack.
func (o Options) DuckDBPath() string { return filepath.Join(o.Dir, "warehouse.duckdb") }

// Start starts the servers. Fresh removes what an earlier run left in Dir.
func Start(ctx context.Context, o Options, fresh bool) (*Stack, error) {
	if d := o.AckDeadline; d != 0 && (d < time.Second || d > DefaultAckDeadline || d%time.Second != 0) {
		return nil, fmt.Errorf("stack: ack deadline %s: want whole seconds from 1s to %s", d, DefaultAckDeadline)
	}
	if fresh {
		for _, p := range []string{"gcs", "logs", "warehouse.duckdb", "warehouse.duckdb.wal"} {
			if err := os.RemoveAll(filepath.Join(o.Dir, p)); err != nil {
				return nil, fmt.Errorf("stack: clean %s: %w", p, err)
			}
		}
	}
	if err := os.MkdirAll(filepath.Join(o.Dir, "logs"), 0o755); err != nil {
		return nil, fmt.Errorf("stack: %w", err)
	}
	notices, noticesFile, err := startNotices(o.NoticesFile())
	if err != nil {
		return nil, err
	}
	em := saramintest.NewServer(saramintest.Options{
		Seed: o.Seed, Now: o.Now, HistoryDays: o.HistoryDays, Scale: o.Scale,
		Keys: []string{AccessKey}, Addr: o.EmulatorAddr, DailyQuota: o.DailyQuota,
	})
	// Search interest follows the same market's data hiring.
	tr := trendstest.NewServer(trendstest.Options{Seed: o.Seed, Now: o.Now, Hiring: em.DataHiring})
	qn := certtest.NewServer(certtest.Options{Key: QnetKey})
	local, err := gcptest.Start(ctx, gcptest.Options{Dir: o.Dir, Project: Project, Bucket: Bucket, Topology: o.Topology()})
	if err != nil {
		em.Close()
		tr.Close()
		qn.Close()
		notices.Close()
		noticesFile.Close()
		return nil, err
	}
	env := local.Env()
	env["SARAMIN_BASE_URL"] = em.URL
	env["SARAMIN_ACCESS_KEY"] = AccessKey
	env["SARAMIN_RATE"] = "50"
	env["TRENDS_BASE_URL"] = tr.URL
	env["TRENDS_RATE"] = "50"
	env["TRENDS_BACKOFF"] = "20ms"
	env["TRENDS_MAX_TRIES"] = "2"
	env["QNET_BASE_URL"] = qn.BaseURL()
	env["QNET_SERVICE_KEY"] = QnetKey
	env["QNET_RATE"] = "50"
	env["CERT_EXAMS"] = CertExams
	env["RAW_TOPIC"] = RawTopic
	env["CLEAN_TOPIC"] = CleanTopic
	env["RAW_SUBSCRIPTION"] = RawSubscription
	env["CLEAN_SUBSCRIPTION"] = CleanSubscription
	env["DUCKDB_PATH"] = o.DuckDBPath()
	env["DRAIN_PULL_TIMEOUT"] = "2s"
	env["DRAIN_EMPTY_PULLS"] = "1"
	env["DRAIN_MAX_MESSAGES"] = "0"
	// A drain extends what it holds by the subscriptions' deadline: with a
	// longer one, a message would outlive the deadline asked for.
	env["DRAIN_ACK_DEADLINE"] = o.ackDeadline().String()
	if o.AckDeadline != 0 {
		// A killed loader's lease lasts no longer than its messages'
		// deadline: the next loader can take them when they come back.
		env["LOADER_LEASE_TTL"] = o.AckDeadline.String()
	}
	// Notifications go to the local capture server: Slack's webhook and an
	// SMTP server.
	nc := notices.Config()
	env["SLACK_WEBHOOK_URL"] = nc.SlackWebhookURL
	env["SMTP_ADDR"] = nc.SMTPAddr
	env["SMTP_TLS"] = nc.SMTPTLS
	env["SMTP_FROM"] = nc.SMTPFrom
	env["SMTP_TO"] = nc.SMTPTo
	env["NOTIFY_TIMEOUT"] = "5s"
	env["DEAD_LETTER_SUBSCRIPTION"] = DeadLetterSubscription
	return &Stack{
		Opts: o, Local: local, Saramin: em, Trends: tr, Qnet: qn, Notices: notices, noticesFile: noticesFile,
		Runner: &Runner{Bin: o.Bin, LogDir: filepath.Join(o.Dir, "logs"), Env: env, Out: o.Out},
	}, nil
}

// Close stops the servers.
func (s *Stack) Close() {
	s.Local.Close()
	s.Saramin.Close()
	s.Trends.Close()
	s.Qnet.Close()
	s.Notices.Close()
	s.noticesFile.Close()
}

// SetNow moves every emulator's clock.
func (s *Stack) SetNow(t time.Time) {
	s.Saramin.SetNow(t)
	s.Trends.SetNow(t)
}

// Cycle is one pass of the chain.
type Cycle struct {
	Label                       string
	Extract, Transform, Load    Execution
	ExtractErr                  error // RunSource only
	NothingNew                  bool
	Postings, Rows, Quarantined int
	Staged, Inserted, Updated   int
}

// RunCycle runs the three jobs in order, as the schedule and the triggers
// do: the extractor for the window ending at `to`, then the transformer and
// the loader, each draining its subscription.
func (s *Stack) RunCycle(ctx context.Context, label string, extractArgs ...string) (Cycle, error) {
	c := Cycle{Label: label}
	var err error
	if c.Extract, err = s.Runner.Run(ctx, label, Extractor, extractArgs...); err != nil {
		return c, err
	}
	return c, s.transformAndLoad(ctx, &c)
}

// transformAndLoad runs the transformer and the loader after c's
// extractor, each draining its subscription, and reads the three jobs'
// figures into c.
func (s *Stack) transformAndLoad(ctx context.Context, c *Cycle) error {
	var err error
	if c.Transform, err = s.Runner.Run(ctx, c.Label, Transformer); err != nil {
		return err
	}
	if c.Load, err = s.Runner.Run(ctx, c.Label, Loader); err != nil {
		return err
	}
	c.NothingNew = c.Extract.Bool("nothing_new")
	c.Postings = c.Extract.Int("postings")
	c.Rows = c.Transform.Int("rows")
	c.Quarantined = c.Transform.Int("quarantined")
	c.Staged = c.Load.Int("staged")
	c.Inserted = c.Load.Int("inserted")
	c.Updated = c.Load.Int("updated")
	return nil
}

// Print writes the cycle's summary.
func (c Cycle) Print(w io.Writer) {
	if c.NothingNew {
		fmt.Fprintf(w, "%-10s no new postings (extract %s, transform %s, load %s)\n", c.Label,
			round(c.Extract.Duration), round(c.Transform.Duration), round(c.Load.Duration))
		return
	}
	fmt.Fprintf(w, "%-10s extracted %6d postings in %-8s  transformed %6d rows (%d quarantined) in %-8s  loaded %6d rows (%d new, %d updated) in %s\n",
		c.Label, c.Postings, round(c.Extract.Duration), c.Rows, c.Quarantined, round(c.Transform.Duration),
		c.Staged, c.Inserted, c.Updated, round(c.Load.Duration))
}

func round(d time.Duration) time.Duration { return d.Round(time.Millisecond) }

// Warehouse opens the DuckDB file read-only (no job may be running).
func (s *Stack) Warehouse() (*sql.DB, error) {
	db, err := sql.Open("duckdb", s.Opts.DuckDBPath()+"?access_mode=read_only")
	if err != nil {
		return nil, fmt.Errorf("stack: open warehouse: %w", err)
	}
	return db, nil
}

// FingerprintTables are the tables a replay must leave unchanged.
var FingerprintTables = []string{
	"external.recruit_table", "core.recruit", "core.datajob", "core.daily_postings", "core.daily_by_region",
	"core.daily_by_industry", "core.daily_entry_level", "core.open_postings_daily",
	"external.google_trend", "core.google_trend", "external.certification", "core.certification",
}

// Fingerprint summarises the external and core tables: the row count of
// core.recruit and one hash over every row of every table, so two states
// of the warehouse can be compared.
func Fingerprint(ctx context.Context, db *sql.DB) (rows int64, hash string, err error) {
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM core.recruit`).Scan(&rows); err != nil {
		return 0, "", fmt.Errorf("fingerprint core.recruit: %w", err)
	}
	var all []string
	for _, t := range FingerprintTables {
		var h string
		q := `SELECT coalesce(md5(string_agg(r::VARCHAR, '|' ORDER BY r::VARCHAR)), '') FROM ` + t + ` r`
		if err := db.QueryRowContext(ctx, q).Scan(&h); err != nil {
			return 0, "", fmt.Errorf("fingerprint %s: %w", t, err)
		}
		all = append(all, t+"="+h)
	}
	return rows, strings.Join(all, ","), nil
}

// IDs lists the ids in core.recruit, sorted.
func IDs(ctx context.Context, db *sql.DB) ([]string, error) {
	rs, err := db.QueryContext(ctx, `SELECT id FROM core.recruit ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("list core.recruit ids: %w", err)
	}
	defer rs.Close()
	var ids []string
	for rs.Next() {
		var id string
		if err := rs.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, rs.Err()
}
