package web

import (
	"flag"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

var loadTest = flag.Bool("load", false, "run TestLoad: 200 odds requests from 8 clients on loopback")

// loadMemoryBound is the bound on the server's heap in use during the load
// test: the feed, the calibration, 64 cached results and 8 small odds runs
// at once. Measured 157 MB with the test client in the same process (docs/api.md); the bound leaves room.
const loadMemoryBound = 512 << 20

// TestLoad sends 200 odds requests (2 runs over a month each, every one
// a different score, so none is answered from the cache) from 8
// concurrent clients to the server on loopback, with the default limits.
// None may fail and the heap in use, sampled every 10 ms, must stay under
// loadMemoryBound. It logs the p50 and p95 latency and the peak heap.
// Behind -load: go test ./web -run TestLoad -load -v
func TestLoad(t *testing.T) {
	if !*loadTest {
		t.Skip("load test: run with -load")
	}
	const requests, clients = 200, 8
	_, ts, _ := testServer(t, Limits{})
	// Warm the overview and the calibration before measuring.
	if resp, doc := post(t, ts, "/api/odds", `{"score":300,"programs":"CEC","runs":1,"horizon":"1mo"}`); resp.StatusCode != 200 {
		t.Fatalf("warm-up: %d %v", resp.StatusCode, doc)
	}

	var peak uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	}()

	jobs := make(chan int)
	lat := make([]time.Duration, requests)
	var mu sync.Mutex
	var failures []string
	var wg sync.WaitGroup
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				body := fmt.Sprintf(`{"score":%d,"programs":"CEC","runs":2,"horizon":"1mo","seed":%d}`, 400+i%200, 1+i/200)
				t0 := time.Now()
				resp, err := client.Post(ts.URL+"/api/odds", "application/json", strings.NewReader(body))
				if err == nil {
					resp.Body.Close()
				}
				lat[i] = time.Since(t0)
				if err != nil || resp.StatusCode != 200 {
					mu.Lock()
					failures = append(failures, fmt.Sprintf("request %d: %v %v", i, err, resp))
					mu.Unlock()
				}
			}
		}()
	}
	for i := range requests {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	total := time.Since(start)
	close(stop)
	<-sampled
	for _, f := range failures {
		t.Error(f)
	}
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[int(p*float64(requests-1))] }
	t.Logf("%d odds requests from %d clients in %v: p50 %v, p95 %v, max %v; peak heap in use %.0f MB (bound %d MB)",
		requests, clients, total.Round(time.Millisecond), q(0.5).Round(time.Millisecond), q(0.95).Round(time.Millisecond),
		lat[requests-1].Round(time.Millisecond), float64(peak)/(1<<20), loadMemoryBound>>20)
	if peak > loadMemoryBound {
		t.Errorf("peak heap in use %d MB, over the bound of %d MB", peak>>20, loadMemoryBound>>20)
	}
}
