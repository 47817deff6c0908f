/**
 * What every saved model knows about where it came from (data, spec, code and library versions)
 * and, by its run directory's manifest, what its files were when it was published.
 */
package io.recur.provenance;
