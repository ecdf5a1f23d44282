package notify_test

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sethvargo/go-envconfig"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/clocktest"
	"jobpulse/pkg/gcptest"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/notify"
	"jobpulse/pkg/notify/notifytest"
	"jobpulse/pkg/source"
)

// logBuffer collects JSON log lines safely across goroutines.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func newLogger() (*slog.Logger, *logBuffer) {
	b := &logBuffer{}
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug})), b
}

func newCapture(t *testing.T) *notifytest.Capture { return notifytest.ForTest(t) }

func newLake(t *testing.T) *lake.Lake {
	_, l, _ := gcptest.Clients(t, bus.Topology{})
	return l
}

func newNotifier(t *testing.T, cfg notify.Config, store notify.Store, now func() time.Time) (*notify.Notifier, *logBuffer) {
	t.Helper()
	log, buf := newLogger()
	n, err := notify.New(cfg, store, log, now)
	if err != nil {
		t.Fatal(err)
	}
	return n, buf
}

// closedAddr is a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

func TestNotifyChannels(t *testing.T) {
	t.Parallel()
	c := newCapture(t)
	n, logs := newNotifier(t, notify.Config{
		SlackWebhookURL: c.WebhookURL,
		SMTPAddr:        c.SMTPAddr,
		SMTPUsername:    "jobpulse",
		SMTPPassword:    "s3cret-smtp-pass",
		SMTPFrom:        "jobpulse@example.com",
		SMTPTo:          "oncall@example.com, data@example.com",
		SMTPTLS:         "none",
		Timeout:         5 * time.Second,
	}, nil, nil)
	ctx := context.Background()

	failures := 0
	for _, k := range notify.Kinds() {
		e := sample(k)
		e.Source = "사람인" // Saramin's own name: the subject must carry Korean
		if e.Error != "" {
			e.Error += "\nlast log lines: (a job's log tail)" // only the first line is sent
		}
		n.Notify(ctx, e)
		if k.Failure() {
			failures++
		}
	}
	msgs := c.Messages()
	if len(msgs) != len(notify.Kinds()) {
		t.Fatalf("Slack got %d messages, want %d (every kind)\n%s", len(msgs), len(notify.Kinds()), logs)
	}
	for i, k := range notify.Kinds() {
		e := sample(k)
		e.Source = "사람인"
		if !strings.HasPrefix(msgs[i].Text, e.Title()+"\n") || !strings.Contains(msgs[i].Text, "Run id: "+runID) || strings.Contains(msgs[i].Text, "log tail") {
			t.Errorf("%s: Slack message reads:\n%s", k, msgs[i].Text)
		}
	}

	mails := c.Mails()
	if len(mails) != failures {
		t.Fatalf("got %d emails, want %d (failure kinds only)\n%s", len(mails), failures, logs)
	}
	var i int
	for _, k := range notify.Kinds() {
		if !k.Failure() {
			continue
		}
		m := mails[i]
		i++
		e := sample(k)
		e.Source = "사람인"
		subject, _ := notify.EmailMessage(e)
		if m.Subject != subject || !strings.HasSuffix(m.Subject, "(사람인)") {
			t.Errorf("%s: subject %q, want %q", k, m.Subject, subject)
		}
		if m.From != "jobpulse@example.com" || strings.Join(m.To, ",") != "oncall@example.com,data@example.com" {
			t.Errorf("%s: from %q to %q", k, m.From, m.To)
		}
		if strings.Contains(m.Body, "log tail") {
			t.Errorf("%s: the error's second line was mailed:\n%s", k, m.Body)
		}
		for _, w := range []string{e.Title(), "Window: 2026-11-25 09:00–10:00 KST", "Error:\n    bigquery: load job", "  - 데이터 엔지니어"} {
			if !strings.Contains(m.Body, w) {
				t.Errorf("%s: body lacks %q:\n%s", k, w, m.Body)
			}
		}
	}
	if strings.Contains(logs.String(), "notify_failed") {
		t.Errorf("a channel failed:\n%s", logs)
	}
	if strings.Contains(logs.String(), "s3cret-smtp-pass") {
		t.Error("password logged")
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newCapture(t)
	l := newLake(t)
	clk := clocktest.New(hourStart.Add(65 * time.Minute)) // 10:05 KST
	cfg := notify.Config{SlackWebhookURL: c.WebhookURL, RepeatAfter: time.Hour, Timeout: 5 * time.Second}
	// Two processes: the extractor of this hour and of the next.
	n1, logs := newNotifier(t, cfg, l, clk.Now)
	n2, _ := newNotifier(t, cfg, l, clk.Now)

	failure := func(hour int) notify.Event {
		e := sample(notify.StepFailed)
		from := hourStart.Add(time.Duration(hour) * time.Hour)
		e.RunID = lake.RunID(source.Saramin, from, from.Add(time.Hour))
		e.Error = "load " + e.RunID + ": job " + []string{"3f9a2c1d", "77ab01ee", "0c0ffee1", "9e8d7c6b"}[hour%4] + " failed"
		e.At = clk.Now()
		return e
	}

	n1.Notify(ctx, failure(0))
	n2.Notify(ctx, failure(1)) // another run, same failure
	n1.Notify(ctx, failure(2))
	if got := len(c.Messages()); got != 1 {
		t.Fatalf("same alert 3 times: %d messages, want 1\n%s", got, logs)
	}
	if !strings.Contains(logs.String(), "notification suppressed") {
		t.Errorf("no log line for the suppressed alert:\n%s", logs)
	}
	var st struct {
		Key        string    `json:"key"`
		LastSent   time.Time `json:"last_sent"`
		Suppressed int       `json:"suppressed"`
	}
	key := failure(0).Key()
	if _, err := l.ReadJSON(ctx, notify.StateName(key), &st); err != nil {
		t.Fatal(err)
	}
	if st.Key != key || st.Suppressed != 2 || !st.LastSent.Equal(clk.Now()) {
		t.Errorf("state = %+v, want key %q, 2 suppressed, last sent now", st, key)
	}

	// Other kinds and other failures are not held back by it.
	for range 3 {
		n1.Notify(ctx, sample(notify.RunSucceeded))
	}
	other := failure(0)
	other.Step = "check"
	n2.Notify(ctx, other)
	if got := len(c.Messages()); got != 5 {
		t.Fatalf("after 3 successes and another failure: %d messages, want 5", got)
	}

	// An hour later the same alert goes out again, saying what was held back.
	clk.Advance(time.Hour)
	c.Reset()
	n2.Notify(ctx, failure(3))
	msgs := c.Messages()
	if len(msgs) != 1 {
		t.Fatalf("after RepeatAfter: %d messages, want 1", len(msgs))
	}
	if want := "2 identical alerts suppressed since 2026-11-25 10:05 KST"; !strings.Contains(msgs[0].Text, want) {
		t.Errorf("message lacks %q:\n%s", want, msgs[0].Text)
	}
	n1.Notify(ctx, failure(4))
	if got := len(c.Messages()); got != 1 {
		t.Errorf("right after it was sent again: %d messages, want 1", got)
	}
}

// TestDriftOncePerKindPerDay: each kind of drift is told once a day, and
// another kind is not held back by it.
func TestDriftOncePerKindPerDay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newCapture(t)
	clk := clocktest.New(hourStart)
	n, logs := newNotifier(t, notify.Config{SlackWebhookURL: c.WebhookURL, RepeatAfter: 45 * time.Minute, Timeout: 5 * time.Second}, newLake(t), clk.Now)
	drift := func(kind string) notify.Event {
		return notify.Event{Kind: notify.ShapeDrift, Job: "transformer", Step: "transform", Source: source.Saramin, Topic: kind,
			RepeatAfter: 24 * time.Hour, Summary: "records read in another form", At: clk.Now()}
	}
	steps := []struct {
		advance time.Duration
		kind    string
		sent    bool
	}{
		{0, "modification-timestamp in milliseconds", true},
		{time.Hour, "modification-timestamp in milliseconds", false}, // past the notifier's 45 minutes, within the day
		{0, "salary changed shape, left null", true},
		{22 * time.Hour, "modification-timestamp in milliseconds", false},
		{time.Hour + time.Minute, "modification-timestamp in milliseconds", true}, // a day after the first
	}
	for i, st := range steps {
		clk.Advance(st.advance)
		before := len(c.Messages())
		n.Notify(ctx, drift(st.kind))
		if sent := len(c.Messages()) > before; sent != st.sent {
			t.Fatalf("step %d (%s): sent %v, want %v\n%s", i, st.kind, sent, st.sent, logs)
		}
	}
	if msgs := c.Messages(); !strings.Contains(msgs[len(msgs)-1].Text, "2 identical alerts suppressed") {
		t.Errorf("the day's second message does not say what was held back:\n%s", msgs[len(msgs)-1].Text)
	}
}

func TestClaimReleasedAfterFailedSend(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c := newCapture(t)
	l := newLake(t)
	clk := clocktest.New(hourStart)
	for _, fault := range []notifytest.Fault{notifytest.Fault500, notifytest.FaultHang} {
		c.Reset()
		// Each round its own alert, so the first round's state is no help.
		e := sample(notify.StepFailed)
		e.Step = fmt.Sprintf("load-%d", fault)
		n, logs := newNotifier(t, notify.Config{SlackWebhookURL: c.WebhookURL, Timeout: time.Second}, l, clk.Now)

		c.SetFault(fault)
		n.Notify(ctx, e)
		if !strings.Contains(logs.String(), `"alert":"notify_failed"`) {
			t.Fatalf("fault %d: failed send not logged:\n%s", fault, logs)
		}
		c.SetFault(notifytest.FaultNone)
		clk.Advance(time.Minute)
		// The same process leaves the failed channel alone for a while.
		n.Notify(ctx, e)
		if got := len(c.Messages()); got != 0 || !strings.Contains(logs.String(), "the channel failed moments ago") {
			t.Fatalf("fault %d: the failed channel was tried again at once: %d messages\n%s", fault, got, logs)
		}
		// The next execution tries it, and the claim was released.
		next, _ := newNotifier(t, notify.Config{SlackWebhookURL: c.WebhookURL, Timeout: time.Second}, l, clk.Now)
		next.Notify(ctx, e)
		if got := len(c.Messages()); got != 1 {
			t.Fatalf("fault %d: after the webhook recovered: %d messages, want 1 (claim not released?)\n%s", fault, got, logs)
		}
		next.Notify(ctx, e)
		if got := len(c.Messages()); got != 1 {
			t.Errorf("fault %d: once sent, the alert is limited again: %d messages, want 1", fault, got)
		}
	}
}

func TestStoreErrorStillSends(t *testing.T) {
	t.Parallel()
	c := newCapture(t)
	n, logs := newNotifier(t, notify.Config{SlackWebhookURL: c.WebhookURL, Timeout: 2 * time.Second}, brokenStore{}, nil)
	n.Notify(context.Background(), sample(notify.StepFailed))
	if got := len(c.Messages()); got != 1 {
		t.Fatalf("%d messages, want 1 despite the store", got)
	}
	if !strings.Contains(logs.String(), "rate limit state not read") {
		t.Errorf("store error not logged:\n%s", logs)
	}
}

// brokenStore fails every call, as an unreachable bucket does.
type brokenStore struct{}

func (brokenStore) ReadJSON(context.Context, string, any) (int64, error) {
	return 0, &net.OpError{Op: "dial", Net: "tcp", Err: net.UnknownNetworkError("bucket unreachable")}
}

func (brokenStore) WriteJSON(context.Context, string, int64, any) error {
	return &net.OpError{Op: "dial", Net: "tcp", Err: net.UnknownNetworkError("bucket unreachable")}
}

func TestDeadWebhook(t *testing.T) {
	t.Parallel()
	const timeout = 300 * time.Millisecond
	tests := []struct {
		name  string
		fault notifytest.Fault
		url   func(c *notifytest.Capture) string
	}{
		{"500", notifytest.Fault500, nil},
		{"hang", notifytest.FaultHang, nil},
		{"refused", notifytest.FaultNone, func(c *notifytest.Capture) string {
			u, _ := url.Parse(c.WebhookURL)
			u.Host = closedAddr(t)
			return u.String()
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := newCapture(t)
			c.SetFault(tc.fault)
			hook := c.WebhookURL
			if tc.url != nil {
				hook = tc.url(c)
			}
			n, logs := newNotifier(t, notify.Config{SlackWebhookURL: hook, Timeout: timeout}, nil, nil)

			done := make(chan struct{})
			go func() {
				n.Notify(context.Background(), sample(notify.StepFailed))
				close(done)
			}()
			select {
			case <-done:
			case <-time.After(time.Minute): // catches a hang; times nothing
				t.Fatal("Notify did not return: its timeout was not honoured")
			}

			out := logs.String()
			if !strings.Contains(out, `"alert":"notify_failed"`) || !strings.Contains(out, `"channel":"slack"`) {
				t.Errorf("no notify_failed warning for slack:\n%s", out)
			}
			u, _ := url.Parse(hook)
			token := u.Path[strings.LastIndex(u.Path, "/")+1:]
			for _, s := range []string{hook, u.Path, token} {
				if strings.Contains(out, s) {
					t.Errorf("log holds the secret %q:\n%s", s, out)
				}
			}
		})
	}
}

// silentAddr is a server that accepts connections and never says a word.
func silentAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return l.Addr().String()
}

func TestDeadSMTP(t *testing.T) {
	t.Parallel()
	const password = "hunter2-Pa55word"
	c := newCapture(t)
	tests := []struct {
		name, addr, tls string
	}{
		{"down", closedAddr(t), "none"},
		{"silent", silentAddr(t), "none"},
		{"no STARTTLS offered", c.SMTPAddr, "starttls"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, logs := newNotifier(t, notify.Config{
				SMTPAddr: tc.addr, SMTPTLS: tc.tls, SMTPUsername: "bot", SMTPPassword: password,
				SMTPFrom: "jobpulse@example.com", SMTPTo: "oncall@example.com", Timeout: 300 * time.Millisecond,
			}, nil, nil)
			// Notify returns (the test's own timeout would catch a hang)
			// and says why the mail was not sent.
			n.Notify(context.Background(), sample(notify.HealthProblem))
			out := logs.String()
			if !strings.Contains(out, `"alert":"notify_failed"`) || !strings.Contains(out, `"channel":"email"`) {
				t.Errorf("no notify_failed warning for email:\n%s", out)
			}
			if strings.Contains(out, password) {
				t.Errorf("log holds the password:\n%s", out)
			}
		})
	}
	if len(c.Mails()) != 0 {
		t.Error("a mail was sent without the STARTTLS asked for")
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	const hook = "https://hooks.slack.com/services/T0001/B0001/SeCrEtToKeN"
	mail := func(c notify.Config) notify.Config {
		c.SMTPAddr, c.SMTPFrom, c.SMTPTo = cmp.Or(c.SMTPAddr, "smtp.example.com:587"), cmp.Or(c.SMTPFrom, "a@example.com"), cmp.Or(c.SMTPTo, "b@example.com")
		return c
	}
	tests := []struct {
		name string
		cfg  notify.Config
		want []string // in the error, one line each; none: valid
	}{
		{"zero", notify.Config{}, nil},
		{"everything", notify.Config{SlackWebhookURL: hook, SMTPAddr: "smtp.example.com:465", SMTPTLS: "TLS",
			SMTPUsername: "u", SMTPPassword: "p", SMTPFrom: "Jobpulse <a@example.com>", SMTPTo: "b@example.com, c@example.com"}, nil},
		{"bad SMTP_TLS", notify.Config{SMTPTLS: "ssl"}, []string{`SMTP_TLS is "ssl"; want starttls, tls or none`}},
		{"SMTP_ADDR without SMTP_FROM", notify.Config{SMTPAddr: "smtp.example.com:587", SMTPTo: "a@example.com"}, []string{"SMTP_FROM is required"}},
		{"SMTP_ADDR without SMTP_TO", notify.Config{SMTPAddr: "smtp.example.com:587", SMTPFrom: "a@example.com"}, []string{"SMTP_TO is required"}},
		{"SMTP_ADDR without port", mail(notify.Config{SMTPAddr: "smtp.example.com"}), []string{`SMTP_ADDR "smtp.example.com" is not host:port`}},
		{"SMTP_ADDR port out of range", mail(notify.Config{SMTPAddr: "smtp.example.com:70000"}), []string{"SMTP_ADDR", "no valid port"}},
		{"bad sender", mail(notify.Config{SMTPFrom: "jobpulse"}), []string{`SMTP_FROM "jobpulse" is not an email address`}},
		{"bad recipient", mail(notify.Config{SMTPTo: "b@example.com, nobody"}), []string{`SMTP_TO: "nobody" is not an email address`}},
		{"password without user", mail(notify.Config{SMTPPassword: "SeCrEtToKeN"}), []string{"SMTP_USERNAME is empty"}},
		{"webhook not http", notify.Config{SlackWebhookURL: strings.Replace(hook, "https", "ftp", 1)}, []string{"SLACK_WEBHOOK_URL is not an http(s) URL"}},
		{"webhook without scheme", notify.Config{SlackWebhookURL: strings.TrimPrefix(hook, "https://")}, []string{"SLACK_WEBHOOK_URL"}},
		{"webhook unparsable", notify.Config{SlackWebhookURL: hook + "\x7f"}, []string{"SLACK_WEBHOOK_URL"}},
		{"negative timeout", notify.Config{Timeout: -time.Second}, []string{"NOTIFY_TIMEOUT is -1s"}},
		{"negative repeat", notify.Config{RepeatAfter: -time.Minute}, []string{"NOTIFY_REPEAT_AFTER is -1m0s"}},
		{"every problem at once", notify.Config{SlackWebhookURL: "ftp://hooks.slack.com/SeCrEtToKeN", SMTPAddr: "smtp.example.com", SMTPTLS: "ssl",
			SMTPPassword: "SeCrEtToKeN", Timeout: -time.Second, RepeatAfter: -time.Second},
			[]string{"NOTIFY_TIMEOUT", "NOTIFY_REPEAT_AFTER", "SLACK_WEBHOOK_URL", "SMTP_TLS", "SMTP_ADDR", "SMTP_FROM", "SMTP_TO", "SMTP_USERNAME"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.cfg.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("a good config refused: %v", err)
				}
				if _, err := notify.New(tc.cfg, nil, nil, nil); err != nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("no error; want one saying %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
			if tc.name == "every problem at once" {
				if n := strings.Count(err.Error(), "\n") + 1; n != len(tc.want) {
					t.Errorf("%d problems told, want %d:\n%v", n, len(tc.want), err)
				}
			}
			if strings.Contains(err.Error(), "SeCrEtToKeN") || strings.Contains(err.Error(), "services/T0001") {
				t.Errorf("error holds the secret: %v", err)
			}
			// New refuses what Validate refuses.
			if _, nerr := notify.New(tc.cfg, nil, nil, nil); nerr == nil {
				t.Errorf("New accepted a config Validate refuses")
			}
		})
	}
}

func TestZeroConfigLogsOnly(t *testing.T) {
	t.Parallel()
	n, logs := newNotifier(t, notify.Config{}, nil, nil)
	n.Notify(context.Background(), sample(notify.StepFailed))
	out := logs.String()
	if !strings.Contains(out, `"level":"INFO"`) || !strings.Contains(out, `"notify":"step_failed"`) {
		t.Errorf("event not logged at Info with its kind:\n%s", out)
	}
	if strings.Contains(out, "notification not sent") || strings.Contains(out, "notification sent") {
		t.Errorf("a channel was tried with none configured:\n%s", out)
	}

	var none *notify.Notifier
	none.Notify(context.Background(), sample(notify.StepFailed)) // must not panic
}

func TestCancelledContextStillNotifies(t *testing.T) {
	t.Parallel()
	c := newCapture(t)
	n, _ := newNotifier(t, notify.Config{SlackWebhookURL: c.WebhookURL, Timeout: 2 * time.Second}, nil, nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the job is being stopped: it still says why
	n.Notify(ctx, sample(notify.StepFailed))
	if got := len(c.Messages()); got != 1 {
		t.Errorf("%d messages, want 1", got)
	}
}

func TestConfigFromEnv(t *testing.T) {
	t.Parallel()
	var cfg notify.Config
	env := envconfig.MapLookuper(map[string]string{
		"SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T1/B1/x",
		"SMTP_TO":           "a@example.com,b@example.com",
	})
	if err := envconfig.ProcessWith(context.Background(), &envconfig.Config{Target: &cfg, Lookuper: env}); err != nil {
		t.Fatal(err)
	}
	want := notify.Config{
		SlackWebhookURL: "https://hooks.slack.com/services/T1/B1/x",
		SMTPTo:          "a@example.com,b@example.com",
		SMTPTLS:         "starttls",
		Timeout:         10 * time.Second,
		RepeatAfter:     45 * time.Minute,
	}
	if cfg != want {
		t.Errorf("config = %+v, want %+v", cfg, want)
	}
}

// TestHostileTextDelivered: what reaches Slack and the mailbox shows text
// from an API as text: escaped in Slack's mrkdwn, and as typed in a mail of
// one text/plain part, which no client reads as HTML.
func TestHostileTextDelivered(t *testing.T) {
	t.Parallel()
	c := newCapture(t)
	n, logs := newNotifier(t, c.Config(), nil, nil)
	for _, tc := range hostile {
		n.Notify(context.Background(), hostileEvent(tc.text))
	}
	msgs, mails := c.Messages(), c.Mails()
	if len(msgs) != len(hostile) || len(mails) != len(hostile) {
		t.Fatalf("%d Slack messages and %d mails, want %d of each\n%s", len(msgs), len(mails), len(hostile), logs)
	}
	for i, tc := range hostile {
		raw, err := json.Marshal(msgs[i].Msg)
		if err != nil {
			t.Fatal(err)
		}
		mrkdwnEscaped(t, raw)
		if want := "Error:\n    saramin: record 48213: title " + tc.text + ": unreadable\n"; !strings.Contains(msgs[i].Text, want) {
			t.Errorf("%s: Slack message lacks %q:\n%s", tc.name, want, msgs[i].Text)
		}
		m := mails[i]
		if got := strings.Join(m.Types, " "); got != "text/plain" {
			t.Errorf("%s: mail parts %q, want text/plain alone", tc.name, got)
		}
		if want := "Posting 48213 titled " + tc.text + " was set aside.\n"; !strings.Contains(m.Body, want) {
			t.Errorf("%s: mail lacks %q:\n%s", tc.name, want, m.Body)
		}
		if want := "[jobpulse] transformer " + tc.text + " failed at transform (" + tc.text + ")"; m.Subject != want {
			t.Errorf("%s: subject %q, want %q", tc.name, m.Subject, want)
		}
	}
}
