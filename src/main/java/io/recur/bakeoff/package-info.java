/**
 * Bake-offs: one job trained per cell (and per value of a swept key) in one Spark context on the
 * same prepared data, with parameter-matched hidden sizes, and the comparison written as one directory.
 */
package io.recur.bakeoff;
