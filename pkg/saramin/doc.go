// Package saramin talks to the Saramin (사람인) Open API job-search endpoint:
// it holds the wire types of the API's answers (decoded tolerantly, since the
// API mixes numbers and strings for similar fields and its shape drifts), the
// clean typed Posting the rest of the pipeline uses, and the HTTP client with
// its typed errors, retries and rate limit.
//
// API reference: https://oapi.saramin.co.kr/guide/job-search
package saramin
