package web

import (
	"container/list"
	"crypto/sha256"
	"encoding/hex"
	"sync"
)

// requestKey is the cache key of a request: the SHA-256 of its path and
// body. Two bodies that differ only in spacing are two keys: a miss costs
// one computation, never a wrong answer.
func requestKey(path string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(path))
	h.Write([]byte{0})
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// result is what an API request made: the JSON document and the files it
// links to (charts, CSV), by name.
type result struct {
	key   string
	doc   map[string]any
	files map[string][]byte
}

func newResult() *result { return &result{doc: map[string]any{}, files: map[string][]byte{}} }

// link adds to the document the URLs of its files: "charts" for the SVG
// charts, "files" for the others, by name.
func (r *result) link() {
	if len(r.files) == 0 {
		return
	}
	charts, files := map[string]string{}, map[string]string{}
	for name := range r.files {
		if len(name) > 4 && name[len(name)-4:] == ".svg" {
			charts[name] = "/chart/" + r.key + "/" + name
		} else {
			files[name] = "/file/" + r.key + "/" + name
		}
	}
	if len(charts) > 0 {
		r.doc["charts"] = charts
	}
	if len(files) > 0 {
		r.doc["files"] = files
	}
}

// cache keeps the last n results (least recently used out first).
type cache struct {
	mu    sync.Mutex
	n     int
	order *list.List // of *result, most recent first
	byKey map[string]*list.Element
}

func newCache(n int) *cache {
	return &cache{n: n, order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *cache) get(key string) (*result, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*result), true
}

func (c *cache) put(key string, r *result) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		e.Value = r
		c.order.MoveToFront(e)
		return
	}
	c.byKey[key] = c.order.PushFront(r)
	for c.order.Len() > c.n {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*result).key)
	}
}
