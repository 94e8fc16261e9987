/** What the user sees on the terminal while a command works: progress bars and tables. */
package dev.backstream.cli.console;
