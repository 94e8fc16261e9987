/** {@code backstream bench}: speed measured and reported, never asserted by tests. */
package dev.backstream.cli.bench;
