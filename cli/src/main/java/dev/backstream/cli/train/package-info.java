/** The {@code train} command: local and distributed training with one table and one summary. */
package dev.backstream.cli.train;
