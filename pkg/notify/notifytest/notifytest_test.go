package notifytest

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/smtp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// syncBuffer is a bytes.Buffer safe for the servers' goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func start(t *testing.T) (*Capture, *syncBuffer) {
	t.Helper()
	log := &syncBuffer{}
	c, err := Start(Options{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, log
}

func post(t *testing.T, client *http.Client, url, body string) (int, string) {
	t.Helper()
	resp, err := client.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

func TestWebhook(t *testing.T) {
	t.Parallel()
	c, log := start(t)
	if !strings.HasPrefix(c.WebhookURL, "http://127.0.0.1:") || !strings.Contains(c.WebhookURL, "/services/") {
		t.Fatalf("WebhookURL = %q", c.WebhookURL)
	}
	msg := `{"text":"fallback","blocks":[{"type":"header","text":{"type":"plain_text","text":"✅ Postings loaded"}},` +
		`{"type":"section","fields":[{"type":"mrkdwn","text":"*Loaded*\n42"}]}]}`
	tests := []struct {
		name       string
		fault      Fault
		body       string
		wantStatus int
		wantBody   string
	}{
		{"ok", FaultNone, msg, 200, "ok"},
		{"text only", FaultNone, `{"text":"plain &amp; simple"}`, 200, "ok"},
		{"not JSON", FaultNone, `{"text":`, 400, "invalid_payload"},
		{"empty", FaultNone, `{}`, 400, "no_text"},
		{"500", Fault500, msg, 500, "internal_error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c.SetFault(tc.fault)
			status, body := post(t, http.DefaultClient, c.WebhookURL, tc.body)
			if status != tc.wantStatus || body != tc.wantBody {
				t.Errorf("answer %d %q, want %d %q", status, body, tc.wantStatus, tc.wantBody)
			}
		})
	}
	got := c.Messages()
	if len(got) != 2 {
		t.Fatalf("%d messages recorded, want 2", len(got))
	}
	if got[0].Text != "✅ Postings loaded\nLoaded: 42\n" || got[1].Text != "plain & simple" {
		t.Errorf("texts = %q, %q", got[0].Text, got[1].Text)
	}
	if h, ok := got[0].Msg.Blocks.BlockSet[0].(*slack.HeaderBlock); !ok || h.Text.Text != "✅ Postings loaded" || got[0].At.IsZero() {
		t.Errorf("message = %#v", got[0])
	}
	if !strings.Contains(log.String(), "--- slack ") || !strings.Contains(log.String(), "Loaded: 42") {
		t.Errorf("log:\n%s", log)
	}
	if resp, err := http.Get(c.WebhookURL); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %v, %v", resp, err)
	}
	c.Reset()
	if len(c.Messages()) != 0 {
		t.Error("Reset kept messages")
	}
}

func TestWebhookHang(t *testing.T) {
	t.Parallel()
	c, _ := start(t)
	c.SetFault(FaultHang)
	client := &http.Client{Timeout: 100 * time.Millisecond}
	if _, err := client.Post(c.WebhookURL, "application/json", strings.NewReader(`{"text":"x"}`)); err == nil {
		t.Fatal("a hanging webhook answered")
	}

	// Close releases a request still hanging.
	errc := make(chan error, 1)
	go func() {
		_, err := http.Post(c.WebhookURL, "application/json", strings.NewReader(`{"text":"x"}`))
		errc <- err
	}()
	if err := c.WaitHanging(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	closed := make(chan struct{})
	go func() {
		c.Close()
		close(closed)
	}()
	// Generous bounds: these catch a hang, they time nothing.
	select {
	case <-closed:
	case <-time.After(time.Minute):
		t.Fatal("Close blocked on a hanging request")
	}
	select {
	case err := <-errc:
		if err == nil {
			t.Error("a hanging request was answered at Close")
		}
	case <-time.After(time.Minute):
		t.Fatal("hanging request not released by Close")
	}
	if len(c.Messages()) != 0 {
		t.Error("a hanging request was recorded")
	}
}

func TestSMTP(t *testing.T) {
	t.Parallel()
	c, log := start(t)
	body := "데이터 적재 실패\nline two\n"
	tests := []struct {
		name, raw   string
		wantSubject string
		wantBody    string
		wantTypes   string
	}{
		{
			name: "quoted-printable",
			raw: "From: jobpulse@example.com\r\nTo: oncall@example.com\r\n" +
				"Subject: =?UTF-8?q?[jobpulse]_loader_failed_(=EC=82=AC=EB=9E=8C=EC=9D=B8)?=\r\n" +
				"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
				"=EB=8D=B0=EC=9D=B4=ED=84=B0 =EC=A0=81=EC=9E=AC =EC=8B=A4=ED=8C=A8\r\nline t=\r\nwo\r\n",
			wantSubject: "[jobpulse] loader failed (사람인)",
			wantBody:    body,
			wantTypes:   "text/plain",
		},
		{
			name: "multipart with base64",
			raw: "From: jobpulse@example.com\r\nTo: oncall@example.com\r\n" +
				"Subject: =?UTF-8?b?" + base64.StdEncoding.EncodeToString([]byte("⚠️ 키워드 실패")) + "?=\r\n" +
				"MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n" +
				"--b1\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n<p>html</p>\r\n" +
				"--b1\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
				wrap(base64.StdEncoding.EncodeToString([]byte(body)), 16) + "\r\n--b1--\r\n",
			wantSubject: "⚠️ 키워드 실패",
			wantBody:    body,
			wantTypes:   "text/html text/plain",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c.Reset()
			if err := smtp.SendMail(c.SMTPAddr, nil, "jobpulse@example.com", []string{"oncall@example.com", "data@example.com"}, []byte(tc.raw)); err != nil {
				t.Fatal(err)
			}
			mails := c.Mails()
			if len(mails) != 1 {
				t.Fatalf("%d mails, want 1", len(mails))
			}
			m := mails[0]
			if m.From != "jobpulse@example.com" || strings.Join(m.To, ",") != "oncall@example.com,data@example.com" {
				t.Errorf("envelope %q → %q", m.From, m.To)
			}
			if m.Subject != tc.wantSubject || m.Body != tc.wantBody {
				t.Errorf("subject %q body %q, want %q %q", m.Subject, m.Body, tc.wantSubject, tc.wantBody)
			}
			if got := strings.Join(m.Types, " "); got != tc.wantTypes {
				t.Errorf("parts %q, want %q", got, tc.wantTypes)
			}
		})
	}
	if !strings.Contains(log.String(), "--- email ") || !strings.Contains(log.String(), "Subject: ⚠️ 키워드 실패") {
		t.Errorf("log:\n%s", log)
	}

	// Any credentials are accepted (PLAIN is allowed to localhost).
	auth := smtp.PlainAuth("", "bot", "pw", "127.0.0.1")
	if err := smtp.SendMail(c.SMTPAddr, auth, "a@example.com", []string{"b@example.com"}, []byte("Subject: hi\r\n\r\nbody\r\n")); err != nil {
		t.Fatalf("with auth: %v", err)
	}
}

func wrap(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\r\n")
		s = s[n:]
	}
	b.WriteString(s)
	return b.String()
}

func TestCloseTwice(t *testing.T) {
	t.Parallel()
	c, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, c.WebhookURL, strings.NewReader(`{"text":"x"}`))
	if _, err := http.DefaultClient.Do(req); err == nil {
		t.Error("webhook still answers after Close")
	}
}
