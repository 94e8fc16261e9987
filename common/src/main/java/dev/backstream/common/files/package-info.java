/** File tools shared by datasets, models and summaries: writing a file so that no reader sees it half-written. */
package dev.backstream.common.files;
