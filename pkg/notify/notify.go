// Package notify tells people what the pipeline did: a Slack message for
// every event (Block Kit, read at a glance) and an email for failures. A
// notification never fails or blocks a job: it takes a bounded time, its
// errors are logged with the secrets redacted, never returned. Identical
// alerts are rate-limited through state kept in the lake, since every job
// is a short process of its own.
package notify

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"jobpulse/pkg/secret"
)

// Config is read from the environment; the jobs embed it in their own.
type Config struct {
	SlackWebhookURL string        `env:"SLACK_WEBHOOK_URL" help:"Slack incoming webhook (a secret); empty: no Slack messages"`
	SMTPAddr        string        `env:"SMTP_ADDR" help:"host:port of the SMTP server for failure emails; empty: no email"`
	SMTPUsername    string        `env:"SMTP_USERNAME" help:"SMTP user name; empty: no SMTP authentication"`
	SMTPPassword    string        `env:"SMTP_PASSWORD" help:"SMTP password (a secret)"`
	SMTPFrom        string        `env:"SMTP_FROM" help:"sender address of failure emails (required with SMTP_ADDR)"`
	SMTPTo          string        `env:"SMTP_TO" help:"comma-separated recipients of failure emails (required with SMTP_ADDR)"`
	SMTPTLS         string        `env:"SMTP_TLS, default=starttls" help:"starttls, tls (implicit) or none (local servers only)"`
	Timeout         time.Duration `env:"NOTIFY_TIMEOUT, default=10s" help:"time a notification may take to reach all channels (the rate limiter's claim and release get as long again each)"`
	RepeatAfter     time.Duration `env:"NOTIFY_REPEAT_AFTER, default=45m" help:"an identical alert is sent again only after this long (under an hour, so an hourly failure is told every hour)"`
}

// Defaults for a Config left at its zero value.
const (
	DefaultTimeout     = 10 * time.Second
	DefaultRepeatAfter = 45 * time.Minute
)

// TLS modes of SMTP_TLS.
const (
	TLSStartTLS = "starttls"
	TLSImplicit = "tls"
	TLSNone     = "none"
)

// Store keeps the rate limiter's state; *lake.Lake satisfies it. ReadJSON
// reports a missing object with an error wrapping lake.ErrNotFound, and a
// WriteJSON whose generation precondition failed with one wrapping
// lake.ErrConflict (generation 0: only if the object does not exist).
type Store interface {
	ReadJSON(ctx context.Context, name string, v any) (generation int64, err error)
	WriteJSON(ctx context.Context, name string, generation int64, v any) error
}

// Notifier sends events to the configured channels. A nil *Notifier sends
// nothing, so code can hold an optional one.
type Notifier struct {
	cfg      Config
	store    Store
	log      *slog.Logger
	now      func() time.Time
	http     *http.Client
	smtpHost string
	smtpPort int
	to       []string
	redact   []secret.Redactor

	// down holds, per channel, until when it is not tried again after a
	// failure: a dead webhook costs one timeout per execution, not one per
	// event.
	mu   sync.Mutex
	down map[string]time.Time
}

// RestAfterFailure is how long a channel that failed is left alone.
const RestAfterFailure = time.Minute

// Enabled reports whether any channel is configured (a nil or zero
// Notifier only logs).
func (n *Notifier) Enabled() bool {
	return n != nil && (n.cfg.SlackWebhookURL != "" || n.cfg.SMTPAddr != "")
}

// usable drops the channels resting after a failure, logging each.
func (n *Notifier) usable(chans []channel, log *slog.Logger) []channel {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := chans[:0:0]
	for _, ch := range chans {
		if until, ok := n.down[ch.name]; ok && time.Now().Before(until) {
			log.Warn("notification not sent: the channel failed moments ago", "alert", "notify_failed", "channel", ch.name)
			continue
		}
		out = append(out, ch)
	}
	return out
}

// mark records a channel's outcome.
func (n *Notifier) mark(name string, err error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if err == nil {
		delete(n.down, name)
		return
	}
	if n.down == nil {
		n.down = map[string]time.Time{}
	}
	n.down[name] = time.Now().Add(RestAfterFailure)
}

// Validate reports every notification setting that cannot work, so that
// a misconfiguration fails the job at its start rather than as silence.
// Its errors never contain the webhook URL or the password.
func (c Config) Validate() error {
	var errs []error
	if c.Timeout < 0 {
		errs = append(errs, fmt.Errorf("NOTIFY_TIMEOUT is %s; want a positive duration such as 10s", c.Timeout))
	}
	if c.RepeatAfter < 0 {
		errs = append(errs, fmt.Errorf("NOTIFY_REPEAT_AFTER is %s; want a positive duration such as 45m", c.RepeatAfter))
	}
	if c.SlackWebhookURL != "" {
		// url.Parse's error quotes the URL: never wrap it.
		u, err := url.Parse(c.SlackWebhookURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, errors.New("SLACK_WEBHOOK_URL is not an http(s) URL (value not shown: it is a secret); want the webhook's https://hooks.slack.com/... URL"))
		}
	}
	switch tlsMode(c.SMTPTLS) {
	case TLSStartTLS, TLSImplicit, TLSNone:
	default:
		errs = append(errs, fmt.Errorf("SMTP_TLS is %q; want starttls, tls or none", c.SMTPTLS))
	}
	if c.SMTPAddr == "" {
		return errors.Join(errs...)
	}
	if host, port, err := net.SplitHostPort(c.SMTPAddr); err != nil || host == "" {
		errs = append(errs, fmt.Errorf("SMTP_ADDR %q is not host:port", c.SMTPAddr))
	} else if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		errs = append(errs, fmt.Errorf("SMTP_ADDR %q has no valid port; want host:port, the port 1 to 65535", c.SMTPAddr))
	}
	if c.SMTPFrom == "" {
		errs = append(errs, errors.New("SMTP_FROM is required with SMTP_ADDR: want the sender's email address"))
	} else if _, err := mail.ParseAddress(c.SMTPFrom); err != nil {
		errs = append(errs, fmt.Errorf("SMTP_FROM %q is not an email address", c.SMTPFrom))
	}
	to := recipients(c.SMTPTo)
	if len(to) == 0 {
		errs = append(errs, errors.New("SMTP_TO is required with SMTP_ADDR: want comma-separated email addresses"))
	}
	for _, a := range to {
		if _, err := mail.ParseAddress(a); err != nil {
			errs = append(errs, fmt.Errorf("SMTP_TO: %q is not an email address", a))
		}
	}
	if c.SMTPPassword != "" && c.SMTPUsername == "" {
		errs = append(errs, errors.New("SMTP_USERNAME is empty but SMTP_PASSWORD is set: want the user the password is for"))
	}
	return errors.Join(errs...)
}

// tlsMode reads SMTP_TLS: empty is starttls.
func tlsMode(s string) string {
	return cmp.Or(strings.ToLower(strings.TrimSpace(s)), TLSStartTLS)
}

// recipients reads SMTP_TO.
func recipients(s string) []string {
	var out []string
	for a := range strings.SplitSeq(s, ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// New returns a Notifier for cfg, which the job's start has validated
// (New returns Validate's error otherwise). A zero Config gives a Notifier
// that sends nothing but still logs every event. store may be nil (no rate
// limiting), log nil (no logs), now nil (time.Now).
func New(cfg Config, store Store, log *slog.Logger, now func() time.Time) (*Notifier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("notify: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if now == nil {
		now = time.Now
	}
	n := &Notifier{store: store, log: log, now: now}
	cfg.Timeout = cmp.Or(cfg.Timeout, DefaultTimeout)
	cfg.RepeatAfter = cmp.Or(cfg.RepeatAfter, DefaultRepeatAfter)
	cfg.SMTPTLS = tlsMode(cfg.SMTPTLS)
	if u, err := url.Parse(cfg.SlackWebhookURL); err == nil && cfg.SlackWebhookURL != "" {
		// Slack puts the secret in the path; the query or user info may
		// hold one elsewhere. These go first, so a redacted error still
		// names the host; the whole URL last, for any other form.
		if p := strings.Trim(u.EscapedPath(), "/"); p != "" {
			n.redact = append(n.redact, secret.NewRedactor(p))
		}
		if p := strings.Trim(u.Path, "/"); p != "" {
			n.redact = append(n.redact, secret.NewRedactor(p))
		}
		if u.RawQuery != "" {
			n.redact = append(n.redact, secret.NewRedactor(u.RawQuery))
		}
		if pw, ok := u.User.Password(); ok && pw != "" {
			n.redact = append(n.redact, secret.NewRedactor(pw))
		}
		n.redact = append(n.redact, secret.NewRedactor(cfg.SlackWebhookURL))
	}
	if cfg.SMTPPassword != "" {
		n.redact = append(n.redact, secret.NewRedactor(cfg.SMTPPassword))
	}
	if cfg.SMTPAddr != "" {
		host, port, _ := net.SplitHostPort(cfg.SMTPAddr)
		n.smtpHost = host
		n.smtpPort, _ = strconv.Atoi(port)
		n.to = recipients(cfg.SMTPTo)
	}
	n.cfg = cfg
	tr := http.DefaultTransport.(*http.Transport).Clone()
	n.http = &http.Client{Transport: tr, Timeout: cfg.Timeout}
	return n, nil
}

// channel is one way of reaching people.
type channel struct {
	name string
	send func(ctx context.Context, e Event) error
}

func (n *Notifier) channels(k Kind) []channel {
	var cs []channel
	if n.cfg.SlackWebhookURL != "" {
		cs = append(cs, channel{"slack", n.sendSlack})
	}
	if n.cfg.SMTPAddr != "" && k.Failure() {
		cs = append(cs, channel{"email", n.sendEmail})
	}
	return cs
}

// Notify sends e to Slack (every kind) and by email (failure kinds), the
// channels concurrently, within the configured timeout, and never returns
// an error: a channel that fails is logged at Warn with alert
// "notify_failed". The caller's cancellation does not stop a notification
// (a job being stopped still reports why); the timeout does.
//
// Failure kinds are rate-limited by Key: an identical alert within
// RepeatAfter of the last one sent is counted but not sent, and the next
// one sent says how many were suppressed. The slot is claimed in the
// store before sending; when every channel fails the claim is released,
// so the next identical alert is tried. A store error does not stop the
// notification. Claiming, sending and releasing each have the configured
// timeout, so a channel that hangs until its timeout cannot leave the
// slot claimed (at most three timeouts in all).
func (n *Notifier) Notify(ctx context.Context, e Event) {
	if n == nil {
		return
	}
	start := time.Now()
	base := context.WithoutCancel(ctx)

	if e.At.IsZero() {
		e.At = n.now()
	}
	// An error's first line says what failed; the rest (a job's log tail,
	// a wrapped cause's detail) is for the log, not a message.
	e.Error, _, _ = strings.Cut(strings.TrimSpace(e.Error), "\n")
	e = n.redactEvent(e)
	log := n.log.With("notify", string(e.Kind))
	attrs := []any{"title", e.Title()}
	for _, a := range []struct{ k, v string }{
		{"summary", e.Summary}, {"job", e.Job}, {"step", e.Step}, {"source", string(e.Source)},
		{"run_id", e.RunID}, {"execution", e.Execution}, {"failure", e.Error},
	} {
		if a.v != "" {
			attrs = append(attrs, a.k, a.v)
		}
	}
	log.Info("notification", attrs...)

	chans := n.usable(n.channels(e.Kind), log)
	if len(chans) == 0 {
		return
	}
	var c *claim
	if e.Kind.Failure() && n.store != nil {
		claimCtx, cancelClaim := context.WithTimeout(base, n.cfg.Timeout)
		send, cl := n.claim(claimCtx, &e, log)
		cancelClaim()
		if !send {
			return
		}
		c = cl
	}

	sendCtx, cancelSend := context.WithTimeout(base, n.cfg.Timeout)
	defer cancelSend()
	errs := make([]error, len(chans))
	var wg sync.WaitGroup
	for i, ch := range chans {
		wg.Go(func() { errs[i] = within(sendCtx, func() error { return ch.send(sendCtx, e) }) })
	}
	wg.Wait()

	var sent []string
	for i, err := range errs {
		n.mark(chans[i].name, err)
		if err != nil {
			log.Warn("notification not sent", "alert", "notify_failed", "channel", chans[i].name,
				"error", n.redactErr(err).Error(), "elapsed", time.Since(start).Round(time.Millisecond).String())
			continue
		}
		sent = append(sent, chans[i].name)
	}
	if len(sent) > 0 {
		log.Info("notification sent", "channels", strings.Join(sent, ","))
		return
	}
	if c != nil {
		// The release has a timeout of its own: a channel that used up
		// the sending time must not keep the slot taken.
		releaseCtx, cancelRelease := context.WithTimeout(base, n.cfg.Timeout)
		defer cancelRelease()
		n.release(releaseCtx, c, log)
	}
}

// within runs f and gives up when ctx ends, should f not honour ctx (an
// SMTP server that stops answering mid-conversation).
func within(ctx context.Context, f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("no answer within the notification timeout: %w", context.Cause(ctx))
	}
}

// redactErr removes the secrets from err.
func (n *Notifier) redactErr(err error) error {
	for _, r := range n.redact {
		err = r.Error(err)
	}
	return err
}

func (n *Notifier) redactString(s string) string {
	for _, r := range n.redact {
		s = r.String(s)
	}
	return s
}

// redactEvent keeps the secrets out of what is sent, should an error
// have picked one up.
func (n *Notifier) redactEvent(e Event) Event {
	if len(n.redact) == 0 {
		return e
	}
	e.Summary = n.redactString(e.Summary)
	e.Error = n.redactString(e.Error)
	e.Rerun = n.redactString(e.Rerun)
	if e.Items != nil {
		items := make([]string, len(e.Items))
		for i, it := range e.Items {
			items[i] = n.redactString(it)
		}
		e.Items = items
	}
	if e.Fields != nil {
		fields := make([]Field, len(e.Fields))
		for i, f := range e.Fields {
			fields[i] = Field{Label: f.Label, Value: n.redactString(f.Value)}
		}
		e.Fields = fields
	}
	return e
}
