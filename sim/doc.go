// Package sim is eesim's Monte Carlo engine: it replays and projects rounds
// of invitations on synthetic pools.
package sim
