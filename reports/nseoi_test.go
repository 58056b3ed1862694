package reports

import (
	"bytes"
	"testing"
	"time"
)

func TestWriteEOIRoundsCSV(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	rows := []EOIRoundRow{
		{Date: pday("2025-04-01"), Size: 2, InPool: 3, Invited: 2, HasCutoff: true, Cutoff: 80,
			TieBreak: time.Date(2025, 3, 1, 10, 0, 0, 0, paris)},
		{Date: pday("2025-05-01"), Size: 2, InPool: 0, Expired: 1, Withdrawn: 1, Short: true},
	}
	var b bytes.Buffer
	if err := WriteEOIRoundsCSV(&b, "NS rules", rows); err != nil {
		t.Fatal(err)
	}
	want := "instant,size,in_pool,expired,withdrawn,invited,cutoff,tiebreak,short,rule_source\n" +
		"2025-04-01T00:00:00,2,3,0,0,2,80,2025-03-01T09:00:00,false,NS rules\n" +
		"2025-05-01T00:00:00,2,0,1,1,0,,,true,NS rules\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestWriteEOIInvitationsCSV(t *testing.T) {
	rows := []EOIInvitationRow{{Round: pday("2025-04-01"), Rank: 1, ID: "a", Points: 80, Submitted: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}}
	var b bytes.Buffer
	if err := WriteEOIInvitationsCSV(&b, "NS rules, s. 1", rows); err != nil {
		t.Fatal(err)
	}
	// A source with a comma is quoted.
	want := "instant,rank,eoi_id,points,submitted,rule_source\n2025-04-01T00:00:00,1,a,80,2025-03-01T09:00:00,\"NS rules, s. 1\"\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
