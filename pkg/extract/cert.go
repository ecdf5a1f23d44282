package extract

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"time"

	"jobpulse/pkg/bus"
	"jobpulse/pkg/cert"
	"jobpulse/pkg/kst"
	"jobpulse/pkg/lake"
	"jobpulse/pkg/logging"
	"jobpulse/pkg/ops"
	"jobpulse/pkg/saramin"
	"jobpulse/pkg/source"
)

// CertConfig configures --source cert.
type CertConfig struct {
	QnetBaseURL    string        `env:"QNET_BASE_URL, default=http://openapi.q-net.or.kr/api/service/rest" help:"Q-Net statistics API base URL (the emulator's URL locally)"`
	QnetServiceKey string        `env:"QNET_SERVICE_KEY" help:"data.go.kr service key for Q-Net, required for --source cert (secret: never logged)"`
	CertExams      Exams         `env:"CERT_EXAMS, default=정보처리기사=1320" help:"exams asked of Q-Net, as name=jmCd pairs, comma-separated"`
	QnetRate       float64       `env:"QNET_RATE, default=5" help:"Q-Net calls per second"`
	QnetTimeout    time.Duration `env:"QNET_TIMEOUT, default=10s" help:"timeout of one Q-Net call"`
}

// CertAPI is the Q-Net statistics client.
type CertAPI interface {
	Pages(ctx context.Context, year int) ([]cert.Page, error)
}

var jmCdRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,16}$`)

// Exams are the exams of CERT_EXAMS, decoded by go-envconfig with
// ParseExams.
type Exams []cert.Exam

// EnvDecode reads CERT_EXAMS.
func (x *Exams) EnvDecode(s string) error {
	exams, err := ParseExams(s)
	*x = exams
	return err
}

// ParseExams reads CERT_EXAMS ("정보처리기사=1320,...").
func ParseExams(s string) ([]cert.Exam, error) {
	var out []cert.Exam
	for _, item := range saramin.SplitList(s) {
		name, code, ok := strings.Cut(item, "=")
		name, code = strings.TrimSpace(name), strings.TrimSpace(code)
		if !ok || name == "" || !jmCdRE.MatchString(code) {
			return nil, fmt.Errorf("%q is not name=code; want comma-separated name=code pairs, the code letters, digits, - or _", item)
		}
		out = append(out, cert.Exam{Name: name, JmCd: code})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no exam in %q; want comma-separated name=code pairs such as 정보처리기사=1320", s)
	}
	return out, nil
}

// weekStart is the KST Monday midnight starting t's week.
func weekStart(t time.Time) time.Time {
	d := kst.Midnight(t)
	return d.AddDate(0, 0, -((int(d.Weekday()) + 6) % 7))
}

// runCert lands the whole certification data set once a week: every Q-Net
// answer for the configured exams and the operator's file. Any failed call
// fails the run before anything is announced, so the loaded set stays as
// it was and the watermark does not move.
func (e *Extractor) runCert(ctx context.Context, opts Options, began time.Time) (Summary, error) {
	wm, found, err := e.Lake.ReadWatermark(ctx, source.Cert)
	if err != nil {
		return Summary{}, ops.InStep("watermark", fmt.Errorf("extract cert: %w", err))
	}
	to := opts.To
	if to.IsZero() {
		to = weekStart(began)
	}
	from := opts.From
	if from.IsZero() {
		from = to.AddDate(0, 0, -7)
	}
	// --from asks for a week again; --to alone only says which week it is.
	explicit := !opts.From.IsZero()
	from, to = from.UTC(), to.UTC()
	sum := Summary{RunID: lake.RunID(source.Cert, from, to), Window: bus.Window{From: from, To: to}}
	log := logging.ForRun(e.Log, e.Project, sum.RunID).With("source", source.Cert)
	if !explicit && found && !wm.Until.Before(to) {
		sum.NothingNew, sum.Duration = true, e.Now().Sub(began)
		log.Info("certifications already fetched this week: nothing to do", "watermark", wm.Until)
		return sum, nil
	}
	year := kst.Midnight(to.Add(-time.Nanosecond)).Year()
	pages, err := e.Cert.Pages(ctx, year)
	if err != nil {
		return sum, ops.InStep("fetch", fmt.Errorf("extract %s: the previous data set stays: %w", sum.RunID, err))
	}
	for _, p := range pages {
		data, err := json.Marshal(p)
		if err != nil {
			return sum, fmt.Errorf("extract %s: encode page: %w", sum.RunID, err)
		}
		name := lake.RawItem(source.Cert, sum.RunID, to, fmt.Sprintf("qnet-%s-%s-%03d.json", p.Exam.JmCd, p.Op, p.PageNo))
		if err := e.Lake.Put(ctx, name, "application/json", data); err != nil {
			return sum, ops.InStep("land", fmt.Errorf("extract %s: %w", sum.RunID, err))
		}
		sum.Pages++
		sum.Objects = append(sum.Objects, name)
	}
	name := lake.RawItem(source.Cert, sum.RunID, to, lake.DataSetObject)
	if err := e.Lake.Put(ctx, name, "text/csv", cert.DataSetBytes()); err != nil {
		return sum, ops.InStep("land", fmt.Errorf("extract %s: %w", sum.RunID, err))
	}
	sum.Objects = append(sum.Objects, name)
	if err := e.announce(ctx, source.Cert, &sum, len(sum.Objects)); err != nil {
		return sum, err
	}
	if err := e.advance(ctx, wm, found, to, sum.RunID); err != nil {
		return sum, err
	}
	sum.Duration = e.Now().Sub(began)
	log.Info("extracted", "answers", sum.Pages, "year", year, "data_set", cert.DataSetVersion(), "message_id", sum.MessageID, "duration", sum.Duration)
	return sum, nil
}
