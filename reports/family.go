package reports

import (
	"image/color"
	"strings"

	"github.com/eesim/eesim/data"
)

// The display families group rounds for charts and summaries. They are
// coarser than data.Round.Family, which keeps every program list and
// category key apart for the models.
const (
	FamGeneral    = "general"          // general rounds ("No Program Specified", "General")
	FamCEC        = "CEC"              // Canadian Experience Class rounds
	FamFSWFST     = "FSW/FST"          // FSW-only or FST-only rounds (or another federal program mix)
	FamPNP        = "PNP"              // Provincial Nominee Program rounds
	FamFrench     = "French"           // French-language proficiency, every version
	FamHealthcare = "healthcare"       // healthcare (v1) and healthcare & social services (v2+)
	FamTrades     = "trades"           // trade occupations, every version
	FamSTEM       = "STEM"             // STEM occupations
	FamEducation  = "education"        // education occupations (from 2025)
	FamOther      = "other categories" // transport, agriculture, and any category key not above
)

// Families lists the display families in chart order: general and program
// rounds first, then the categories. Stacked charts stack in this order.
var Families = []string{
	FamGeneral, FamCEC, FamFSWFST, FamPNP,
	FamFrench, FamHealthcare, FamTrades, FamSTEM, FamEducation, FamOther,
}

// DisplayFamily returns the display family of a round:
//
//   - general rounds: "general";
//   - program rounds: "CEC" or "PNP" when they name that program alone,
//     "FSW/FST" when they name only federal programs otherwise (FSW-only,
//     FST-only, or a mix of federal programs), and "general" when they mix
//     PNP with other programs (no such round has been published);
//   - category rounds, by category key (every version together): "French",
//     "healthcare", "trades", "STEM", "education"; "other categories" for
//     transport, agriculture and any key not listed, so that a category IRCC
//     adds next year still has a place in the charts. When the key is empty
//     the round name is matched instead.
func DisplayFamily(r data.Round) string {
	switch r.Type {
	case data.General:
		return FamGeneral
	case data.Program:
		switch {
		case r.Programs == data.CEC:
			return FamCEC
		case r.Programs == data.PNP:
			return FamPNP
		case r.Programs&data.PNP == 0:
			return FamFSWFST
		}
		return FamGeneral
	}
	key := strings.ToLower(r.Category)
	if key == "" {
		key = strings.ToLower(r.Name)
	}
	switch {
	case strings.HasPrefix(key, "french"):
		return FamFrench
	case strings.HasPrefix(key, "health"):
		return FamHealthcare
	case strings.HasPrefix(key, "trade"):
		return FamTrades
	case strings.HasPrefix(key, "stem"):
		return FamSTEM
	case strings.HasPrefix(key, "education"):
		return FamEducation
	}
	return FamOther
}

// familyColors is a qualitative palette (Tableau 10), one colour per
// display family, so that every chart colours a family the same way.
var familyColors = map[string]color.RGBA{
	FamGeneral:    {0x1f, 0x77, 0xb4, 0xff}, // blue
	FamCEC:        {0xff, 0x7f, 0x0e, 0xff}, // orange
	FamFSWFST:     {0x7f, 0x7f, 0x7f, 0xff}, // grey
	FamPNP:        {0x8c, 0x56, 0x4b, 0xff}, // brown
	FamFrench:     {0xd6, 0x27, 0x28, 0xff}, // red
	FamHealthcare: {0x2c, 0xa0, 0x2c, 0xff}, // green
	FamTrades:     {0x94, 0x67, 0xbd, 0xff}, // purple
	FamSTEM:       {0x17, 0xbe, 0xcf, 0xff}, // cyan
	FamEducation:  {0xe3, 0x77, 0xc2, 0xff}, // pink
	FamOther:      {0xbc, 0xbd, 0x22, 0xff}, // olive
}

// modelFamilies maps data.Round.Family keys to display families, so that
// FamilyColor accepts either.
var modelFamilies = map[string]string{
	"general": FamGeneral, "cec": FamCEC, "fsw": FamFSWFST, "fst": FamFSWFST, "pnp": FamPNP,
}

// FamilyColor returns the colour of a family. It accepts a display family
// ("CEC", "other categories") or a data.Round.Family key ("cec", "french",
// "transport", "program:fsw+fst"); anything else is black.
func FamilyColor(family string) color.Color {
	if c, ok := familyColors[family]; ok {
		return c
	}
	if f, ok := modelFamilies[family]; ok {
		return familyColors[f]
	}
	if strings.HasPrefix(family, "program:") {
		if strings.Contains(family, "pnp") {
			return familyColors[FamGeneral]
		}
		return familyColors[FamFSWFST]
	}
	if family != "" {
		return familyColors[DisplayFamily(data.Round{Type: data.Category, Category: family})]
	}
	return color.Black
}

// withAlpha returns the opaque colour c with opacity a in [0, 1].
func withAlpha(c color.Color, a float64) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA64{R: uint16(r), G: uint16(g), B: uint16(b), A: uint16(a * 0xffff)}
}
