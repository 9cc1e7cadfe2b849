# The benchmarks' work in R metafor, on the same formula-generated data; prints "<name>\t<median ms>".
# metafor works with k x k matrices, so at k = 1,000 one REML fit takes seconds here and the full
# analysis (about 2,000 fits) hours: that figure is estimated from a timed fit, as the output says,
# and k = 10,000 is not run.
suppressMessages(library(metafor))
data_k <- function(k) { i <- seq_len(k); list(yi = 0.3 + 0.5 * sin(1.7 * i), vi = 0.02 + 0.08 * ((7919 * i) %% 100) / 100) }
median_ms <- function(f, reps) {
  if (reps > 1) f()
  1000 * median(sapply(seq_len(reps), function(r) system.time(f())[["elapsed"]]))
}
emit <- function(name, ms) { cat(sprintf("%s\t%.4f\n", name, ms)); flush(stdout()) }
fit_ms <- c()
for (k in c(10, 100, 1000)) {
  d <- data_k(k)
  fit_ms[as.character(k)] <- median_ms(function() rma(d$yi, d$vi, method = "REML"), if (k >= 1000) 3 else 30)
  emit(sprintf("RemlFit k=%d", k), fit_ms[as.character(k)])
}
d <- data_k(31)
emit("FullAnalysis k=31", median_ms(function() {
  res <- rma(d$yi, d$vi, method = "REML")
  confint(res); predict(res); leave1out(res); cumul(res); regtest(res, model = "lm")
}, 10))
# k = 1,000: the fit, confint and Egger timed once; leave-one-out as 1,000 fits of k = 999 and the
# cumulative analysis as fits of k = 1..1,000, each scaled from the timed fit by (k/1000)^3.
d <- data_k(1000)
timed <- 1000 * system.time({ res <- rma(d$yi, d$vi, method = "REML"); confint(res); predict(res); regtest(res, model = "lm") })[["elapsed"]]
t1000 <- fit_ms[["1000"]]
emit("FullAnalysis k=1000 (estimated)", timed + 1000 * t1000 * (999 / 1000)^3 + sum(t1000 * (seq_len(1000) / 1000)^3))
