package citizenship

import (
	"fmt"
	"strings"

	"github.com/eesim/eesim/pathway"
)

// Other requirements. Source: IRCC, "Citizenship: Who can apply" and the
// instruction guide CIT 0002 (canada.ca, checked 2026); fees from
// "Citizenship fees" (adult: 530 processing + 100 right of citizenship).
const (
	TaxYearsRequired   = 3  // of the 5 years, if required to file under the Income Tax Act
	LanguageMinAge     = 18 // language (CLB/NCLC 4 speaking and listening) and
	LanguageMaxAge     = 54 // knowledge test (20 questions, 15 to pass) at ages 18-54 on signing
	LanguageCLB        = 4
	KnowledgeQuestions = 20
	KnowledgePass      = 15
	FeeAdultProcessing = 530
	FeeRightOfCitizen  = 100
	FeeAdult           = FeeAdultProcessing + FeeRightOfCitizen // 630
	FeeMinor           = 100
	PoliceYears        = 4   // police certificates: stays in the 4 years before signing,
	PoliceDays         = 183 // of 183 or more consecutive days, since age 18
	AdultAge           = 18
)

// Checklist holds the other requirements with their thresholds.
type Checklist struct {
	// TaxYears are the completed tax years that overlap the eligibility
	// period; TaxFiled those of them declared filed (nil if unknown).
	TaxYears []int `json:"tax_years"`
	TaxFiled []int `json:"tax_years_filed"`
	TaxKnown bool  `json:"tax_known"`
	TaxMet   bool  `json:"tax_met"`
	// Age on the signing date, if the birth date is known.
	Age            *int          `json:"age"`
	LanguageNeeded *bool         `json:"language_and_knowledge_needed"`
	FeeCAD         int           `json:"fee_cad"` // 0 if the age is unknown
	Police         []PoliceCheck `json:"police_certificates"`
}

func (c *Calc) checklist(p Presence) Checklist {
	ck := Checklist{TaxYears: []int{}, Police: PoliceChecks(c.in, c.sign)}
	for y := p.Start.Year(); y < c.sign.Year(); y++ {
		ck.TaxYears = append(ck.TaxYears, y)
	}
	if c.in.TaxYearsFiled != nil {
		ck.TaxKnown = true
		filed := map[int]bool{}
		for _, y := range c.in.TaxYearsFiled {
			filed[y] = true
		}
		ck.TaxFiled = []int{}
		for _, y := range ck.TaxYears {
			if filed[y] {
				ck.TaxFiled = append(ck.TaxFiled, y)
			}
		}
		ck.TaxMet = len(ck.TaxFiled) >= TaxYearsRequired
	}
	if c.in.BirthDate != nil {
		age := c.in.BirthDate.AgeOn(c.sign)
		ck.Age = &age
		need := age >= LanguageMinAge && age <= LanguageMaxAge
		ck.LanguageNeeded = &need
		ck.FeeCAD = FeeMinor
		if age >= AdultAge {
			ck.FeeCAD = FeeAdult
		}
	}
	return ck
}

// PoliceCheck is one stay abroad examined under the 183-day rule.
type PoliceCheck struct {
	Absence int `json:"absence"` // 1-based position in Input.Absences
	// Country is the country of the stay ("" if not given); for a trip
	// whose split by country is unknown, its countries joined by ", ".
	Country string `json:"country"`
	// From and To are the stay's first and last days abroad in the country.
	From pathway.Date `json:"from"`
	To   pathway.Date `json:"to"`
	// Days counts the consecutive days of the stay that fall in the 4
	// years before signing and on or after the 18th birthday; Total the
	// whole stay.
	Days   int  `json:"days_counted"`
	Total  int  `json:"days"`
	Needed bool `json:"needed"`
	// Unknown: a trip through several countries without the arrival days,
	// long enough that one stay may have reached 183 days.
	Unknown bool `json:"unknown"`
	// Exempt: the certificate was given with the PR application and the
	// person has not been back since landing.
	Exempt bool   `json:"exempt"`
	Note   string `json:"note"`
}

// PoliceChecks applies the 183-day rule to each stay abroad: a police
// certificate is needed from each country, other than Canada, where the
// person spent 183 or more consecutive days, since age 18, in the 4 years
// before signing (IRCC, CIT 0002 instruction guide, "Police
// certificates"), except from a country whose certificate was given with
// the application for permanent residence, if the person has not returned
// there since landing (same source).
//
// Convention: the days of a stay are its days absent from Canada
// (pathway's convention: departure and return days are in Canada), split
// by country (pathway.Absence.Stays); only the days inside the 4 years
// immediately before signing (the 4-year window ending the day before, as
// for the physical presence period) and on or after the 18th birthday
// count. A 183-day stay that began before the window or before age 18 is
// thus not enough on its own; the check says so in its Note, since IRCC
// may still ask for a certificate. A nil birth date counts every day (as
// if an adult throughout).
func PoliceChecks(in Input, sign pathway.Date) []PoliceCheck {
	end := sign - 1
	win := end.WindowStart(PoliceYears)
	from := win
	if in.BirthDate != nil {
		from = pathway.Max(from, in.BirthDate.AddYears(AdultAge))
	}
	var out []PoliceCheck
	for i, a := range in.Absences {
		stays, known := a.Stays(end)
		if !known {
			f, l, _ := a.AbsentDays(end)
			stays = []pathway.Stay{{Country: strings.Join(a.Countries(), ", "), First: f, Last: l}}
		}
		for _, st := range stays {
			if st.Last < win {
				continue
			}
			pc := PoliceCheck{Absence: i + 1, Country: st.Country, From: st.First, To: st.Last, Total: st.Days()}
			if st.Last >= from {
				pc.Days = int(st.Last-pathway.Max(st.First, from)) + 1
			}
			if pc.Days < PoliceDays && pc.Total < PoliceDays {
				continue
			}
			switch {
			case pc.Days >= PoliceDays && !known:
				pc.Unknown = true
				pc.Note = fmt.Sprintf("a trip through %s of %d days counted: give each country's arrival day (country=%s@YYYY-MM-DD) to tell whether one stay reached %d days", pc.Country, pc.Days, a.Legs[len(a.Legs)-1].Country, PoliceDays)
			case pc.Days >= PoliceDays:
				pc.Needed = true
				exemption(&pc, in, i)
			default:
				var why []string
				if st.First < win {
					why = append(why, "began before the 4-year window")
				}
				if in.BirthDate != nil && st.First < in.BirthDate.AddYears(AdultAge) {
					why = append(why, "began before age 18")
				}
				pc.Note = fmt.Sprintf("stay of %d days %s; %d days count; IRCC may still ask for a certificate", pc.Total, strings.Join(why, " and "), pc.Days)
			}
			out = append(out, pc)
		}
	}
	return out
}

// exemption applies the PR-certificate exemption to a needed check of
// absence i (0-based): the stay ended before landing, the country's
// certificate was given with the PR application, and no trip since landing
// went there (a trip departing on or after the PR date).
func exemption(pc *PoliceCheck, in Input, i int) {
	if pc.To >= in.PRDate || !hasCountry(in.PRPoliceCertificates, pc.Country) {
		return
	}
	for j, a := range in.Absences {
		if j == i || !hasCountry(a.Countries(), pc.Country) {
			continue
		}
		if a.Depart >= in.PRDate {
			pc.Note = fmt.Sprintf("the certificate given with the PR application does not cover it: back in %s since landing (absence %d, %s)", pc.Country, j+1, a.Span())
			return
		}
	}
	pc.Needed, pc.Exempt = false, true
	pc.Note = fmt.Sprintf("given with the PR application, and not in %s since landing on %s", pc.Country, in.PRDate)
}

// hasCountry reports whether list holds c, ignoring case and spaces.
func hasCountry(list []string, c string) bool {
	for _, x := range list {
		if strings.EqualFold(strings.TrimSpace(x), strings.TrimSpace(c)) {
			return true
		}
	}
	return false
}
