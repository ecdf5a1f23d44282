package ops

// Signal is a structured log line the jobs write for Cloud Monitoring. A
// log-based metric counts the lines matching Filter, and an alert policy
// on the metric, with notification channels of its own, tells people even
// when the pipeline's own notifications cannot (a dead webhook, a job
// killed before it could send anything).
type Signal struct {
	// Name is the log-based metric's name (jobpulse_<name> in Terraform).
	Name string
	// Field and Value select the lines: jsonPayload.<Field>="<Value>".
	Field, Value string
	// Jobs are the jobs that write it.
	Jobs []string
	// Meaning says what a line means; Policy when to page someone.
	Meaning, Policy string
}

// Filter is the Cloud Logging filter of the signal's lines.
func (s Signal) Filter() string {
	return `jsonPayload.` + s.Field + `="` + s.Value + `"`
}

// Signals are every signal the jobs write. The Terraform of the deployment
// creates one log-based metric per signal and the alert policies named in
// Policy; the end-to-end scenario and the packages' tests check that the
// jobs write them.
var Signals = []Signal{
	{Name: "job_failed", Field: "alert", Value: "job_failed", Jobs: []string{"extractor", "transformer", "loader"},
		Meaning: "a job execution failed and exits 1 (Cloud Run retries the task)",
		Policy:  "any line (the Cloud Run job-execution failure metric is alerted on too)"},
	{Name: "job_succeeded", Field: "heartbeat", Value: "loader", Jobs: []string{"loader"},
		Meaning: "a loader execution ended a load well (every job writes its heartbeat; the loader's --check and --health write loader-check and loader-health, and an execution that ended without loading, a sweep with nothing waiting or one finding another execution loading, loader-idle)",
		Policy:  "absent for 12 hours: no successful loader run (the loader runs only when batches arrive, and a quiet night brings hours without one)"},
	{Name: "check_failed", Field: "alert", Value: "check_failed", Jobs: []string{"loader"},
		Meaning: "a batch failed its data checks and was quarantined, or the whole-warehouse check failed",
		Policy:  "any line"},
	{Name: "quarantine", Field: "alert", Value: "quarantine", Jobs: []string{"extractor", "transformer"},
		Meaning: "records, answers or messages that could not be read were set aside in the lake",
		Policy:  "any line"},
	{Name: "keywords_failed", Field: "alert", Value: "keywords_failed", Jobs: []string{"extractor"},
		Meaning: "Google Trends requests failed after their retries; the next execution asks again",
		Policy:  "more than 2 lines in 24 hours"},
	{Name: "extract_stopped", Field: "alert", Value: "extract_stopped", Jobs: []string{"extractor"},
		Meaning: "the daily API quota is spent; the next run resumes from the watermark",
		Policy:  "any line"},
	{Name: "shape_drift", Field: "alert", Value: "shape_drift", Jobs: []string{"extractor", "transformer"},
		Meaning: "an API answer changed shape but could still be read",
		Policy:  "any line (a warning to update the decoder, not an outage)"},
	{Name: "health_problem", Field: "alert", Value: "health_problem", Jobs: []string{"loader"},
		Meaning: "the health check (loader --health) found a problem; the class attribute says which",
		Policy:  "any line"},
	{Name: "notify_failed", Field: "alert", Value: "notify_failed", Jobs: []string{"extractor", "transformer", "loader"},
		Meaning: "a Slack message or an email could not be sent; the pipeline went on",
		Policy:  "any line: the pipeline's own channel is down"},
}
