// Package notifytest runs what notify sends to, on loopback: a Slack
// incoming-webhook endpoint and an SMTP server that record every message,
// for tests and for the local stack (which prints what a person would
// receive, with PlainText). The webhook can be made to fail, for tests of a
// dead channel.
package notifytest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/slack-go/slack"

	"jobpulse/pkg/notify"
)

// Options configure Start.
type Options struct {
	// Log receives every message as a person would read it (optional).
	Log io.Writer
}

// Fault makes the webhook misbehave.
type Fault int

const (
	// FaultNone answers like Slack.
	FaultNone Fault = iota
	// Fault500 answers 500 Internal Server Error.
	Fault500
	// FaultHang never answers, until the request is cancelled or the
	// capture closed.
	FaultHang
)

// Received is one webhook message.
type Received struct {
	Msg  *slack.WebhookMessage
	Text string // PlainText of Msg
	At   time.Time
}

// Mail is one email.
type Mail struct {
	From    string
	To      []string
	Subject string // decoded from MIME encoded-words
	Body    string // the text/plain part, decoded
	// Types are the media types of the message's parts, in order: one
	// for a message of one part.
	Types []string
}

// Capture is a running webhook endpoint and SMTP server.
type Capture struct {
	// WebhookURL is the endpoint, with a random path in the shape of
	// Slack's (a secret there).
	WebhookURL string
	// SMTPAddr is the SMTP server's host:port (no TLS, any or no
	// authentication).
	SMTPAddr string

	http   *http.Server
	smtp   *smtp.Server
	lns    []net.Listener
	closed chan struct{}
	once   sync.Once
	wg     sync.WaitGroup

	mu       sync.Mutex
	fault    Fault
	held     int           // webhook requests hanging now
	heldMore chan struct{} // closed when held grows
	messages []Received
	mails    []Mail
	logw     io.Writer
}

// Start serves the webhook and the SMTP server on 127.0.0.1, each on a
// free port. Close stops them.
func Start(o Options) (*Capture, error) {
	c := &Capture{closed: make(chan struct{}), logw: o.Log, heldMore: make(chan struct{})}

	hl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("notifytest: webhook listener: %w", err)
	}
	sl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		hl.Close()
		return nil, fmt.Errorf("notifytest: smtp listener: %w", err)
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	path := "/services/TLOCAL/BLOCAL/" + hex.EncodeToString(b)
	c.WebhookURL = "http://" + hl.Addr().String() + path
	c.SMTPAddr = sl.Addr().String()
	c.lns = []net.Listener{hl, sl}

	mux := http.NewServeMux()
	mux.HandleFunc(path, c.serveWebhook)
	c.http = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}

	s := smtp.NewServer(&backend{c: c})
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.MaxMessageBytes = 10 << 20
	s.MaxRecipients = 100
	s.ReadTimeout = 30 * time.Second
	s.WriteTimeout = 30 * time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)
	c.smtp = s

	c.wg.Add(2)
	go func() {
		defer c.wg.Done()
		_ = c.http.Serve(hl)
	}()
	go func() {
		defer c.wg.Done()
		_ = s.Serve(sl)
	}()
	return c, nil
}

// Close stops both servers; a hanging webhook request is released.
func (c *Capture) Close() {
	c.once.Do(func() {
		close(c.closed)
		_ = c.http.Close()
		_ = c.smtp.Close()
		// A server closed before its Serve took the listener would wait
		// on it forever.
		for _, l := range c.lns {
			_ = l.Close()
		}
		c.wg.Wait()
	})
}

// Config is a notify configuration that sends to this capture: Slack to
// its webhook, email to its SMTP server (no TLS, no authentication).
func (c *Capture) Config() notify.Config {
	return notify.Config{SlackWebhookURL: c.WebhookURL, SMTPAddr: c.SMTPAddr, SMTPTLS: notify.TLSNone,
		SMTPFrom: "jobpulse@localhost", SMTPTo: "data-oncall@localhost"}
}

// SetFault makes the webhook misbehave (FaultNone: behave again).
func (c *Capture) SetFault(f Fault) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fault = f
}

// Messages returns the webhook messages received, in arrival order.
func (c *Capture) Messages() []Received {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Received(nil), c.messages...)
}

// Mails returns the emails received, in arrival order.
func (c *Capture) Mails() []Mail {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Mail(nil), c.mails...)
}

// hold counts a webhook request starting (+1) or ending (-1) its hang.
func (c *Capture) hold(d int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.held += d
	if d > 0 {
		close(c.heldMore)
		c.heldMore = make(chan struct{})
	}
}

// WaitHanging returns once at least n webhook requests are hanging under
// FaultHang, or with ctx's error.
func (c *Capture) WaitHanging(ctx context.Context, n int) error {
	for {
		c.mu.Lock()
		held, more := c.held, c.heldMore
		c.mu.Unlock()
		if held >= n {
			return nil
		}
		select {
		case <-more:
		case <-ctx.Done():
			return fmt.Errorf("notifytest: %d of %d webhook requests hanging: %w", held, n, ctx.Err())
		}
	}
}

// Reset forgets the messages and mails received.
func (c *Capture) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.messages, c.mails = nil, nil
}

// serveWebhook answers like Slack's incoming webhooks: 200 "ok", or 400
// with a reason.
func (c *Capture) serveWebhook(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "invalid_method", http.StatusMethodNotAllowed)
		return
	}
	c.mu.Lock()
	fault := c.fault
	c.mu.Unlock()
	switch fault {
	case Fault500:
		http.Error(w, "internal_error", http.StatusInternalServerError)
		return
	case FaultHang:
		c.hold(+1)
		defer c.hold(-1)
		select {
		case <-r.Context().Done():
		case <-c.closed:
		}
		return
	}

	var m slack.WebhookMessage
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&m); err != nil {
		http.Error(w, "invalid_payload", http.StatusBadRequest)
		return
	}
	if m.Text == "" && (m.Blocks == nil || len(m.Blocks.BlockSet) == 0) {
		http.Error(w, "no_text", http.StatusBadRequest)
		return
	}
	rec := Received{Msg: &m, Text: PlainText(&m), At: time.Now()}
	c.mu.Lock()
	c.messages = append(c.messages, rec)
	if c.logw != nil {
		fmt.Fprintf(c.logw, "--- slack %s ---\n%s\n", rec.At.Format(time.RFC3339), strings.TrimRight(rec.Text, "\n"))
	}
	c.mu.Unlock()
	w.Header().Set("Content-Type", "text/plain")
	io.WriteString(w, "ok")
}

// record keeps one email.
func (c *Capture) record(m Mail) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.mails = append(c.mails, m)
	if c.logw != nil {
		fmt.Fprintf(c.logw, "--- email %s ---\nFrom: %s\nTo: %s\nSubject: %s\n\n%s\n",
			time.Now().Format(time.RFC3339), m.From, strings.Join(m.To, ", "), m.Subject, strings.TrimRight(m.Body, "\n"))
	}
}
