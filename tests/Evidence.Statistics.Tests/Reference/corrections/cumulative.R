# The cumulative results of the reference cases, recomputed with metafor's own cumul(res, order = <column>).
# Some case files list cumulative fits whose numbers come from cumul(res, order = order(<column>)) (which
# metafor itself warns is "probably erroneous") while their rows are labelled in <column> order, so a
# row's estimate does not include the study it names. This writes, for every case whose data are not
# already in that order, the cumulative section as metafor computes it, to overlay the case file.
# Rerun from the repository root: Rscript tests/Evidence.Statistics.Tests/Reference/corrections/cumulative.R
suppressMessages(library(metafor))
here <- dirname(sub("^--file=", "", grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)))
root <- dirname(here)
num <- function(x) if (is.na(x)) NULL else unname(x)
for (path in list.files(file.path(root, "cases"), pattern = "\\.json$", full.names = TRUE)) {
  case <- jsonlite::fromJSON(path, simplifyVector = FALSE)
  s <- case$settings
  if (is.null(s$order) || is.null(case$expected$cumulative) || s$method %in% c("MH", "PETO")) next
  dat <- read.csv(file.path(root, "datasets", case$dataset), stringsAsFactors = FALSE)
  if (!is.unsorted(dat[[s$order]])) next
  es <- switch(s$measure,
    OR = , RR = , RD = escalc(measure = s$measure, ai = ai, bi = bi, ci = ci, di = di, data = dat),
    PR = , PLO = , PFT = , PAS = escalc(measure = s$measure, xi = xi, ni = ni, data = dat),
    MD = , SMD = , ROM = escalc(measure = s$measure, m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = dat),
    MC = , SMCC = escalc(measure = s$measure, m1i = m_post, m2i = m_pre, sd1i = sd_post, sd2i = sd_pre, ni = ni, ri = ri, data = dat),
    SMCR = escalc(measure = s$measure, m1i = m_post, m2i = m_pre, sd1i = sd_pre, ni = ni, ri = ri, data = dat),
    GEN = dat)
  res <- rma(yi, vi, data = es, method = s$method, test = if (is.null(s$test)) "z" else s$test, slab = study)
  cu <- cumul(res, order = es[[s$order]])
  steps <- lapply(seq_along(cu$estimate), function(i) list(
    study = cu$slab[i], k = i, estimate = num(cu$estimate[i]), se = num(cu$se[i]), ci_lower = num(cu$ci.lb[i]),
    ci_upper = num(cu$ci.ub[i]), p = num(cu$pval[i]), tau2 = if (s$method == "FE") NULL else num(cu$tau2[i]), i2 = num(cu$I2[i])))
  out <- list(reason = paste0("metafor ", packageVersion("metafor"), ": cumul(res, order = ", s$order, ")"), expected = list(cumulative = steps))
  writeLines(jsonlite::toJSON(out, auto_unbox = TRUE, digits = NA, pretty = TRUE, null = "null"), file.path(here, basename(path)))
}
