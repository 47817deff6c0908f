/** {@code recur serve}: online predictions over HTTP, from a run directory or a registry's champion that it follows. */
package io.recur.serve;
