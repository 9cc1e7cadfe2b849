# Recomputes every section of every case under Reference/ with the metafor calls the README names
# ("Statistics and the reference results") and prints each field outside the case's tolerance.
# Needs R with metafor 3.8-1 and jsonlite. Run from the repository root:
#   Rscript tests/Evidence.Statistics.Tests/metafor-calls.R
suppressMessages({ library(metafor); library(jsonlite) })
root <- "tests/Evidence.Statistics.Tests/Reference"

effects <- function(m, d) switch(m,
  GEN = escalc("GEN", yi = yi, vi = vi, data = d),
  OR = , RR = , RD = escalc(m, ai = ai, bi = bi, ci = ci, di = di, data = d),
  MD = , SMD = , ROM = escalc(m, m1i = m1i, sd1i = sd1i, n1i = n1i, m2i = m2i, sd2i = sd2i, n2i = n2i, data = d),
  PR = , PLO = , PFT = , PAS = escalc(m, xi = xi, ni = ni, data = d),
  MC = , SMCC = escalc(m, m1i = m_post, m2i = m_pre, sd1i = sd_post, sd2i = sd_pre, ni = ni, ri = ri, data = d),
  SMCR = escalc(m, m1i = m_post, m2i = m_pre, sd1i = sd_pre, ni = ni, ri = ri, data = d))

natural <- function(res, m, d) switch(m,
  OR = , RR = , PETO = , ROM = predict(res, transf = exp),
  PLO = predict(res, transf = transf.ilogit),
  PAS = predict(res, transf = transf.iarcsin),
  PFT = predict(res, transf = transf.ipft.hm, targs = list(ni = d$ni)),
  NULL)

fit <- function(res, knha) list(k = res$k, estimate = c(res$beta), se = res$se, ci_lower = res$ci.lb, ci_upper = res$ci.ub,
  statistic = res$zval, df = if (knha) res$ddf else NA, p = res$pval, tau2 = res$tau2, i2 = res$I2, h2 = res$H2,
  q = res$QE, q_df = res$k - 1, q_p = res$QEp)

random <- function(res) {
  ci <- confint(res)$random
  p <- predict(res)
  list(tau2_ci_lower = ci["tau^2", "ci.lb"], tau2_ci_upper = ci["tau^2", "ci.ub"], pi_lower = p$pi.lb, pi_upper = p$pi.ub)
}

back <- function(p) if (is.null(p)) NULL else list(estimate = p$pred, ci_lower = p$ci.lb, ci_upper = p$ci.ub, pi_lower = p$pi.lb, pi_upper = p$pi.ub)

# One row per fit of cumul() or leave1out(); cumul() names its p values "pvals", and k of the i-th fit is i.
rows <- function(x, label, fields) lapply(seq_along(x$estimate), function(i)
  c(setNames(list(x$slab[i], i), c(label, "k")), lapply(fields, function(f) if (is.null(x[[f, exact = FALSE]])) NA else x[[f, exact = FALSE]][i])))

steps <- c(estimate = "estimate", se = "se", ci_lower = "ci.lb", ci_upper = "ci.ub", p = "pval", tau2 = "tau2", i2 = "I2")

compute <- function(case, d) {
  s <- case$settings
  m <- s$measure
  if (s$method %in% c("MH", "PETO")) {
    res <- if (s$method == "MH") rma.mh(ai, bi, ci, di, measure = m, data = d) else rma.peto(ai, bi, ci, di, data = d)
    f <- fit(res, FALSE)
    f$q_df <- res$k.yi - 1
    return(c(f, list(back_transformed = back(natural(res, m, d)))))
  }
  knha <- identical(s$test, "knha")
  test <- if (knha) "knha" else "z"
  dat <- effects(m, d)
  if (!is.null(s$moderators)) {
    res <- rma(yi, vi, mods = reformulate(unlist(s$moderators)), method = s$method, test = test, data = dat)
    names <- c("intercept", unlist(s$moderators))
    return(list(k = res$k, tau2 = res$tau2, i2 = res$I2, r2 = res$R2, qm = res$QM, qm_df = res$QMdf[1], qm_p = res$QMp,
      qe = res$QE, qe_df = res$k - res$p, qe_p = res$QEp,
      coefficients = lapply(seq_along(names), function(i) list(name = names[i], estimate = res$beta[i], se = res$se[i],
        statistic = res$zval[i], p = res$pval[i], ci_lower = res$ci.lb[i], ci_upper = res$ci.ub[i]))))
  }
  res <- rma(yi, vi, method = s$method, test = test, data = dat, slab = d$study)
  out <- c(fit(res, knha), if (s$method != "FE") random(res), list(back_transformed = back(natural(res, m, d))))
  w <- weights(res)
  out$studies <- lapply(seq_len(res$k), function(i) list(study = d$study[i], yi = dat$yi[i], vi = dat$vi[i], weight = w[[i]]))
  out$cumulative <- rows(if (is.null(s$order)) cumul(res) else cumul(res, order = d[[s$order]]), "study", steps)
  out$leave_one_out <- rows(leave1out(res), "omitted", c(steps, q = "Q"))
  e <- regtest(res, model = "lm")
  out$egger <- list(statistic = e$zval, df = e$dfs, p = e$pval, limit_estimate = e$est)
  if (!is.null(s$subgroup)) {
    groups <- lapply(unique(d[[s$subgroup]]), function(level) {
      keep <- d[[s$subgroup]] == level
      one <- sum(keep) == 1
      r <- rma(yi, vi, method = if (one) "FE" else s$method, test = test, data = dat, subset = keep)
      c(list(level = level), fit(r, knha), if (!one && s$method != "FE") random(r), list(back_transformed = back(natural(r, m, d[keep, ]))))
    })
    between <- rma(sapply(groups, `[[`, "estimate"), sei = sapply(groups, `[[`, "se"), method = "FE")
    out$subgroups <- list(variable = s$subgroup, groups = groups, q_between = between$QE, q_between_df = between$k - 1, q_between_p = between$QEp)
  }
  out
}

# Walks the expected value; a computed field that is absent or NA stands for null.
compare <- function(want, got, path, tol, bad) {
  if (is.list(want)) {
    keys <- if (is.null(names(want))) seq_along(want) else names(want)
    for (key in keys) bad <- compare(want[[key]], if (is.null(got)) NULL else got[[key]], paste0(path, if (is.numeric(key)) paste0("[", key - 1, "]") else paste0(".", key)), tol, bad)
    return(bad)
  }
  if (is.null(want) || (length(got) == 1 && is.na(got) && !is.character(got))) {
    same <- is.null(want) && (is.null(got) || is.na(got))
  } else if (is.character(want)) {
    same <- identical(as.character(got), want)
  } else {
    same <- length(got) == 1 && abs(got - want) <= tol$absolute + tol$relative * abs(want)
  }
  if (same) bad else c(bad, sprintf("%s: metafor %s, case %s", path, format(got, digits = 15), format(want, digits = 15)))
}

failures <- 0
for (file in sort(list.files(file.path(root, "cases"), full.names = TRUE))) {
  case <- fromJSON(file, simplifyVector = FALSE)
  d <- read.csv(file.path(root, "datasets", case$dataset), stringsAsFactors = FALSE)
  bad <- compare(case$expected, compute(case, d), "$", case$tolerance, character())
  cat(sprintf("%-48s %s\n", case$name, if (length(bad) == 0) "every field as metafor" else paste(length(bad), "field(s) differ")))
  if (length(bad) > 0) cat(paste0("  ", head(bad, 20), "\n"), sep = "")
  failures <- failures + length(bad)
}
quit(status = if (failures == 0) 0 else 1)
