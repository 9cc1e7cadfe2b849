# The benchmarks' work in R metafor, on the same formula-generated data; prints "<name>\t<median ms>".
# metafor builds k x k matrices, so the large cases run once (k = 10,000 needs several GB and minutes).
suppressMessages(library(metafor))
data_k <- function(k) { i <- seq_len(k); list(yi = 0.3 + 0.5 * sin(1.7 * i), vi = 0.02 + 0.08 * ((7919 * i) %% 100) / 100) }
median_ms <- function(f, reps) {
  if (reps > 1) f()
  1000 * median(sapply(seq_len(reps), function(r) system.time(f())[["elapsed"]]))
}
for (k in c(10, 100, 1000, 10000)) {
  d <- data_k(k)
  cat(sprintf("RemlFit k=%d\t%.4f\n", k, median_ms(function() rma(d$yi, d$vi, method = "REML"), c(30, 30, 5, 1)[log10(k)])))
  flush(stdout())
}
for (k in c(31, 1000)) {
  d <- data_k(k)
  full <- function() {
    res <- rma(d$yi, d$vi, method = "REML")
    confint(res); predict(res); leave1out(res); cumul(res); regtest(res, model = "lm")
  }
  cat(sprintf("FullAnalysis k=%d\t%.4f\n", k, median_ms(full, if (k >= 1000) 1 else 10)))
  flush(stdout())
}
