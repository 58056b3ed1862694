package web

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"time"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed assets
var assetFS embed.FS

// staticFS is the embedded assets (stylesheet, script): no CDN, the pages
// work offline.
func staticFS() fs.FS {
	sub, err := fs.Sub(assetFS, "assets")
	if err != nil {
		panic(err) // the embedded tree has the folder: programmer error
	}
	return sub
}

var pages = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// pageData is what every page template gets.
type pageData struct {
	Page     string
	Title    string
	Version  string
	Source   string
	Overview map[string]any
	Charts   map[string]string
	Families []string
	Limits   Limits
	Today    string
}

var pageTitles = map[string]string{
	"overview":   "Overview",
	"projection": "Projection",
	"odds":       "My odds",
	"whatif":     "What-if",
	"pathway":    "Pathway",
}

// page renders a page; every value goes through html/template's escaping.
func (s *Server) page(name string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		d := pageData{Page: name, Title: pageTitles[name], Version: s.cfg.Version, Source: s.cfg.Feed.Source,
			Limits: s.lim, Today: s.now().UTC().Format(time.DateOnly)}
		if name == "overview" {
			res, err := s.overview()
			if err != nil {
				writeError(w, &apiError{Status: http.StatusInternalServerError, Msg: err.Error()})
				return
			}
			d.Overview = res.doc
			d.Charts, _ = res.doc["charts"].(map[string]string)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := pages.ExecuteTemplate(w, name+".html", d); err != nil {
			s.log.Printf("eesim serve: page %s: %v", name, err)
		}
	}
}
