/**
 * The {@code backstream} executable: one picocli subcommand per class, exit codes decided in one
 * place ({@link dev.backstream.cli.Main}), Logback configured here and nowhere else.
 */
package dev.backstream.cli;
