# Computes the final pooled estimate of every outcome of the LD-IL-2 demo (after the correction)
# with R metafor, for the end-to-end test. Rerun with: Rscript samples/ld-il2/metafor.R > samples/ld-il2/metafor-final.json
suppressMessages(library(metafor))
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)))
outcomes <- read.csv(file.path(here, "outcomes.csv"), stringsAsFactors = FALSE)
trials <- read.csv(file.path(here, "trials.csv"), stringsAsFactors = FALSE)
corrections <- read.csv(file.path(here, "corrections.csv"), stringsAsFactors = FALSE)
for (i in seq_len(nrow(corrections))) {
  c <- corrections[i, ]
  trials[trials$trial == c$trial & trials$outcome == c$outcome, c$field] <- c$new
}
num <- function(x) if (is.null(x) || length(x) == 0 || is.na(x)) NULL else unname(x)
fit_outcome <- function(o) {
  d <- trials[trials$outcome == o$outcome, ]
  d <- d[order(d$year, d$trial), ]
  es <- switch(o$data_type,
    binary = escalc(measure = o$measure, ai = ai, bi = bi, ci = ci, di = di, data = d),
    proportion = escalc(measure = o$measure, xi = xi, ni = ni, data = d),
    prepost = escalc(measure = o$measure, m1i = m_post, m2i = m_pre, sd1i = if (o$measure == "SMCR") sd_pre else sd_post,
                     sd2i = sd_pre, ni = ni, ri = ri, data = d))
  fit <- rma(yi, vi, data = es, method = o$method, test = o$test)
  pr <- predict(fit)
  list(outcome = o$outcome, measure = o$measure, method = o$method, test = o$test,
       k = fit$k, estimate = num(fit$beta[1]), se = num(fit$se), ci_lower = num(fit$ci.lb), ci_upper = num(fit$ci.ub),
       statistic = num(fit$zval), df = if (fit$test != "z") num(fit$ddf) else NULL, p = num(fit$pval),
       tau2 = num(fit$tau2), i2 = num(fit$I2), h2 = num(fit$H2), q = num(fit$QE), q_df = fit$k - 1, q_p = num(fit$QEp),
       # As in the reference cases: no prediction interval from a single study.
       pi_lower = if (fit$k > 1) num(pr$pi.lb) else NULL, pi_upper = if (fit$k > 1) num(pr$pi.ub) else NULL,
       studies = lapply(seq_len(nrow(es)), function(j) list(study = es$trial[j], yi = es$yi[j], vi = es$vi[j])))
}
res <- lapply(seq_len(nrow(outcomes)), function(i) fit_outcome(outcomes[i, ]))
cat(jsonlite::toJSON(list(source = paste("R metafor", packageVersion("metafor")), outcomes = res), auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"))
