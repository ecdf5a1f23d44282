package dashboard_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// open loads the page at query and waits until the volume, entry and
// coverage charts are drawn.
func open(t *testing.T, ctx context.Context, base, query string) {
	t.Helper()
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/?"+query),
		chromedp.WaitVisible(`#volume[data-ready="1"]`),
		chromedp.WaitVisible(`#entry-chart[data-ready="1"]`),
		chromedp.WaitVisible(`#coverage[data-ready="1"]`),
		chromedp.WaitVisible(`#province-chart[data-ready="1"]`),
	); err != nil {
		t.Fatalf("load ?%s: %v", query, err)
	}
}

// TestWords checks the words of the volume, entry and coverage charts in
// one Chromium: the particle helper, the readings' comparisons and the
// page's readings and notes, in Korean and English.
func TestWords(t *testing.T) {
	t.Parallel()
	ctx := browser(t)
	srv := server(t)
	t.Run("josa", func(t *testing.T) { testJosa(t, ctx, srv.URL) })
	t.Run("readings", func(t *testing.T) { testReadings(t, ctx, srv.URL) })
	t.Run("page", func(t *testing.T) { testPageWords(t, ctx, srv.URL) })
	noViolations(t, ctx)
}

// testJosa: the page's particle helper picks each particle by the final
// sound of the word before it, Korean, Latin letters (read by their
// Korean names) and numbers (read the Korean way) alike.
func testJosa(t *testing.T, ctx context.Context, base string) {
	open(t, ctx, base, "role=all")
	tests := []struct{ Word, Pair, Want string }{
		// Hangul: a final consonant, a vowel, ㄹ.
		{"강남구", "이/가", "강남구가"},
		{"서울", "이/가", "서울이"},
		{"서울", "으로/로", "서울로"},
		{"부산", "으로/로", "부산으로"},
		{"데이터", "으로/로", "데이터로"},
		{"4주", "을/를", "4주를"},
		{"4개월", "과/와", "4개월과"},
		{"28일", "과/와", "28일과"},
		{"정보처리기사", "은/는", "정보처리기사는"},
		{"빅데이터분석기사", "와/과", "빅데이터분석기사와"}, // either order
		// Latin letters by their Korean names: 엘 and 알 end in ㄹ, 엠 and 엔
		// in another consonant, the rest in a vowel.
		{"SQL", "이/가", "SQL이"},
		{"SQL", "으로/로", "SQL로"},
		{"ETL", "을/를", "ETL을"},
		{"R", "이/가", "R이"},
		{"Python", "을/를", "Python을"},
		{"Spark", "은/는", "Spark는"},
		{"AWS", "과/와", "AWS와"},
		{"ML 엔지니어", "이/가", "ML 엔지니어가"},
		{"BigQuery", "이/가", "BigQuery가"},
		// Digits by their reading, a whole number's trailing zeros by its
		// place, % as 퍼센트.
		{"2", "이/가", "2가"},
		{"3", "이/가", "3이"},
		{"1", "으로/로", "1로"},
		{"6", "으로/로", "6으로"},
		{"0", "을/를", "0을"},
		{"10", "이/가", "10이"},
		{"100", "을/를", "100을"},
		{"1,000", "은/는", "1,000은"},
		{"20000", "과/와", "20000과"},
		{"1000000000000", "이/가", "1000000000000가"},
		{"3.5", "이/가", "3.5가"},
		{"34.1%", "이/가", "34.1%가"},
		// What ends a word is read past closing brackets and quotes.
		{"의료(병원종류별)", "이/가", "의료(병원종류별)이"},
		{"'데이터 분석'", "을/를", "'데이터 분석'을"},
		{"ㅋ", "이/가", "ㅋ이"},
		// No way to tell: both forms, never a wrong one.
		{"★", "이/가", "★이(가)"},
		{"", "을/를", "을(를)"},
	}
	cases, err := json.Marshal(tests)
	if err != nil {
		t.Fatal(err)
	}
	got := eval[[]string](t, ctx, `(`+string(cases)+`).map(c => window.jobpulse.josa(c.Word, c.Pair))`)
	for i, tc := range tests {
		if got[i] != tc.Want {
			t.Errorf("josa(%q, %q) = %q; want %q", tc.Word, tc.Pair, got[i], tc.Want)
		}
	}
	if msg := eval[string](t, ctx, `(() => { try { window.jobpulse.josa("서울", "의/의"); return ""; } catch (e) { return e.message; } })()`); !strings.Contains(msg, "unknown particle") {
		t.Errorf("an unknown pair: %q; want an error", msg)
	}
}

// testReadings: the volume reading's comparison reads right whatever the
// outcome, in Korean and English, counts whole periods only (28 days
// against 28 at the day grain), and says when there are too few.
func testReadings(t *testing.T, ctx context.Context, base string) {
	// mk builds a volume answer of a data role's periods (counts), the
	// last one partial when asked.
	const mk = `const mk = (grain, counts, partialLast) => ({
	  filter: { role: "data_engineer", entry: false, province: "", industry: "", from: "2026-01-05", to: "2026-03-29", grain },
	  points: counts.map((n, i) => {
	    const partial = partialLast && i === counts.length - 1;
	    return { date: "2026-01-05", postings: n, market: n * 4, entry: 0, share: 0.25, entry_pct: 0, covered: true, partial, why: partial ? "unfinished" : undefined };
	  }),
	});
	const meta = { first: "2026-01-05", last: "2026-03-29" };
	const weeks = (before, last, partialLast) => mk("week", [...Array(4).fill(before), ...Array(4).fill(last), ...(partialLast ? [999] : [])], partialLast);
	const read = v => window.jobpulse.volumeReading(v, meta);`
	readings := `(() => { ` + mk + `
	  return [read(weeks(10, 11)), read(weeks(10, 9)), read(weeks(10, 10)), read(weeks(0, 3)), read(weeks(10, 10, true)),
	          read(mk("week", [5, 5, 5])), read(mk("day", Array(56).fill(2))), read(mk("day", Array(55).fill(2)))];
	})()`
	tests := []struct {
		lang string
		want []string
	}{
		{"ko", []string{
			"마지막 4주를 그 전 4주와 비교하면 공고가 10% 늘었습니다.",
			"마지막 4주를 그 전 4주와 비교하면 공고가 10% 줄었습니다.",
			"마지막 4주를 그 전 4주와 비교하면 공고 수가 거의 같습니다.",
			"그 전 4주에는 공고가 없었고, 마지막 4주에는 12건입니다.",
			"마지막 4주를 그 전 4주와 비교하면 공고 수가 거의 같습니다. 흐리게 그린 구간(아직 끝나지 않음)은",
			"온전한 기간이 3주뿐이라 증감은 비교하지 않았습니다(8주가 필요합니다).",
			"마지막 28일을 그 전 28일과 비교하면 공고 수가 거의 같습니다. 두 기간 모두 요일마다 4일씩이라",
			"온전한 기간이 55일뿐이라 증감은 비교하지 않았습니다(56일이 필요합니다).",
		}},
		{"en", []string{
			"The last 4 weeks against the 4 weeks before: up 10%.",
			"The last 4 weeks against the 4 weeks before: down 10%.",
			"The last 4 weeks against the 4 weeks before: about the same.",
			"The 4 weeks before held no postings; the last 4 weeks hold 12.",
			"about the same. Faded periods (not over yet)",
			"Too few whole periods to compare (3 weeks; a comparison needs 8 weeks).",
			"The last 28 days against the 28 days before: about the same. Both spans hold each weekday four times.",
			"Too few whole periods to compare (55 days; a comparison needs 56 days).",
		}},
	}
	for _, tc := range tests {
		open(t, ctx, base, "role=data_engineer&lang="+tc.lang)
		got := eval[[]string](t, ctx, readings)
		for i, want := range tc.want {
			if !strings.Contains(got[i], want) {
				t.Errorf("%s reading %d:\n%s\nwant it to say\n%s", tc.lang, i, got[i], want)
			}
			if strings.Contains(got[i], "보다 거의") || strings.Contains(got[i], "이(가)") {
				t.Errorf("%s reading %d reads wrong: %s", tc.lang, i, got[i])
			}
		}
	}
}

// testPageWords: the readings on the page choose their particles, leave
// out the share of the market when the role is the whole market, say
// which filter a chart cannot apply, mark the gaps and faded periods, and
// name provinces and industries in English on ?lang=en.
func testPageWords(t *testing.T, ctx context.Context, base string) {
	seoul, it := url.QueryEscape("서울"), url.QueryEscape("IT·웹·통신")

	// The whole market: no share of itself. The weeks outside the
	// postings (7–22 Sep) are gaps, the week of 22 Sep is faded, and two
	// whole weeks are too few to compare.
	open(t, ctx, base, "role=all&grain=week&from=2026-08-03&to=2026-10-25")
	vol := text(t, ctx, "#volume-reading")
	if strings.Contains(vol, "전체 공고 중") || !strings.Contains(vol, "7건") {
		t.Errorf("whole-market reading %q; want its 7 postings and no share of itself", vol)
	}
	for _, want := range []string{"2026년 9월 7일부터 2026년 9월 22일까지", "온전한 기간이 2주뿐이라", "흐리게 그린 구간(수집 기간의 처음이나 끝)", "0이 아닌 빈칸으로"} {
		if !strings.Contains(vol, want) {
			t.Errorf("reading %q; want it to say %q", vol, want)
		}
	}
	if gaps, partial, points := attr(t, ctx, "#volume", "data-gaps"), attr(t, ctx, "#volume", "data-partial"), attr(t, ctx, "#volume", "data-points"); gaps != "9" || partial != "1" || points != "12" {
		t.Errorf("volume: %s gaps, %s partial of %s weeks; want 9 and 1 of 12", gaps, partial, points)
	}
	// The coverage chart: September, held from the 7th only.
	if months, partial, note := attr(t, ctx, "#coverage", "data-months"), attr(t, ctx, "#coverage", "data-partial"), text(t, ctx, "#coverage-note"); months != "1" || partial != "1" || !strings.Contains(note, "필터와 관계없이") {
		t.Errorf("coverage: %s months, %s partial, note %q", months, partial, note)
	}
	if hidden := eval[bool](t, ctx, `document.getElementById("volume-note").hidden`); !hidden {
		t.Errorf("the open-postings note shows without filters: %q", text(t, ctx, "#volume-note"))
	}

	// A data role in 서울: its share, the filters it counts under, the open
	// postings it cannot show, and 강남구 without an undecided particle.
	open(t, ctx, base, "role=data_engineer&province="+seoul+"&from=2026-09-01&to=2026-09-30")
	if vol := text(t, ctx, "#volume-reading"); !strings.Contains(vol, "데이터 엔지니어 신규 공고(서울)는 1건입니다") || !strings.Contains(vol, "같은 조건의 전체 공고 중 25%") {
		t.Errorf("data engineers in 서울: %q", vol)
	}
	if n := text(t, ctx, "#volume-note"); !strings.Contains(n, "게시 중 공고 선은 숨겼습니다") || !strings.Contains(n, "지역 필터") {
		t.Errorf("open-postings note %q; want it to say the province filter cannot apply", n)
	}
	if r := text(t, ctx, "#province-reading"); !strings.Contains(r, "강남구") || strings.Contains(r, "이(가)") {
		t.Errorf("district reading %q; want 강남구, without a particle left undecided", r)
	}
	// Newcomers only: the share is 100% by choice, and it says so.
	open(t, ctx, base, "role=all&entry=1&from=2026-09-01&to=2026-09-30")
	if r := text(t, ctx, "#entry-reading"); !strings.Contains(r, "모두 신입 가능") {
		t.Errorf("entry reading with newcomers only: %q", r)
	}

	// English: the selects, the readings and the notes name provinces and
	// industries in English.
	open(t, ctx, base, "role=data_engineer&province="+seoul+"&industry="+it+"&from=2026-09-01&to=2026-09-30&lang=en")
	options := eval[string](t, ctx, `[...document.querySelectorAll('select[name="province"] option, select[name="industry"] option')].map(o => o.textContent).join("|")`)
	for _, want := range []string{"Seoul", "Gyeonggi", "Information and communication", "Financial and insurance activities"} {
		if !strings.Contains(options, want) {
			t.Errorf("English options %q; want %q", options, want)
		}
	}
	if strings.Contains(options, "서울") || strings.Contains(options, "IT·웹·통신") {
		t.Errorf("English options keep Korean names: %q", options)
	}
	if v := eval[string](t, ctx, `document.querySelector('select[name="province"]').value`); v != "서울" {
		t.Errorf("the province select's value %q; want the Korean name the API takes", v)
	}
	if vol := text(t, ctx, "#volume-reading"); !strings.Contains(vol, "Data engineer (Seoul, Information and communication): 1 new posting.") {
		t.Errorf("English reading %q", vol)
	}
	if n := text(t, ctx, "#volume-note"); !strings.Contains(n, "province, industry filter cannot apply") {
		t.Errorf("English open-postings note %q", n)
	}
	if p := eval[string](t, ctx, `window.jobpulse.placeName("서울 > 강남구") + "|" + window.jobpulse.placeName("경기") + "|" + window.jobpulse.placeName("Atlantis")`); p != "강남구, Seoul|Gyeonggi|Atlantis" {
		t.Errorf("placeName: %q", p)
	}
}
