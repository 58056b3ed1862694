package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"github.com/eesim/eesim/data"
	"github.com/eesim/eesim/sim"
)

// Limits are the per-request caps and the server's bounds on work. The
// zero value of a field means its DefaultLimits value.
type Limits struct {
	MaxBody       int64         // bytes of a request body (413 beyond)
	MaxRuns       int           // Monte Carlo runs of an odds or projection request
	MaxWhatIfRuns int           // runs per point of a what-if sweep
	MaxHorizon    time.Duration // projection horizon
	MaxPoints     int           // points of a what-if sweep
	Timeout       time.Duration // time a request may work
	MaxRunning    int           // simulations running at once
	MaxQueued     int           // requests waiting for a slot; more get 503 (negative: none wait)
	CacheEntries  int           // results kept
}

// DefaultLimits are the limits of eesim serve. A run of a 12-month
// horizon costs about 0.3 s of CPU (cmd/eesim/odds.go), so 400 runs are
// about a minute on 2 cores: the timeout.
var DefaultLimits = Limits{
	MaxBody:       64 << 10,
	MaxRuns:       400,
	MaxWhatIfRuns: 50,
	MaxHorizon:    time.Duration(24 * 365.25 / 12 * 24 * float64(time.Hour)),
	MaxPoints:     16,
	Timeout:       2 * time.Minute,
	MaxRunning:    runtime.NumCPU(),
	MaxQueued:     16,
	CacheEntries:  64,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxBody > 0 {
		d.MaxBody = l.MaxBody
	}
	if l.MaxRuns > 0 {
		d.MaxRuns = l.MaxRuns
	}
	if l.MaxWhatIfRuns > 0 {
		d.MaxWhatIfRuns = l.MaxWhatIfRuns
	}
	if l.MaxHorizon > 0 {
		d.MaxHorizon = l.MaxHorizon
	}
	if l.MaxPoints > 0 {
		d.MaxPoints = l.MaxPoints
	}
	if l.Timeout > 0 {
		d.Timeout = l.Timeout
	}
	if l.MaxRunning > 0 {
		d.MaxRunning = l.MaxRunning
	}
	if l.MaxQueued != 0 {
		d.MaxQueued = max(l.MaxQueued, 0)
	}
	if l.CacheEntries > 0 {
		d.CacheEntries = l.CacheEntries
	}
	return d
}

// Config configures a Server.
type Config struct {
	Feed    *data.Feed // the rounds; required
	Version string     // eesim's version, shown on the pages and in reports
	Limits  Limits
	// Calibrations is the calibration cache (sim.Calibrate); the zero
	// value is none.
	Calibrations sim.CalibrationCache
	// Log receives warnings and recovered panics; nil for the standard
	// logger.
	Log *log.Logger
	// Now is the clock (the data's age on the overview); nil for
	// time.Now.
	Now func() time.Time
}

// Server is the web view. It is an http.Handler.
type Server struct {
	cfg    Config
	lim    Limits
	mux    *http.ServeMux
	cache  *cache
	slots  *slots
	log    *log.Logger
	now    func() time.Time
	models *modelCache
	ov     overviewState
	// beforeWork, when not nil, runs in a work slot before each
	// simulation: tests use it to hold slots, panic or wait for the
	// timeout.
	beforeWork func(ctx context.Context)
}

// New returns the web view of cfg.
func New(cfg Config) (*Server, error) {
	if cfg.Feed == nil || len(cfg.Feed.Rounds) == 0 {
		return nil, errors.New("web: no rounds")
	}
	s := &Server{cfg: cfg, lim: cfg.Limits.withDefaults(), mux: http.NewServeMux(), log: cfg.Log, now: cfg.Now}
	if s.log == nil {
		s.log = log.Default()
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.cache = newCache(s.lim.CacheEntries)
	s.slots = newSlots(s.lim.MaxRunning, s.lim.MaxQueued)
	s.models = &modelCache{}
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /{$}", s.page("overview"))
	s.mux.HandleFunc("GET /projection", s.page("projection"))
	s.mux.HandleFunc("GET /odds", s.page("odds"))
	s.mux.HandleFunc("GET /whatif", s.page("whatif"))
	s.mux.HandleFunc("GET /pathway", s.page("pathway"))
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(staticFS())))
	s.mux.HandleFunc("GET /chart/{key}/{name}", s.serveArtifact("image/svg+xml"))
	s.mux.HandleFunc("GET /file/{key}/{name}", s.serveArtifact("text/csv; charset=utf-8"))
	s.mux.HandleFunc("GET /api/overview", s.api(s.apiOverview, false))
	s.mux.HandleFunc("POST /api/crs", s.api(s.apiCRS, false))
	s.mux.HandleFunc("POST /api/odds", s.api(s.apiOdds, true))
	s.mux.HandleFunc("POST /api/projection", s.api(s.apiProjection, true))
	s.mux.HandleFunc("POST /api/whatif", s.api(s.apiWhatIf, true))
	s.mux.HandleFunc("POST /api/residency", s.api(s.apiResidency, false))
	s.mux.HandleFunc("POST /api/citizenship", s.api(s.apiCitizenship, false))
	s.mux.HandleFunc("POST /api/sponsor", s.api(s.apiSponsor, false))
	s.mux.HandleFunc("POST /api/nseoi", s.api(s.apiNSEOI, false))
}

// contentSecurityPolicy allows the page's own scripts, styles and images
// and nothing inline: no 'unsafe-inline', no other origin.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// ServeHTTP implements http.Handler: the security headers, the body cap
// and panic recovery around every route.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if r.ContentLength > s.lim.MaxBody {
		writeError(w, &apiError{Status: http.StatusRequestEntityTooLarge,
			Msg: fmt.Sprintf("request body of %d bytes: the limit is %d", r.ContentLength, s.lim.MaxBody)})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, s.lim.MaxBody)
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Printf("eesim serve: panic in %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
			writeError(w, &apiError{Status: http.StatusInternalServerError, Msg: "internal error: the request failed; the server carries on"})
		}
	}()
	s.mux.ServeHTTP(w, r)
}

// apiError is an error with its HTTP status; Msg is shown to the user.
type apiError struct {
	Status     int
	Msg        string
	RetryAfter int // seconds; 0 for none
}

func (e *apiError) Error() string { return e.Msg }

// badRequest is a 400 with the message of fmt.Sprintf.
func badRequest(format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Msg: fmt.Sprintf(format, args...)}
}

// errorBody is the JSON body of every error response.
type errorBody struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
}

func writeError(w http.ResponseWriter, e *apiError) {
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(e.RetryAfter))
	}
	writeJSON(w, e.Status, errorBody{Error: e.Msg, Status: e.Status})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// handlerFunc is an API handler: it decodes the body and returns the
// result document, with the files it made.
type handlerFunc func(ctx context.Context, body []byte) (*result, error)

// api wraps an API handler: reads the body (413 beyond the cap), answers
// from the cache, else runs the handler (in a work slot when work is
// true, under the timeout) and caches a success.
func (s *Server) api(h handlerFunc, work bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			var mb *http.MaxBytesError
			if errors.As(err, &mb) {
				writeError(w, &apiError{Status: http.StatusRequestEntityTooLarge,
					Msg: fmt.Sprintf("request body over the limit of %d bytes", mb.Limit)})
				return
			}
			writeError(w, badRequest("read request body: %v", err))
			return
		}
		key := requestKey(r.URL.Path, body)
		if res, ok := s.cache.get(key); ok {
			w.Header().Set("X-Eesim-Cache", "hit")
			writeJSON(w, http.StatusOK, res.doc)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), s.lim.Timeout)
		defer cancel()
		var res *result
		if work {
			res, err = s.withSlot(ctx, func(ctx context.Context) (*result, error) { return h(ctx, body) })
		} else {
			res, err = h(ctx, body)
		}
		if err != nil {
			writeError(w, s.classify(ctx, r.Context(), err))
			return
		}
		res.key = key
		res.link()
		s.cache.put(key, res)
		w.Header().Set("X-Eesim-Cache", "miss")
		writeJSON(w, http.StatusOK, res.doc)
	}
}

// classify maps err to the response: its own status for an *apiError,
// 504 when the timeout stopped the work, 503 when the client went away
// (no one reads it), else 500.
func (s *Server) classify(ctx, reqCtx context.Context, err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	if reqCtx.Err() == nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded)) {
		return &apiError{Status: http.StatusGatewayTimeout,
			Msg: fmt.Sprintf("the work took longer than the limit of %s and was stopped; ask for fewer runs or a shorter horizon", s.lim.Timeout)}
	}
	if reqCtx.Err() != nil {
		return &apiError{Status: http.StatusServiceUnavailable, Msg: "request cancelled"}
	}
	s.log.Printf("eesim serve: %v", err)
	return &apiError{Status: http.StatusInternalServerError, Msg: err.Error()}
}

// withSlot runs f in a work slot: at once when one is free, after a wait
// when fewer than MaxQueued wait, else a 503 with Retry-After.
func (s *Server) withSlot(ctx context.Context, f func(context.Context) (*result, error)) (*result, error) {
	release, err := s.slots.acquire(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	if s.beforeWork != nil {
		s.beforeWork(ctx)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return f(ctx)
}

// serveArtifact serves a chart or file of a cached result.
func (s *Server) serveArtifact(contentType string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key, name := r.PathValue("key"), r.PathValue("name")
		res, ok := s.cache.get(key)
		if key == "overview" {
			res, _ = s.overview()
			ok = res != nil
		}
		var b []byte
		if ok {
			b, ok = res.files[name]
		}
		if !ok {
			writeError(w, &apiError{Status: http.StatusNotFound, Msg: "no such chart or file (results are kept for the last requests only: ask again)"})
			return
		}
		if strings.HasSuffix(name, ".svg") {
			// An SVG shown by <img> is its own document: its text is
			// styled by attributes, which its own policy allows.
			w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		} else {
			w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
		}
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Cache-Control", "private, max-age=3600")
		_, _ = w.Write(b)
	}
}
