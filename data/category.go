package data

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Category keys of the category-based selection rounds, by the year IRCC
// established them (docs/domain.md, "Category-based selection": IRCC news
// release 2023-05-31; 2025 categories 2025-02-27; 2026 categories
// 2026-02-18).
const (
	CatFrench         = "french"          // French-language proficiency (2023-)
	CatHealthcare     = "healthcare"      // Healthcare (2023), Healthcare and social services (2025-)
	CatSTEM           = "stem"            // STEM occupations (2023-)
	CatTrades         = "trades"          // Trade occupations (2023-)
	CatTransport      = "transport"       // Transport occupations (2023-24, back in 2026)
	CatAgriculture    = "agriculture"     // Agriculture and agri-food occupations (2023-)
	CatEducation      = "education"       // Education occupations (2025-)
	CatPhysicians     = "physicians"      // Physicians with Canadian work experience (2026-)
	CatResearchers    = "researchers"     // Researchers with Canadian work experience (2026-)
	CatSeniorManagers = "senior_managers" // Senior managers with Canadian work experience (2026-)
	CatMilitary       = "military"        // Skilled military recruits (2026-)
)

// CategoryKeys are the keys of the categories IRCC has established, in the
// order of the constants above.
var CategoryKeys = []string{CatFrench, CatHealthcare, CatSTEM, CatTrades, CatTransport, CatAgriculture,
	CatEducation, CatPhysicians, CatResearchers, CatSeniorManagers, CatMilitary}

// KnownCategories returns CategoryKeys followed by the category keys of
// rounds not among them (a category newer than eesim), in round order.
func KnownCategories(rounds []Round) []string {
	out := slices.Clone(CategoryKeys)
	for i := range rounds {
		if k := rounds[i].Category; rounds[i].Type == Category && k != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// CheckCategory returns an error if key is not among known, listing them.
func CheckCategory(key string, known []string) error {
	if slices.Contains(known, key) {
		return nil
	}
	return fmt.Errorf("unknown category %q: want one of %s", key, strings.Join(known, ", "))
}

// categoryWords maps a word of a category name (lower case, after the
// version is removed) to its key. The first match in this order wins, so
// that "Healthcare and social services occupations" is healthcare.
var categoryWords = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`\bfrench\b`), CatFrench},
	{regexp.MustCompile(`\bhealth ?care\b`), CatHealthcare},
	{regexp.MustCompile(`\bstem\b`), CatSTEM},
	{regexp.MustCompile(`\bphysicians?\b`), CatPhysicians},
	{regexp.MustCompile(`\bresearchers?\b`), CatResearchers},
	{regexp.MustCompile(`\bsenior managers?\b`), CatSeniorManagers},
	{regexp.MustCompile(`\bmilitary\b`), CatMilitary},
	{regexp.MustCompile(`\btrades?\b`), CatTrades},
	{regexp.MustCompile(`\btransport(ation)?\b`), CatTransport},
	{regexp.MustCompile(`\bagri(culture|-food|food)?\b`), CatAgriculture},
	{regexp.MustCompile(`\beducation\b`), CatEducation},
}

// versionRE matches the version part of a category name:
// "(Version 1)", "2026-Version 2", "(2026-Version 3)", "Version 2".
var versionRE = regexp.MustCompile(`(?i)[\s(]*(?:(\d{4})\s*[-–]?\s*)?version\s*(\d+)\s*\)?\s*$`)

var nonAlnum = regexp.MustCompile(`[^a-z0-9]+`)

// CategoryKey splits a category round's drawName into the category key and
// the occupation-list version: "French language proficiency (Version 1)" is
// ("french", "1"); "French-Language proficiency 2026-Version 2" is
// ("french", "2026-2"). known is false for a name that matches no category
// IRCC has established; the key is then a slug of the name without its
// version ("Arts occupations (Version 1)" is "arts_occupations"), so that new
// categories keep working.
func CategoryKey(name string) (key, version string, known bool) {
	base := strings.TrimSpace(name)
	if m := versionRE.FindStringSubmatchIndex(base); m != nil {
		if m[2] >= 0 {
			version = base[m[2]:m[3]] + "-"
		}
		version += base[m[4]:m[5]]
		base = strings.TrimSpace(base[:m[0]])
	}
	lower := strings.ToLower(base)
	for _, w := range categoryWords {
		if w.re.MatchString(lower) {
			return w.key, version, true
		}
	}
	key = strings.Trim(nonAlnum.ReplaceAllString(lower, "_"), "_")
	if key == "" {
		key = "unnamed"
	}
	return key, version, false
}

// Round names that are not categories.
var (
	generalNames  = []string{"no program specified", "general"}
	programNames2 = []struct {
		name string
		p    Programs
	}{
		{"canadian experience class", CEC},
		{"provincial nominee program", PNP},
		{"federal skilled trades", FST},
		{"federal skilled trades program", FST},
		{"federal skilled worker", FSW},
		{"federal skilled worker program", FSW},
	}
)

// classifyName returns the type of a round from its drawName, and for
// program rounds the program.
func classifyName(name string) (RoundType, Programs) {
	n := strings.ToLower(strings.Join(strings.Fields(name), " "))
	for _, g := range generalNames {
		if n == g {
			return General, AllPrograms
		}
	}
	for _, p := range programNames2 {
		if n == p.name {
			return Program, p.p
		}
	}
	return Category, 0
}

// programsInText finds the programs named in drawText2, e.g. "Federal
// Skilled Worker Program, Canadian Experience Class and Federal Skilled
// Trades Program".
func programsInText(s string) Programs {
	l := strings.ToLower(s)
	var p Programs
	if strings.Contains(l, "canadian experience") {
		p |= CEC
	}
	if strings.Contains(l, "skilled worker") {
		p |= FSW
	}
	if strings.Contains(l, "skilled trade") {
		p |= FST
	}
	if strings.Contains(l, "provincial nominee") {
		p |= PNP
	}
	return p
}
