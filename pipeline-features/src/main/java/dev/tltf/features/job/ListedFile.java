package dev.tltf.features.job;

import java.io.Serializable;

/**
 * One input file found by {@link ImageListing}: its path relative to the --images root, full URI and size ({@code -1}
 * for a manifest entry that does not exist).
 */
public record ListedFile(String path, String uri, long size) implements Serializable {}
