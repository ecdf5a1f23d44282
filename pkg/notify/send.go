package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"
	gomail "github.com/wneessen/go-mail"
)

// sendSlack posts e to the incoming webhook.
func (n *Notifier) sendSlack(ctx context.Context, e Event) error {
	if err := slack.PostWebhookCustomHTTPContext(ctx, n.cfg.SlackWebhookURL, n.http, SlackMessage(e)); err != nil {
		return fmt.Errorf("slack webhook: %w", err)
	}
	return nil
}

// sendEmail mails e to the recipients.
func (n *Notifier) sendEmail(ctx context.Context, e Event) error {
	subject, body := EmailMessage(e)
	m := gomail.NewMsg()
	if err := m.From(n.cfg.SMTPFrom); err != nil {
		return fmt.Errorf("email: from: %w", err)
	}
	if err := m.To(n.to...); err != nil {
		return fmt.Errorf("email: to: %w", err)
	}
	m.Subject(subject)
	m.SetDateWithValue(e.At)
	m.SetMessageID()
	m.SetBodyString(gomail.TypeTextPlain, body)

	timeout := n.cfg.Timeout
	if d, ok := ctx.Deadline(); ok {
		timeout = max(time.Until(d), time.Millisecond)
	}
	opts := []gomail.Option{gomail.WithPort(n.smtpPort), gomail.WithTimeout(timeout)}
	switch n.cfg.SMTPTLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if n.cfg.SMTPUsername != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if n.cfg.SMTPTLS == TLSNone {
			// Without TLS only PLAIN is offered, and go-mail allows it only
			// to a server on this machine.
			auth = gomail.SMTPAuthPlain
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(n.cfg.SMTPUsername), gomail.WithPassword(n.cfg.SMTPPassword))
	}
	c, err := gomail.NewClient(n.smtpHost, opts...)
	if err != nil {
		return fmt.Errorf("email: client: %w", err)
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return fmt.Errorf("email via %s: %w", n.cfg.SMTPAddr, err)
	}
	return nil
}
