/**
 * Data for the examples and the command line: {@link dev.al4j.examples.data.FashionMnist} reads the bundled
 * Fashion-MNIST subset (MIT licence) or the full IDX files from a path; {@link dev.al4j.examples.data.GaussianBlur}
 * makes the blurred test set of seed 000's dataset-shift experiment;
 * {@link dev.al4j.examples.data.MakeFashionMnistSubset} writes the bundled subset from the official files. Nothing is
 * downloaded.
 */
package dev.al4j.examples.data;
