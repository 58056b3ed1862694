package feedcache

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// DefaultURL is IRCC's rounds feed, the JSON behind canada.ca's "Express
// Entry rounds of invitations" page
// (https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/submit-profile/rounds-invitations.html,
// consulted 2026-12-03).
const DefaultURL = "https://www.canada.ca/content/dam/ircc/documents/json/ee_rounds_123_en.json"

// Download limits. The feed was 0.7 MB for 389 rounds in December 2025
// (data/embed/ee_rounds_123_en.json) and grows by about 0.1 MB a year, so
// 16 MiB leaves decades of room while refusing a runaway answer.
const (
	DefaultTimeout  = 60 * time.Second
	DefaultMaxBytes = 16 << 20
	MaxRedirects    = 5
)

// Request is a download of the feed.
type Request struct {
	URL string
	// Client makes the request; nil means a client with the Timeout.
	// Its redirect policy is replaced by Fetch's.
	Client *http.Client
	// Timeout bounds the whole exchange, body included (0:
	// DefaultTimeout). It applies when Client has no Timeout of its own.
	Timeout time.Duration
	// MaxBytes caps the body (0: DefaultMaxBytes).
	MaxBytes int64
	// ETag and LastModified, when set, make the request conditional.
	ETag, LastModified string
}

// Response is a completed download.
type Response struct {
	// NotModified is a 304 answer to a conditional request: no Body.
	NotModified bool
	Body        []byte
	// ETag and LastModified are the answer's validators, if any.
	ETag, LastModified string
	// FinalURL is where the body came from, after redirects.
	FinalURL string
}

// FetchError is a download that did not deliver a body: the network, an
// HTTP error status, a timeout, a truncated or an oversized body.
type FetchError struct {
	URL string
	Msg string
	Err error
}

func (e *FetchError) Error() string { return fmt.Sprintf("download %s: %s", e.URL, e.Msg) }
func (e *FetchError) Unwrap() error { return e.Err }

// IsURL reports whether s is an http:// or https:// URL, which --rounds
// downloads instead of opening as a file.
func IsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// checkRedirect follows at most MaxRedirects redirects, and none from
// https to plain http.
func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= MaxRedirects {
		return fmt.Errorf("more than %d redirects", MaxRedirects)
	}
	if via[0].URL.Scheme == "https" && req.URL.Scheme != "https" {
		return fmt.Errorf("redirect from https to %s refused", req.URL.Redacted())
	}
	return nil
}

// Fetch downloads the feed. Every failure is a *FetchError; the body is
// not checked to be a feed (see data.ParseFeed).
func Fetch(ctx context.Context, r Request) (*Response, error) {
	fail := func(err error, format string, args ...any) (*Response, error) {
		return nil, &FetchError{URL: r.URL, Msg: fmt.Sprintf(format, args...), Err: err}
	}
	if !IsURL(r.URL) {
		return fail(nil, "not an http:// or https:// URL")
	}
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	max := r.MaxBytes
	if max <= 0 {
		max = DefaultMaxBytes
	}
	var c http.Client
	if r.Client != nil {
		c = *r.Client
	}
	if c.Timeout == 0 {
		c.Timeout = timeout
	}
	c.CheckRedirect = checkRedirect

	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.URL, nil)
	if err != nil {
		return fail(err, "%v", err)
	}
	req.Header.Set("Accept", "application/json")
	conditional := r.ETag != "" || r.LastModified != ""
	if r.ETag != "" {
		req.Header.Set("If-None-Match", r.ETag)
	}
	if r.LastModified != "" {
		req.Header.Set("If-Modified-Since", r.LastModified)
	}
	resp, err := c.Do(req)
	if err != nil {
		if isTimeout(err) {
			return fail(err, "no answer within %v (timeout)", c.Timeout)
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			return fail(err, "%v", ue.Err)
		}
		return fail(err, "%v", err)
	}
	defer resp.Body.Close()
	out := &Response{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified"),
		FinalURL: resp.Request.URL.String()}
	switch {
	case resp.StatusCode == http.StatusNotModified && conditional:
		out.NotModified = true
		return out, nil
	case resp.StatusCode != http.StatusOK:
		return fail(nil, "HTTP %s", resp.Status)
	}
	if resp.ContentLength > max {
		return fail(nil, "the body is %d bytes, more than the limit of %d", resp.ContentLength, max)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	switch {
	case err != nil && isTimeout(err):
		return fail(err, "the body was not complete within %v (timeout) after %d bytes", c.Timeout, len(body))
	case errors.Is(err, io.ErrUnexpectedEOF) && resp.ContentLength >= 0:
		return fail(err, "truncated body: the connection closed after %d of %d bytes", len(body), resp.ContentLength)
	case err != nil:
		return fail(err, "read the body after %d bytes: %v", len(body), err)
	case int64(len(body)) > max:
		return fail(nil, "the body is more than the limit of %d bytes", max)
	}
	out.Body = body
	return out, nil
}

func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}
