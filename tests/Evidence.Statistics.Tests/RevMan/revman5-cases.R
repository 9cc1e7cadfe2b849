# RevMan 5 conventions recomputed from metafor's building blocks: drop double-zero (and double-all)
# tables, add 1/2 to every cell of a table with a zero cell, MH on the corrected counts, Q around the
# MH estimate, DL tau² from that Q, inverse-variance random-effects pooling, z = qnorm(0.975), which reproduces RevMan's stored CIs.
# Run: Rscript revman5-cases.R (prints the numbers RevMan5PoolingTests expects).
suppressMessages(library(metafor))
# A: random MH RR with one double-zero and two single-zero studies
ai <- c(12, 0, 5, 0, 30, 7); n1 <- c(100, 50, 60, 40, 200, 80)
ci <- c(20, 3, 9, 0, 41, 6); n2 <- c(98, 52, 61, 45, 210, 75)
bi <- n1 - ai; di <- n2 - ci
run <- function(ai, bi, ci, di, measure) {
  keep <- !((ai + ci == 0) | (bi + di == 0))
  ai <- ai[keep]; bi <- bi[keep]; ci <- ci[keep]; di <- di[keep]
  z <- ai == 0 | bi == 0 | ci == 0 | di == 0
  ai[z] <- ai[z] + .5; bi[z] <- bi[z] + .5; ci[z] <- ci[z] + .5; di[z] <- di[z] + .5
  es <- escalc(measure, ai = ai, bi = bi, ci = ci, di = di, add = 0)
  mh <- rma.mh(ai = ai, bi = bi, ci = ci, di = di, measure = measure, add = 0)
  w <- 1 / es$vi
  Q <- sum(w * (es$yi - mh$beta[1])^2); df <- length(es$yi) - 1
  tau2 <- max(0, (Q - df) / (sum(w) - sum(w^2) / sum(w)))
  re <- rma(es$yi, es$vi, tau2 = tau2, method = "DL")
  se <- re$se
  cat(sprintf("%s k=%d mh=%.15g mhse=%.15g Q=%.15g df=%d I2=%.15g tau2=%.15g est=%.15g se=%.15g lo=%.15g hi=%.15g z=%.15g p=%.15g\n",
    measure, length(es$yi), mh$beta[1], mh$se, Q, df, max(0, (Q - df) / Q) * 100, tau2, re$beta[1], se,
    re$beta[1] - qnorm(0.975) * se, re$beta[1] + qnorm(0.975) * se, re$beta[1] / se, 2 * pnorm(-abs(re$beta[1] / se))))
}
run(ai, bi, ci, di, "RR")
run(ai, bi, ci, di, "OR")
# B: a study with all events in both arms, and a low-heterogeneity set (tau2 = 0)
run(c(10, 5, 8, 20), c(0, 45, 40, 180), c(12, 6, 9, 22), c(0, 44, 41, 178), "RR")
# C: heterogeneous, with a double zero and a single zero
run(c(2, 0, 25, 0, 40, 3), c(98, 50, 35, 40, 160, 77), c(20, 4, 10, 0, 38, 15), c(78, 48, 51, 45, 172, 60), "RR")
