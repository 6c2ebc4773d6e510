package dev.tltf.features.job;

import java.io.Serializable;

/** One input file found by {@link ImageListing}: its path relative to the --images root, full URI and size. */
public record ListedFile(String path, String uri, long size) implements Serializable {}
