package duckdb_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"time"

	"jobpulse/pkg/source"
	"jobpulse/pkg/warehouse"
	"jobpulse/pkg/warehouse/warehousetest"
)

// market is a synthetic posting history: perHour new postings every hour
// from start, ids counting up from 0, titles cycling through a mix of data
// and other jobs. It writes NDJSON as the transformer does.
type market struct {
	start   time.Time
	perHour int
}

// marketTitles mix data roles, other IT work and jobs outside IT, as the
// real market does.
var marketTitles = []string{
	"데이터 엔지니어", "백엔드 개발자", "영업 관리", "회계 담당자", "프론트엔드 개발자",
	"생산직 사원", "데이터 분석가", "간호사", "물류 관리", "마케팅 매니저",
}

// idPlaceholder stands for a posting's id in a posting encoded once per
// title and hour; ids have as many digits.
const idPlaceholder = "@@@@@@@@@@"

// hour returns the start of the market's i-th hour.
func (m market) hour(i int) time.Time { return m.start.Add(time.Duration(i) * time.Hour) }

// write writes the postings of hours [from, to) to w. Each title is
// encoded once per hour and its id substituted, so a million postings take
// seconds rather than minutes.
func (m market) write(w io.Writer, from, to int, run string) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	for h := from; h < to; h++ {
		var tmpl [][]byte
		for k, title := range marketTitles {
			// Spread the hour's postings over its minutes.
			modified := m.hour(h).Add(time.Duration(k) * time.Minute)
			tmpl = append(tmpl, warehousetest.NDJSON(warehousetest.Posting(idPlaceholder, title, modified, run)))
		}
		for j := range m.perHour {
			id := fmt.Sprintf("%010d", h*m.perHour+j)
			if _, err := bw.Write(bytes.ReplaceAll(tmpl[j%len(tmpl)], []byte(idPlaceholder), []byte(id))); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}

// lake serves the market's hours [from, to) as object "clean/<from>-<to>",
// generated as it is read.
func (m market) Open(_ context.Context, name string) (io.ReadCloser, error) {
	var from, to int
	if _, err := fmt.Sscanf(name, "clean/%d-%d", &from, &to); err != nil {
		return nil, fmt.Errorf("market object %q: %w", name, err)
	}
	r, w := io.Pipe()
	go func() { w.CloseWithError(m.write(w, from, to, run(from))) }()
	return r, nil
}

func run(from int) string { return fmt.Sprintf("run-%08d", from) }

// batch is the hourly batch of hours [from, to), windowed as the
// extractor's are.
func (m market) batch(from, to int) warehouse.Batch {
	return warehouse.Batch{
		Source: source.Saramin, RunID: run(from), Objects: []string{fmt.Sprintf("clean/%d-%d", from, to)},
		Rows: (to - from) * m.perHour, WindowFrom: m.hour(from), WindowTo: m.hour(to),
	}
}
