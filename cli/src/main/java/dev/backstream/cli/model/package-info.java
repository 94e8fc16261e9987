/**
 * Keeping and using the trained model: {@code train --save-model} writes it as numpy's {@code
 * .npz} ({@link dev.backstream.common.model.ModelFile}), {@code predict} classifies a test image
 * or an image file with it.
 */
package dev.backstream.cli.model;
