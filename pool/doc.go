// Package pool holds a pool of Express Entry candidates in columnar form, and
// builds synthetic pools from the CRS distributions IRCC publishes.
package pool
