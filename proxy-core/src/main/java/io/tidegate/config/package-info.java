/**
 * Tidegate's configuration language: HAProxy syntax in, an immutable model out, and back.
 *
 * <ul>
 *   <li>{@link io.tidegate.config.ConfigLoader} parses and validates files; a configuration with any
 *       error is refused whole, with every problem as {@code file:line:column: error: message}.</li>
 *   <li>{@link io.tidegate.config.Config} is the model: records with {@code with*} copies, sections
 *       in file order, {@link io.tidegate.config.Config#effective effective settings} over defaults
 *       and HAProxy's built-in values.</li>
 *   <li>{@link io.tidegate.config.SupportedFeatures} lists what the engine implements; anything else
 *       that parses is an error "not supported yet" at its line.</li>
 *   <li>{@link io.tidegate.config.ConfigWriter} writes a model back in the modern spelling;
 *       parsing the output gives an equal model. Model equality ignores source positions
 *       (see {@link io.tidegate.config.SourcePos}).</li>
 *   <li>{@link io.tidegate.config.ConfigCheck} is the command-line check.</li>
 * </ul>
 * The package uses nothing but the JDK, so the check runs with only proxy-core's jar on the class path.
 */
package io.tidegate.config;
