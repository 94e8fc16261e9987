/** Dataset options shared by the commands, and {@code backstream data fetch}. */
package dev.backstream.cli.data;
