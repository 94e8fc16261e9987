/**
 * {@code backstream report}: charts and a self-contained HTML page of a run's metrics, read from
 * its metrics topic or from the file {@code train --metrics-out} writes.
 */
package dev.backstream.cli.report;
