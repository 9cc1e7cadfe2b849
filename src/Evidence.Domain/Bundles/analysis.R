# Recomputes result.json of this bundle with R's metafor, from data.csv and settings.json alone, and
# writes reproduced.json with the same keys and nesting. Needs R with metafor and jsonlite:
#   Rscript analysis.R
# Every convention of the analysis is spelled out below (and summarised in settings.json):
# - effect sizes by escalc() with its defaults: 1/2 added to every cell of a 2x2 table with a zero
#   cell (a table without events in both groups is kept), to events and non-events of a proportion
#   with 0 or n events (PR, PLO); PFT and PAS need no correction;
# - MH and Peto pool the raw counts (rma.mh, rma.peto), with no per-study sections;
# - every other method is rma() with the measure, the tau² estimator and the test (z or knha); an
#   iterative estimator that does not converge falls back to DerSimonian-Laird, and says so; a fit of
#   one study is a z test with tau² = 0, Q = 0 on 0 df;
# - the Q-profile CI of tau² (confint) and the prediction interval (predict) for random effects with
#   two or more studies; estimates back on the natural scale where the measure is transformed
#   (exp for ratios, inverse logit, sin² for arcsine, inverse Freeman-Tukey with the harmonic mean of ni);
# - subgroups each fitted on their own (own tau²), and the test for subgroup differences: a
#   common-effect Q across the subgroup estimates with their standard errors;
# - cumulative fits in the cumulative order (cumul()), leave-one-out (leave1out()), fitted one by one
#   so that each follows the conventions above; Egger's regression test (regtest, model = "lm");
# - with moderators, the meta-regression alone.
# With "conventions": "revman5" in settings.json the analysis follows RevMan 5's own pooling instead
# (revman5() below); with "metafor" (or no name) the conventions above.
suppressMessages({ library(metafor); library(jsonlite) })

settings <- fromJSON("settings.json", simplifyVector = TRUE)
measure <- settings$measure
method <- settings$method
moderators <- unlist(settings$moderators)
preset <- if (is.character(settings$conventions)) settings$conventions else "metafor"
z975 <- qnorm(0.975)
# The files are UTF-8 whatever the locale: labels are read and written as such.
raw <- read.csv("data.csv", colClasses = "character", check.names = FALSE, na.strings = character(), encoding = "UTF-8")
labels <- c("study", settings$subgroup, if (!identical(settings$order, "year")) settings$order)
d <- raw
for (column in setdiff(names(raw), labels)) d[[column]] <- as.numeric(raw[[column]])

count_method <- method %in% c("MH", "PETO")
warnings <- character()

# NA stands for a value that does not exist (written as null); fields that do not apply are left out.
num <- function(x) {
  x <- as.vector(x)
  if (length(x) != 1 || !is.finite(x)) NA else x
}

effects <- function(m, d) switch(m,
  GEN = if ("vi" %in% names(d)) escalc("GEN", yi = d$yi, vi = d$vi) else escalc("GEN", yi = d$yi, sei = d$sei),
  OR = , RR = , RD = , PETO = escalc(m, ai = d$ai, bi = d$bi, ci = d$ci, di = d$di),
  MD = , SMD = , ROM = escalc(m, m1i = d$m1i, sd1i = d$sd1i, n1i = d$n1i, m2i = d$m2i, sd2i = d$sd2i, n2i = d$n2i),
  PR = , PLO = , PFT = , PAS = escalc(m, xi = d$xi, ni = d$ni),
  MC = , SMCC = escalc(m, m1i = d$m_post, m2i = d$m_pre, sd1i = d$sd_post, sd2i = d$sd_pre, ni = d$ni, ri = d$ri),
  SMCR = escalc(m, m1i = d$m_post, m2i = d$m_pre, sd1i = d$sd_pre, ni = d$ni, ri = d$ri))

# Back to the natural scale, or NULL for a measure read on the scale it is pooled on.
natural <- function(m, ni) switch(m,
  OR = , RR = , PETO = , ROM = list(f = exp, targs = NULL),
  PLO = list(f = transf.ilogit, targs = NULL),
  PAS = list(f = transf.iarcsin, targs = NULL),
  PFT = list(f = transf.ipft.hm, targs = list(ni = ni)),
  NULL)

# One intercept-only fit: the estimator asked for, or DL when it does not converge.
fit_one <- function(yi, vi) {
  test <- if (length(yi) == 1) "z" else settings$test
  res <- tryCatch(rma(yi, vi, method = method, test = test), error = function(e) NULL)
  converged <- !is.null(res)
  if (!converged) res <- rma(yi, vi, method = "DL", test = test)
  list(res = res, converged = converged, k = length(yi), test = test)
}

random <- function(f) method != "FE" && f$k >= 2

pooled <- function(f, ni, intervals = TRUE) {
  r <- f$res
  out <- list(k = f$k, estimate = num(r$beta), se = num(r$se), ci_lower = num(r$ci.lb), ci_upper = num(r$ci.ub),
    statistic = num(r$zval), df = if (f$test == "knha") f$k - 1 else NA, p = num(r$pval), tau2 = num(r$tau2))
  if (f$k == 1) {
    out <- c(out, list(i2 = 0, h2 = 1, q = 0, q_df = 0, q_p = 1))
  } else {
    out <- c(out, list(i2 = num(r$I2), h2 = num(r$H2), q = num(r$QE), q_df = f$k - 1, q_p = num(r$QEp)))
  }
  pi <- NULL
  if (random(f)) {
    if (intervals) {
      ci <- confint(r)$random
      out$tau2_ci_lower <- num(ci["tau^2", "ci.lb"])
      out$tau2_ci_upper <- num(ci["tau^2", "ci.ub"])
    }
    pi <- predict(r)
    out$pi_lower <- num(pi$pi.lb)
    out$pi_upper <- num(pi$pi.ub)
  }
  if (!is.null(t <- natural(measure, ni))) {
    p <- predict(r, transf = t$f, targs = t$targs)
    out$back_transformed <- list(estimate = num(p$pred), ci_lower = num(p$ci.lb), ci_upper = num(p$ci.ub),
      pi_lower = if (is.null(pi)) NA else num(p$pi.lb), pi_upper = if (is.null(pi)) NA else num(p$pi.ub))
  }
  if (!f$converged) out$method_used <- "DL"
  out
}

step <- function(label, study, f, with_q) {
  r <- f$res
  out <- setNames(list(study), label)
  if (!with_q) out$k <- f$k
  out <- c(out, list(estimate = num(r$beta), se = num(r$se), ci_lower = num(r$ci.lb), ci_upper = num(r$ci.ub),
    p = num(r$pval), tau2 = if (method == "FE") NA else num(r$tau2), i2 = if (f$k == 1) 0 else num(r$I2)))
  if (with_q) out$q <- if (f$k == 1) 0 else num(r$QE)
  out
}

not_estimable <- function(out, reason, involved) c(out, list(estimable = FALSE, reason = reason, involved = as.list(involved)))

# The cumulative order: the rows as they are, or sorted by the order column (numbers by value when
# every value is one, text by its characters otherwise), ties in row order.
cumulative_order <- function() {
  if (isTRUE(settings$rows_in_cumulative_order) || is.null(settings$order)) return(seq_len(nrow(d)))
  key <- raw[[settings$order]]
  numbers <- suppressWarnings(as.numeric(key))
  if (all(!is.na(numbers))) order(numbers) else order(key, method = "radix")
}

counts <- function() {
  informative <- (d$ai + d$ci > 0) & (d$bi + d$di > 0)
  if (!any(informative)) {
    reason <- if (all(d$ai + d$ci == 0)) sprintf("No table has an event in either group, so %s has no estimate.", method)
      else sprintf("No table has both an event and a non-event, so %s has no estimate.", method)
    out <- list(k = nrow(d), estimate = NA, se = NA, ci_lower = NA, ci_upper = NA, statistic = NA, p = NA,
      i2 = 0, h2 = 1, q = 0, q_df = 0, q_p = 1)
    warnings <<- c(warnings, reason)
    return(not_estimable(out, reason, d$study))
  }
  r <- if (method == "MH") rma.mh(ai = d$ai, bi = d$bi, ci = d$ci, di = d$di, measure = measure)
    else rma.peto(ai = d$ai, bi = d$bi, ci = d$ci, di = d$di)
  out <- list(k = r$k, estimate = num(r$beta), se = num(r$se), ci_lower = num(r$ci.lb), ci_upper = num(r$ci.ub),
    statistic = num(r$zval), p = num(r$pval), i2 = num(r$I2), h2 = num(r$H2), q = num(r$QE), q_df = r$k.yi - 1, q_p = num(r$QEp))
  if (method == "PETO" || measure %in% c("OR", "RR")) {
    p <- predict(r, transf = exp)
    out$back_transformed <- list(estimate = num(p$pred), ci_lower = num(p$ci.lb), ci_upper = num(p$ci.ub))
  }
  if (is.na(out$estimate) || !(out$se > 0) || is.na(out$se)) {
    reason <- sprintf("The %s estimate is not finite or has no sampling variance (every table's events fall in one group, or in none).", method)
    warnings <<- c(warnings, reason)
    out <- not_estimable(out, reason, d$study)
  }
  out
}

regression <- function(es) {
  test <- settings$test
  r <- rma(es$yi, es$vi, mods = as.matrix(d[, moderators, drop = FALSE]), method = method, test = test)
  names <- c("intercept", moderators)
  list(k = r$k,
    coefficients = lapply(seq_along(names), function(i) list(name = names[i], estimate = num(r$beta[i]), se = num(r$se[i]),
      statistic = num(r$zval[i]), p = num(r$pval[i]), ci_lower = num(r$ci.lb[i]), ci_upper = num(r$ci.ub[i]))),
    tau2 = num(r$tau2), i2 = num(r$I2), r2 = if (is.null(r$R2)) 0 else num(r$R2),
    qm = num(r$QM), qm_df = length(moderators), qm_p = num(r$QMp), qe = num(r$QE), qe_df = r$k - r$p, qe_p = num(r$QEp))
}

analysis <- function() {
  if (nrow(d) == 0) return(list(k = 0))
  if (count_method) return(counts())
  es <- effects(measure, d)
  # A change-score SD of zero (ri = 1 with equal SDs) gives SMCC no finite value: valid data, no estimate.
  flat <- if (measure == "SMCC") which(d$ri == 1 & d$sd_pre == d$sd_post) else integer()
  if (length(flat) > 0)
    return(not_estimable(list(k = nrow(d)),
      sprintf("%s: ri gives a change-score SD of zero (ri = 1 with equal SDs), so SMCC has no finite value", d$study[flat[1]]), d$study[flat[1]]))
  bad <- which(!is.finite(es$yi) | !is.finite(es$vi))
  if (length(bad) > 0)
    return(not_estimable(list(k = nrow(d)), sprintf("%s: the effect size or its variance is not finite", d$study[bad[1]]), d$study[bad[1]]))
  if (length(moderators) > 0) return(regression(es))
  ni <- if (measure == "PFT") d$ni else NULL
  overall <- fit_one(es$yi, es$vi)
  if (!is.finite(overall$res$beta) || !is.finite(overall$res$se) || !(overall$res$se > 0))
    return(not_estimable(list(k = nrow(d)), "The fit gives no finite estimate with a positive standard error.", d$study))
  if (!overall$converged)
    warnings <<- c(warnings, sprintf("%s did not converge within 100 iterations; tau\u00b2 is the DerSimonian-Laird estimate.", method))
  out <- pooled(overall, ni)
  w <- weights(overall$res)
  out$studies <- lapply(seq_len(nrow(d)), function(i) list(study = d$study[i], yi = num(es$yi[i]), vi = num(es$vi[i]), weight = num(w[[i]])))

  if (!is.null(settings$subgroup)) {
    level <- d[[settings$subgroup]]
    groups <- lapply(unique(level), function(l) {
      keep <- level == l
      c(pooled(fit_one(es$yi[keep], es$vi[keep]), ni[keep]), list(level = l))
    })
    estimates <- sapply(groups, `[[`, "estimate")
    ses <- sapply(groups, `[[`, "se")
    between <- if (length(groups) > 1) rma(estimates, sei = ses, method = "FE") else NULL
    out$subgroups <- list(variable = settings$subgroup, groups = groups,
      q_between = if (is.null(between)) 0 else num(between$QE), q_between_df = length(groups) - 1,
      q_between_p = if (is.null(between)) 1 else num(between$QEp))
  }

  ordered <- cumulative_order()
  out$cumulative <- lapply(seq_along(ordered), function(n) {
    take <- ordered[seq_len(n)]
    step("study", d$study[ordered[n]], fit_one(es$yi[take], es$vi[take]), with_q = FALSE)
  })
  if (nrow(d) >= 2)
    out$leave_one_out <- lapply(seq_len(nrow(d)), function(i) step("omitted", d$study[i], fit_one(es$yi[-i], es$vi[-i]), with_q = TRUE))
  if (nrow(d) >= 3) {
    if (length(unique(es$vi)) == 1) {
      warnings <<- c(warnings, "Egger's test needs studies with different standard errors; all are equal.")
    } else {
      e <- regtest(overall$res, model = "lm")
      out$egger <- list(statistic = num(e$zval), df = e$dfs, p = num(e$pval), limit_estimate = num(e$est))
    }
  }
  out
}

# RevMan 5's conventions ("conventions": "revman5"), as RevMan 5 stores its pooled results:
# - 2x2 tables: a study with no events in both groups, or only events in both, is not estimable:
#   it is left out of the model, of k and of the df of Q (effect null, weight 0). Every other table
#   with a zero cell gets 1/2 added to each cell (so each group's n is one larger); Peto keeps the
#   raw counts, each study's effect (O - E)/V with variance 1/V;
# - SMD is RevMan's Hedges' g: g = (1 - 3/(4N - 9)) (m1 - m2)/s_pooled, v = N/(n1 n2) + g^2/(2(N - 3.94));
# - MH: rma.mh() on the corrected counts, its Q (inverse-variance, around the MH estimate);
#   PETO: Peto's one-step estimate, which is the inverse-variance mean of (O - E)/V, and its Q;
#   FE: the inverse-variance estimate;
# - Q = sum((yi - centre)^2/vi) around the MH estimate (MH, and DL on OR, RR or RD), Peto's, or the
#   inverse-variance one; I2 = max(0, 100 (Q - df)/Q); H2 = Q/df; DL tau2 from that Q, and the
#   random-effects estimate with weights 1/(vi + tau2), even for 2x2 data;
# - z test, intervals estimate -/+ qnorm(0.975) se; no prediction interval, no tau2 interval;
# - subgroups pooled on their own (own tau2); the test for subgroup differences is the
#   inverse-variance Q between the estimable subgroups' estimates;
# - cumulative and leave-one-out pooled the same way; Egger's test on the estimable studies.
revman5 <- function() {
  n <- nrow(d)
  if (n == 0) return(list(k = 0))
  count_fit <- method %in% c("MH", "PETO")
  peto <- method == "PETO" || measure == "PETO"
  binary <- measure %in% c("OR", "RR", "RD", "PETO")
  yi <- vi <- rep(NA_real_, n)
  kept <- rep(TRUE, n)
  if (binary) {
    tab <- data.frame(ai = d$ai, bi = d$bi, ci = d$ci, di = d$di)
    kept <- (tab$ai + tab$ci > 0) & (tab$bi + tab$di > 0)
    zero <- kept & !peto & (tab$ai == 0 | tab$bi == 0 | tab$ci == 0 | tab$di == 0)
    tab[zero, ] <- tab[zero, ] + 0.5
    if (peto) {
      n1 <- tab$ai + tab$bi; n2 <- tab$ci + tab$di; nn <- n1 + n2
      v <- (tab$ai + tab$ci) * (tab$bi + tab$di) * (n1 / nn) * (n2 / nn) / (nn - 1)
      yi[kept] <- ((tab$ai - (tab$ai + tab$ci) * n1 / nn) / v)[kept]
      vi[kept] <- (1 / v)[kept]
    } else if (any(kept)) {
      t <- tab[kept, ]
      es <- escalc(measure, ai = t$ai, bi = t$bi, ci = t$ci, di = t$di, add = 0, to = "none")
      yi[kept] <- es$yi
      vi[kept] <- es$vi
    }
  } else if (measure == "SMD") {
    nn <- d$n1i + d$n2i
    s <- sqrt(((d$n1i - 1) * d$sd1i^2 + (d$n2i - 1) * d$sd2i^2) / (nn - 2))
    yi <- (1 - 3 / (4 * nn - 9)) * (d$m1i - d$m2i) / s
    vi <- nn / (d$n1i * d$n2i) + yi^2 / (2 * (nn - 3.94))
  } else {
    es <- effects(measure, d)
    yi <- as.vector(es$yi)
    vi <- as.vector(es$vi)
  }
  ni <- if (measure == "PFT") d$ni else NULL
  back <- natural(if (method == "PETO") "PETO" else measure, NULL)

  iv_q <- function(y, w, centre) if (length(y) < 2) c(0, 0) else c(max(0, sum(w * (y - centre)^2)), length(y) - 1)

  # The pooled fit of the studies in `members`, with every study's percent weight; NULL when none is estimable.
  pool <- function(members) {
    k <- members[kept[members]]
    if (length(k) == 0) return(NULL)
    y <- yi[k]; v <- vi[k]; w <- 1 / v
    tau2 <- 0
    if (method == "MH") {
      r <- rma.mh(ai = tab$ai[k], bi = tab$bi[k], ci = tab$ci[k], di = tab$di[k], measure = measure, add = 0, to = "none")
      est <- as.vector(r$beta); se <- r$se
      qd <- if (r$k.yi < 2) c(0, 0) else c(r$QE, r$k.yi - 1)
      t <- tab[k, ]; n1 <- t$ai + t$bi; n2 <- t$ci + t$di; nn <- n1 + n2
      mw <- switch(measure, OR = t$bi * t$ci / nn, RR = t$ci * n1 / nn, n1 * n2 / nn)
    } else if (method == "PETO") {
      r <- rma(y, v, method = "FE")
      est <- as.vector(r$beta); se <- r$se
      qd <- if (length(k) < 2) c(0, 0) else c(max(0, r$QE), length(k) - 1)
      mw <- w
    } else {
      centre <- if (method == "DL" && binary && measure != "PETO")
        as.vector(rma.mh(ai = tab$ai[k], bi = tab$bi[k], ci = tab$ci[k], di = tab$di[k], measure = measure, add = 0, to = "none")$beta)
        else sum(w * y) / sum(w)
      qd <- iv_q(y, w, centre)
      if (method == "DL" && qd[2] > 0) tau2 <- max(0, (qd[1] - qd[2]) / (sum(w) - sum(w^2) / sum(w)))
      mw <- 1 / (v + tau2)
      est <- sum(mw * y) / sum(mw); se <- sqrt(1 / sum(mw))
    }
    q <- qd[1]; df <- qd[2]
    weights <- rep(0, n)
    weights[k] <- 100 * mw / sum(mw)
    z <- est / se
    out <- list(k = length(k), estimate = num(est), se = num(se), ci_lower = num(est - z975 * se), ci_upper = num(est + z975 * se),
      statistic = num(z))
    if (!count_fit) out$df <- NA
    out$p <- num(2 * pnorm(-abs(z)))
    if (!count_fit) out$tau2 <- num(tau2)
    out <- c(out, list(i2 = if (df > 0 && q > 0) max(0, 100 * (q - df) / q) else 0, h2 = if (df > 0) q / df else 1,
      q = if (df > 0) q else 0, q_df = df, q_p = if (df > 0) pchisq(q, df, lower.tail = FALSE) else 1))
    if (!is.null(back)) {
      f <- function(x) if (is.null(ni)) back$f(x) else back$f(x, targs = list(ni = ni[k]))
      out$back_transformed <- list(estimate = num(f(est)), ci_lower = num(f(est - z975 * se)), ci_upper = num(f(est + z975 * se)))
      if (!count_fit) out$back_transformed <- c(out$back_transformed, list(pi_lower = NA, pi_upper = NA))
    }
    attr(out, "weights") <- weights
    out
  }
  empty <- function(members) {
    out <- list(k = length(members), estimate = NA, se = NA, ci_lower = NA, ci_upper = NA, statistic = NA)
    if (!count_fit) out$df <- NA
    out$p <- NA
    if (!count_fit) out$tau2 <- NA
    c(out, list(i2 = 0, h2 = 1, q = 0, q_df = 0, q_p = 1))
  }
  pool_or_empty <- function(members) { f <- pool(members); if (is.null(f)) empty(members) else f }
  degenerate <- function(f) is.na(f$estimate) || is.na(f$se) || !(f$se > 0)
  as_step <- function(label, study, f, with_q) {
    out <- setNames(list(study), label)
    if (!with_q) out$k <- f$k
    out <- c(out, f[c("estimate", "se", "ci_lower", "ci_upper", "p")],
      list(tau2 = if (method == "FE" || count_fit) NA else f$tau2, i2 = f$i2))
    if (with_q) out$q <- f$q
    out
  }

  overall <- pool(seq_len(n))
  if (is.null(overall) || degenerate(overall)) {
    dropped <- d$study[!kept]
    reason <- if (is.null(overall)) "No study has both an event and a non-event in either group, so RevMan 5's conventions leave none to pool."
      else "The fit gives no finite estimate with a positive standard error."
    return(not_estimable(list(k = n), reason, if (length(dropped) > 0) dropped else d$study))
  }
  w <- attr(overall, "weights")
  attr(overall, "weights") <- NULL
  out <- overall
  out$studies <- lapply(seq_len(n), function(i) list(study = d$study[i], yi = num(yi[i]), vi = num(vi[i]), weight = num(w[i])))

  if (!is.null(settings$subgroup)) {
    level <- d[[settings$subgroup]]
    groups <- lapply(unique(level), function(l) {
      g <- pool_or_empty(which(level == l))
      attr(g, "weights") <- NULL
      c(g, list(level = l))
    })
    estimable <- Filter(Negate(degenerate), groups)
    y <- vapply(estimable, function(g) g$estimate, 0)
    wg <- vapply(estimable, function(g) 1 / g$se^2, 0)
    qd <- iv_q(y, wg, if (length(y) > 0) sum(wg * y) / sum(wg) else 0)
    out$subgroups <- list(variable = settings$subgroup, groups = groups, q_between = qd[1], q_between_df = qd[2],
      q_between_p = if (qd[2] > 0) pchisq(qd[1], qd[2], lower.tail = FALSE) else 1)
  }

  ordered <- cumulative_order()
  out$cumulative <- lapply(seq_along(ordered), function(m)
    as_step("study", d$study[ordered[m]], pool_or_empty(ordered[seq_len(m)]), with_q = FALSE))
  if (n >= 2)
    out$leave_one_out <- lapply(seq_len(n), function(i) as_step("omitted", d$study[i], pool_or_empty(seq_len(n)[-i]), with_q = TRUE))
  if (sum(kept) >= 3) {
    if (length(unique(vi[kept])) == 1) {
      warnings <<- c(warnings, "Egger's test needs studies with different standard errors; all are equal.")
    } else {
      e <- regtest(rma(yi[kept], vi[kept], method = "FE"), model = "lm")
      out$egger <- list(statistic = num(e$zval), df = e$dfs, p = num(e$pval), limit_estimate = num(e$est))
    }
  }
  if (sum(kept) < n)
    warnings <<- c(warnings, sprintf("%d of %d studies have no events, or only events, in both groups and are not estimable under RevMan 5's conventions.", n - sum(kept), n))
  out
}

result <- if (preset == "revman5") revman5() else analysis()
if (length(warnings) > 0) result$warnings <- as.list(warnings)
writeLines(toJSON(result, auto_unbox = TRUE, null = "null", na = "null", digits = NA, pretty = TRUE), "reproduced.json", useBytes = TRUE)
