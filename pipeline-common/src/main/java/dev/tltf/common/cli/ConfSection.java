package dev.tltf.common.cli;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a picocli mixin whose flags share one default across the commands that mix it in: {@link
 * ConfDefaults} looks up {@code <command>.<flag>} first (a command may still differ) and then
 * {@code <section>.<flag>}, so {@code conf/tltf.properties} states the shared default once.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ConfSection {
  /** The key prefix of the shared defaults, e.g. {@code image-input}. */
  String value();
}
