/**
 * The datasets backstream trains on: IDX files, their pinned checksums, the local cache folder and
 * fetching them into it; images are kept as bytes, never as one double per pixel.
 */
package dev.backstream.common.data;
