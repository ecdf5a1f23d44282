package notifytest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

type backend struct{ c *Capture }

func (b *backend) NewSession(*smtp.Conn) (smtp.Session, error) {
	return &session{c: b.c}, nil
}

// session records one client's mails. Any credentials are accepted.
type session struct {
	c    *Capture
	from string
	to   []string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error { return nil }), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	subject, body, err := parseMail(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: err.Error()}
	}
	s.c.record(Mail{From: s.from, To: append([]string(nil), s.to...), Subject: subject, Body: body})
	return nil
}

func (s *session) Reset() {
	s.from, s.to = "", nil
}

func (s *session) Logout() error { return nil }

// parseMail reads an RFC 5322 message: the subject decoded from MIME
// encoded-words and the text/plain body (the first text/plain part of a
// multipart message), decoded from quoted-printable or base64.
func parseMail(raw []byte) (subject, body string, err error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return "", "", fmt.Errorf("notifytest: read mail: %w", err)
	}
	var dec mime.WordDecoder
	subject, err = dec.DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return "", "", fmt.Errorf("notifytest: subject: %w", err)
	}
	text, err := textPart(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body)
	if err != nil {
		return "", "", err
	}
	return subject, text, nil
}

// textPart finds and decodes the text/plain content of an entity.
func textPart(contentType, encoding string, r io.Reader) (string, error) {
	mediaType, params := "text/plain", map[string]string{}
	if contentType != "" {
		var err error
		if mediaType, params, err = mime.ParseMediaType(contentType); err != nil {
			return "", fmt.Errorf("notifytest: content type: %w", err)
		}
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(r, params["boundary"])
		for {
			p, err := mr.NextRawPart() // the encoding is decoded below
			if err == io.EOF {
				return "", nil
			}
			if err != nil {
				return "", fmt.Errorf("notifytest: multipart: %w", err)
			}
			text, err := textPart(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p)
			if err != nil {
				return "", err
			}
			if text != "" {
				return text, nil
			}
		}
	}
	if mediaType != "text/plain" {
		return "", nil
	}
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r) // line breaks are skipped
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return "", fmt.Errorf("notifytest: body: %w", err)
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n"), nil
}
