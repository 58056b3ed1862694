package web

import (
	"context"
	"strconv"

	"github.com/eesim/eesim/pathway"
	"github.com/eesim/eesim/pathway/citizenship"
	"github.com/eesim/eesim/pathway/nseoi"
	"github.com/eesim/eesim/pathway/residency"
	"github.com/eesim/eesim/pathway/sponsor"
)

// The pathway endpoints take the JSON input files of eesim residency,
// citizenship, ns-eoi --profile and the lottery of eesim sponsor, in the
// body, and return the assessment. The source named in error messages is
// "request" where the command names its --in file.

// dateOr returns *d, or today (UTC) when d is nil (the commands' default).
func (s *Server) dateOr(d *pathway.Date) pathway.Date {
	if d != nil {
		return *d
	}
	return pathway.FromTime(s.now().UTC())
}

// residencyRequest is eesim residency's --in file.
type residencyRequest struct {
	Landing  *pathway.Date     `json:"landing"`
	Absences []pathway.Absence `json:"absences"`
	AsOf     *pathway.Date     `json:"as_of,omitempty"`
}

func windowDoc(w residency.Window) map[string]any {
	return map[string]any{"start": w.Start, "end": w.End, "days": w.Days(), "credited": w.Credited, "excepted": w.Excepted, "full": w.Full}
}

func (s *Server) apiResidency(ctx context.Context, body []byte) (*result, error) {
	var req residencyRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	if req.Landing == nil {
		return nil, badRequest("request: landing: missing")
	}
	c, err := residency.New(residency.Input{Landing: *req.Landing, Absences: req.Absences}, s.dateOr(req.AsOf))
	if err != nil {
		return nil, badRequest("request: %v", err)
	}
	a := c.Assess()
	res := newResult()
	res.doc["required_days"] = residency.RequiredDays
	res.doc["landing"] = c.Landing()
	res.doc["as_of"] = a.AsOf
	res.doc["window"] = windowDoc(a.Window)
	res.doc["deadline"] = a.Deadline
	res.doc["remaining"] = a.Remaining
	res.doc["complies"] = a.Complies
	res.doc["shortfall"] = a.Shortfall
	if a.Worst != nil {
		res.doc["worst"] = windowDoc(*a.Worst)
	}
	res.doc["first_breach"] = a.FirstBreach
	res.doc["comply_through"] = a.ComplyThrough
	return res, nil
}

// citizenshipRequest is eesim citizenship's --in file.
type citizenshipRequest struct {
	citizenship.Input
	Sign *pathway.Date `json:"sign,omitempty"`
}

func (s *Server) apiCitizenship(ctx context.Context, body []byte) (*result, error) {
	var req citizenshipRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	if req.PRDate == 0 {
		return nil, badRequest("request: pr_date: missing")
	}
	c, err := citizenship.New(req.Input, s.dateOr(req.Sign))
	if err != nil {
		return nil, badRequest("request: %v", err)
	}
	r := c.Assess()
	p := r.Presence
	res := newResult()
	res.doc["required_days"] = citizenship.RequiredDays
	res.doc["sign"] = r.Sign
	res.doc["period"] = map[string]any{"start": p.Start, "end": p.End}
	res.doc["pr_days"] = p.PRDays
	res.doc["pre_pr_days"] = p.PrePRDays
	res.doc["absent_days"] = p.AbsentDays
	res.doc["sentence_days"] = p.SentenceDays
	res.doc["credited_days"] = p.Credit()
	res.doc["eligible"] = r.Eligible
	res.doc["earliest_eligible"] = r.EarliestEligible
	ck := r.Checklist
	res.doc["checklist"] = map[string]any{"tax_years": ck.TaxYears, "tax_filed": ck.TaxFiled, "tax_known": ck.TaxKnown,
		"tax_met": ck.TaxMet, "age": ck.Age, "language_needed": ck.LanguageNeeded, "fee_cad": ck.FeeCAD, "police": ck.Police}
	w := r.Warnings
	if w == nil {
		w = []string{}
	}
	res.doc["warnings"] = w
	return res, nil
}

// sponsorRequest is the lottery and income test of eesim sponsor.
type sponsorRequest struct {
	Class     string         `json:"class,omitempty"`  // for the income test: parent, grandparent, ...
	Size      int            `json:"size,omitempty"`   // family size
	Income    map[string]int `json:"income,omitempty"` // tax year -> income (CAD)
	TaxYear   int            `json:"tax_year,omitempty"`
	Interests int            `json:"interests,omitempty"` // PGP interests submitted
	Quota     int            `json:"quota,omitempty"`     // invitations a year
	Years     int            `json:"years,omitempty"`     // years of lotteries (default 5)
	Model     string         `json:"model,omitempty"`     // fixed (default) or replenished
}

func (s *Server) apiSponsor(ctx context.Context, body []byte) (*result, error) {
	var req sponsorRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	if req.Class == "" && req.Interests == 0 {
		return nil, badRequest("sponsor: give a class with an income, or the lottery's interests and quota")
	}
	res := newResult()
	if req.Class != "" {
		cl, err := sponsor.ParseClass(req.Class)
		if err != nil {
			return nil, badRequest("%v", err)
		}
		res.doc["class"] = cl
		if sponsor.HasIncomeTest(cl, false) {
			if req.Size < 1 {
				return nil, badRequest("sponsor: --size %d: the family size is needed for the income test", req.Size)
			}
			inc := map[int]int{}
			for y, v := range req.Income {
				yi, err := strconv.Atoi(y)
				if err != nil {
					return nil, badRequest("--income %s=%d: want YEAR=AMOUNT", y, v)
				}
				inc[yi] = v
			}
			last := req.TaxYear
			if last == 0 {
				for y := range inc {
					last = max(last, y)
				}
			}
			t, err := sponsor.Income(cl, req.Size, inc, last, false)
			if err != nil {
				return nil, badRequest("%v", err)
			}
			res.doc["income_test"] = t
		}
	}
	if req.Interests != 0 || req.Quota != 0 {
		m, err := sponsor.ParseModel(orDefault(req.Model, "fixed"))
		if err != nil {
			return nil, badRequest("%v", err)
		}
		l := sponsor.Lottery{Interests: req.Interests, Quota: req.Quota, Model: m}
		if err := l.Validate(); err != nil {
			return nil, badRequest("%v", err)
		}
		years := req.Years
		if years == 0 {
			years = 5
		}
		if years < 1 || years > 50 {
			return nil, badRequest("--years %d: want 1 to 50", years)
		}
		res.doc["lottery"] = map[string]any{"interests": l.Interests, "quota": l.Quota, "model": l.Model.String(),
			"per_year": l.PerYear(), "within_years": l.Cumulative(years), "conditional": l.Conditional(years)}
	}
	return res, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// nseoiRequest is eesim ns-eoi --profile with --date.
type nseoiRequest struct {
	Profile *nseoi.Profile `json:"profile"`
	Date    *pathway.Date  `json:"date,omitempty"`
}

func (s *Server) apiNSEOI(ctx context.Context, body []byte) (*result, error) {
	var req nseoiRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	if req.Profile == nil {
		return nil, badRequest("ns-eoi: --profile is required")
	}
	if err := req.Profile.Validate(); err != nil {
		return nil, badRequest("request: %v", err)
	}
	sc := nseoi.Points(*req.Profile, s.dateOr(req.Date))
	var fs []map[string]any
	for _, f := range sc.Factors {
		fs = append(fs, map[string]any{"name": f.Name, "points": f.Points, "min": f.Min, "max": f.Max,
			"minimum_met": f.MinimumMet, "explanation": f.Explanation})
	}
	reasons := sc.Reasons
	if reasons == nil {
		reasons = []string{}
	}
	res := newResult()
	res.doc["date"] = s.dateOr(req.Date)
	res.doc["factors"] = fs
	res.doc["total"] = sc.Total
	res.doc["max"] = nseoi.MaxPoints
	res.doc["eligible"] = sc.Eligible
	res.doc["reasons"] = reasons
	return res, nil
}
