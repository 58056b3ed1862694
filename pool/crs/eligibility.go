package crs

import (
	"strings"
	"time"

	"github.com/eesim/eesim/data"
)

// FSW selection grid (67 of 100 points to pass). Source: IRCC "Six
// selection factors – Federal Skilled Worker Program" (canada.ca/.../
// express-entry/eligibility/federal-skilled-workers/six-selection-factors-
// federal-skilled-workers.html) and the operational manual "Federal skilled
// workers selection criteria: Age" (age grid for applications on or after
// 2013-05-04).
const (
	FSWPassMark = 67

	fswSecondLanguage = 4  // CLB 5+ on all four abilities of the other language
	fswJobOffer       = 10 // arranged employment (TEER 0-3, ≥ 1 year)
	fswAdaptCap       = 10
	fswAdaptSpouseLng = 5  // spouse CLB 4+ on all four
	fswAdaptStudy     = 5  // your 2+ years of full-time study in Canada
	fswAdaptWork      = 10 // your 1 year of skilled work in Canada
	fswAdaptSpouseWrk = 5  // spouse's 1 year of work in Canada
	fswAdaptJobOffer  = 5  // arranged employment
	fswAdaptRelative  = 5  // relative (18+, citizen or PR) in Canada
)

// fswFirstLanguage is the FSW points per first-language ability by CLB
// (under CLB 7: not eligible).
var fswFirstLanguage = [11]int{7: 4, 8: 5, 9: 6, 10: 6}

// fswEducation is the FSW education factor, by Education index.
var fswEducation = [numEducation]int{
	eduNone: 0, eduSecondary: 5, eduOneYear: 15, eduTwoYear: 19,
	eduBachelors: 21, eduTwoOrMore: 22, eduMasters: 23, eduPhD: 25,
}

// fswExperience is the FSW work-experience factor by years (6 = 6 or more).
var fswExperience = [7]int{0: 0, 1: 9, 2: 11, 3: 11, 4: 13, 5: 13, 6: 15}

// fswAge is the FSW age factor by age (47 = 47 or more).
var fswAge = [48]int{
	18: 12, 19: 12, 20: 12, 21: 12, 22: 12, 23: 12, 24: 12, 25: 12, 26: 12,
	27: 12, 28: 12, 29: 12, 30: 12, 31: 12, 32: 12, 33: 12, 34: 12, 35: 12,
	36: 11, 37: 10, 38: 9, 39: 8, 40: 7, 41: 6, 42: 5, 43: 4, 44: 3, 45: 2, 46: 1,
}

// FSWPoints returns the points of p on the FSW 100-point selection grid on
// date on, and whether the language minimum (CLB 7 on all four first-
// language abilities, with a result valid on the date) is met; below it
// the points are 0.
//
// Simplifications: work experience is Canadian plus foreign years (the
// grid wants skilled years in the last 10); the study adaptability factor
// counts only a Canadian credential of three years or more (a two-year
// credential may also qualify); the spouse's study in Canada is not in the
// profile; a sibling stands for "relative in Canada".
func FSWPoints(p *Profile, on time.Time) (int, bool) {
	on = dateOf(on)
	e, err := EraOn(on)
	if err != nil {
		e = &eras[len(eras)-1] // the latest era's language expiry
	}
	first, ok := firstLevels(p, on, e)
	if !ok || first.Min() < 7 {
		return 0, false
	}
	pts := 0
	for _, lv := range first {
		pts += fswFirstLanguage[min(lv, 10)]
	}
	if p.SecondLanguage != nil && p.SecondLanguage.validOn(on, e) && p.SecondLanguage.Levels().Min() >= 5 {
		pts += fswSecondLanguage
	}
	if i := p.Education.index(); i >= 0 {
		pts += fswEducation[i]
	}
	pts += fswExperience[min(p.CanadianWorkYears+p.ForeignWorkYears, 6)]
	if age := p.ageOn(on); age >= 0 {
		pts += fswAge[min(age, 47)]
	}
	hasJob := p.JobOffer.index() > jobNone
	if hasJob {
		pts += fswJobOffer
	}
	adapt := 0
	if s := p.Spouse; s != nil && s.Accompanying {
		if s.FirstLanguage != nil && s.FirstLanguage.validOn(on, e) && s.FirstLanguage.Levels().Min() >= 4 {
			adapt += fswAdaptSpouseLng
		}
		if s.CanadianWorkYears >= 1 {
			adapt += fswAdaptSpouseWrk
		}
	}
	if p.CanadianStudy == StudyThreePlus {
		adapt += fswAdaptStudy
	}
	if p.CanadianWorkYears >= 1 {
		adapt += fswAdaptWork
	}
	if hasJob {
		adapt += fswAdaptJobOffer
	}
	if p.SiblingInCanada {
		adapt += fswAdaptRelative
	}
	return pts + min(adapt, fswAdaptCap), true
}

// firstLevels returns the first-language levels valid on date on.
func firstLevels(p *Profile, on time.Time, e *Era) (Levels, bool) {
	if p.FirstLanguage == nil || !p.FirstLanguage.validOn(on, e) {
		return Levels{}, false
	}
	return p.FirstLanguage.Levels(), true
}

// frenchLevels returns the levels of the profile's French result valid on
// date on.
func frenchLevels(p *Profile, on time.Time, e *Era) (Levels, bool) {
	for _, l := range [2]*Language{p.FirstLanguage, p.SecondLanguage} {
		if l != nil && l.Test.French() && l.validOn(on, e) {
			return l.Levels(), true
		}
	}
	return Levels{}, false
}

func programBit(s string) data.Programs {
	switch strings.ToUpper(s) {
	case "CEC":
		return data.CEC
	case "FSW":
		return data.FSW
	case "FST":
		return data.FST
	}
	return 0
}

// Eligibility returns the programs and categories p qualifies for on date
// on. p should be valid (see Profile.Validate).
//
// Programs (Express Entry program rules; see docs/domain.md, "Programs"):
//   - CEC: 1 year or more of Canadian work and CLB 7 on all four first-
//     language abilities. Simplification: CLB 7 is the TEER 0/1 minimum
//     (TEER 2/3 needs only CLB 5), and the work is taken to be skilled,
//     authorised and within the last 3 years.
//   - FSW: 1 year or more of work (Canadian or foreign), CLB 7 on all four,
//     and 67 or more on the FSW selection grid (FSWPoints).
//   - FST: a certificate of qualification or a job offer, CLB 5 speaking
//     and listening and CLB 4 reading and writing, and 2 years or more of
//     work. Simplification: the work is taken to be in an eligible trade.
//   - PNP: a provincial nomination.
//
// A non-empty Profile.Programs replaces the derived CEC/FSW/FST set (PNP
// still follows the nomination). Language results must be valid on the
// date (two-year expiry).
//
// Categories: "french" for NCLC 7 or more on all four French abilities,
// then the profile's own Categories, without duplicates.
func Eligibility(p *Profile, on time.Time) (programs data.Programs, categories []string) {
	on = dateOf(on)
	e, err := EraOn(on)
	if err != nil {
		e = &eras[len(eras)-1]
	}
	if len(p.Programs) > 0 {
		for _, s := range p.Programs {
			programs |= programBit(s)
		}
	} else {
		first, ok := firstLevels(p, on, e)
		work := p.CanadianWorkYears + p.ForeignWorkYears
		if ok && p.CanadianWorkYears >= 1 && first.Min() >= 7 {
			programs |= data.CEC
		}
		if pts, langOK := FSWPoints(p, on); langOK && work >= 1 && pts >= FSWPassMark {
			programs |= data.FSW
		}
		if ok && (p.CertificateOfQualification || p.JobOffer.index() > jobNone) &&
			first[Speaking] >= 5 && first[Listening] >= 5 && first[Reading] >= 4 && first[Writing] >= 4 &&
			work >= 2 {
			programs |= data.FST
		}
	}
	if p.ProvincialNomination {
		programs |= data.PNP
	}
	if fr, ok := frenchLevels(p, on, e); ok && fr.Min() >= 7 {
		categories = append(categories, "french")
	}
	for _, c := range p.Categories {
		dup := false
		for _, have := range categories {
			if have == c {
				dup = true
			}
		}
		if !dup {
			categories = append(categories, c)
		}
	}
	return programs, categories
}
