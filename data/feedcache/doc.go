// Package feedcache keeps an updated copy of IRCC's rounds feed in the
// user's cache folder, and chooses the feed a command reads.
//
// # Updating (Cache.Update)
//
//  1. Fetch downloads the feed over HTTP(S), with a size cap
//     (DefaultMaxBytes) and a timeout (DefaultTimeout), following at most
//     MaxRedirects redirects and never from https to http. When the cache
//     holds a copy from the same URL, the request is conditional
//     (If-None-Match with its ETag, If-Modified-Since with its
//     Last-Modified): an unchanged feed costs one small request and a 304.
//  2. The body is parsed with data.ParseFeed, the reader of --rounds FILE:
//     a body that is not a rounds feed is a *data.FeedError and is not
//     stored.
//  3. The body is written under a name made of its sha256
//     (ee_rounds_123_en.<sha>.json), then meta.json, which names it and
//     records the source URL, ETag, Last-Modified, fetch time, sha256 and
//     last round. meta.json is renamed into place last, so a reader sees
//     the previous copy or the new one, never a mix; any failure before it
//     leaves the previous copy in use.
//  4. The rounds of the new copy whose draw number the previous copy (or,
//     on a first update, the embedded feed) lacks are reported as new.
//
// # Choosing a feed (Open)
//
// With no --rounds, a command reads the newest of the feed embedded in the
// binary and the updated copy: the updated copy when its last round ran
// after the embedded feed's last round, else the embedded feed. --rounds
// names a file, or an http:// or https:// URL, which is downloaded for
// the run with the same limits and not stored.
//
// The command line keeps the folder at $EESIM_CACHE_DIR/feed, by default
// eesim/feed under os.UserCacheDir ($XDG_CACHE_HOME or ~/.cache on
// Linux). See the README's "eesim update" section.
package feedcache
