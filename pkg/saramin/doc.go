// Package saramin talks to the Saramin (사람인) Open API job-search endpoint:
// it holds the wire types of the API's answers (read tolerantly, since the
// API mixes numbers and strings for similar fields and its shape drifts), the
// clean typed Posting the rest of the pipeline uses and its NDJSON form, and
// the HTTP client with the API's own error codes, its retries and rate
// limit (the HTTP layer itself is package apicall).
//
// Pages and postings are read in one pass by a token reader of its own
// (reader.go), which fills the wire types and collects unknown fields as it
// goes. It was chosen by BenchmarkDecoders, which walks every token of the
// real sample page ×50 (9.5 MB) and makes each string a Go string: on the
// 2-core machine, medians of 3, this reader 457 MB/s, go-json-experiment's
// jsontext 286 MB/s, Go 1.26's encoding/json/jsontext (GOEXPERIMENT=jsonv2
// only) 307 MB/s, encoding/json's Decoder.Token 40 MB/s. The reader also
// keeps encoding/json's rules the parser was built on (names matched
// case-insensitively, the last of duplicate names winning, invalid UTF-8
// read as U+FFFD), which jsontext would have had to be taught.
//
// API reference: https://oapi.saramin.co.kr/guide/job-search
package saramin
