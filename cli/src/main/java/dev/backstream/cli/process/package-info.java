/** backstream subcommands run in JVMs of their own: benchmark peers and test clusters. */
package dev.backstream.cli.process;
