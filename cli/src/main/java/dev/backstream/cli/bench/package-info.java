/**
 * Measurements of the transport floor, the baseline of {@code backstream bench}.
 */
package dev.backstream.cli.bench;
