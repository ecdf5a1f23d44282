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
	m, err := parseMail(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: err.Error()}
	}
	m.From, m.To = s.from, append([]string(nil), s.to...)
	s.c.record(m)
	return nil
}

func (s *session) Reset() {
	s.from, s.to = "", nil
}

func (s *session) Logout() error { return nil }

// parseMail reads an RFC 5322 message: the subject decoded from MIME
// encoded-words, the text/plain body (the first text/plain part of a
// multipart message), decoded from quoted-printable or base64, and the
// media type of every part.
func parseMail(raw []byte) (Mail, error) {
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Mail{}, fmt.Errorf("notifytest: read mail: %w", err)
	}
	var dec mime.WordDecoder
	var out Mail
	if out.Subject, err = dec.DecodeHeader(m.Header.Get("Subject")); err != nil {
		return Mail{}, fmt.Errorf("notifytest: subject: %w", err)
	}
	if err := readParts(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body, &out); err != nil {
		return Mail{}, err
	}
	return out, nil
}

// readParts notes the media type of an entity, or of each part of a
// multipart one, and decodes the first text/plain content into m.Body.
func readParts(contentType, encoding string, r io.Reader, m *Mail) error {
	mediaType, params := "text/plain", map[string]string{}
	if contentType != "" {
		var err error
		if mediaType, params, err = mime.ParseMediaType(contentType); err != nil {
			return fmt.Errorf("notifytest: content type: %w", err)
		}
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(r, params["boundary"])
		for {
			p, err := mr.NextRawPart() // the encoding is decoded below
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("notifytest: multipart: %w", err)
			}
			if err := readParts(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, m); err != nil {
				return err
			}
		}
	}
	m.Types = append(m.Types, mediaType)
	if mediaType != "text/plain" || m.Body != "" {
		return nil
	}
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, r) // line breaks are skipped
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("notifytest: body: %w", err)
	}
	m.Body = strings.ReplaceAll(string(b), "\r\n", "\n")
	return nil
}
