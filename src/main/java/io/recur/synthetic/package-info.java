/** Generated long-range-dependency benchmarks (adding problem, copy memory) as minibatches; no Spark here. */
package io.recur.synthetic;
