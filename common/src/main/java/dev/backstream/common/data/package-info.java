/**
 * The datasets backstream trains on: the IDX format, the images and labels it holds (kept as
 * bytes, never as one double per pixel), their pinned checksums and the local cache folder they
 * are loaded from. Fetching them into it is {@link dev.backstream.common.data.fetch}.
 */
package dev.backstream.common.data;
