/** What every saved model knows about where it came from: data, spec, code and library versions. */
package io.recur.provenance;
