package reports

import (
	"html/template"
	"io"
)

// HTMLReport is a self-contained HTML report: charts inline (SVG, or PNG
// as data: URIs), tables, and the settings of the run, with no script and
// no external resource, so that it can be sent by e-mail and read offline.
type HTMLReport struct {
	Title    string
	Subtitle string
	Meta     [][2]string // name, value: the data's date, the version, the settings
	Notes    []string
	Charts   []HTMLChart
	Tables   []HTMLTable
}

// HTMLChart is a chart: an inline <svg> element (from InlineSVG), or a PNG
// data: URI when SVG is empty.
type HTMLChart struct {
	Caption string
	SVG     template.HTML // trusted: rendered by this package
	PNGURI  template.URL  // data:image/png;base64,...
}

// HTMLTable is a table with a header row.
type HTMLTable struct {
	Caption string
	Header  []string
	Rows    [][]string
	Numeric []bool // right-aligned columns
	More    int    // rows left out
}

var htmlReport = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{{.Title}}</title>
<style>
body { font: 15px/1.45 system-ui, "Liberation Sans", Arial, sans-serif; color: #1d2430; max-width: 1100px; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.5rem; margin-bottom: .2rem; }
.sub { color: #5b6573; margin-top: 0; }
table { border-collapse: collapse; margin: .6rem 0 1.4rem; }
th, td { text-align: left; padding: .2rem .6rem; border-bottom: 1px solid #d9dee5; }
th { background: #f4f6f9; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1rem 0; border: 1px solid #d9dee5; }
figure svg, figure img { width: 100%; height: auto; display: block; }
figcaption { padding: .3rem .6rem; color: #5b6573; font-size: .9rem; }
.meta td:first-child { color: #5b6573; }
footer { color: #5b6573; font-size: .85rem; margin-top: 2rem; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{with .Subtitle}}<p class="sub">{{.}}</p>{{end}}
<table class="meta"><tbody>
{{range .Meta}}<tr><td>{{index . 0}}</td><td>{{index . 1}}</td></tr>
{{end}}</tbody></table>
{{range .Notes}}<p>{{.}}</p>
{{end}}
{{range .Charts}}<figure>{{if .SVG}}{{.SVG}}{{else}}<img src="{{.PNGURI}}" alt="{{.Caption}}">{{end}}<figcaption>{{.Caption}}</figcaption></figure>
{{end}}
{{range .Tables}}{{$num := .Numeric}}<h2>{{.Caption}}</h2>
<table><thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead><tbody>
{{range .Rows}}<tr>{{range $i, $c := .}}<td{{if and (lt $i (len $num)) (index $num $i)}} class="num"{{end}}>{{$c}}</td>{{end}}</tr>
{{end}}</tbody></table>
{{if .More}}<p>{{.More}} more rows in the CSV file.</p>{{end}}
{{end}}
<footer>Made by eesim: a model of Express Entry, not advice. No script; charts are inline.</footer>
</body>
</html>
`))

// WriteHTML writes r as one HTML document; every text is escaped by
// html/template.
func WriteHTML(w io.Writer, r *HTMLReport) error { return htmlReport.Execute(w, r) }
