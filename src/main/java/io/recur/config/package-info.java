/** Job specs: immutable records read from HOCON in one place, validated before Spark starts. */
package io.recur.config;
