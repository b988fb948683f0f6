# Peer of the `peers` bench group (bench/peers.js): reads one command per line on stdin and answers
# one line on stdout, so the group times R's work without R's start-up.
#   load NAME PATH   dataset NAME: a CSV with columns x and y
#   perm NAME        coin::spearman_test, approximate null with 1e5 resamples -> "ok <p-value>"
#   bca NAME         boot::boot (1e4 resamples of Spearman's rho) + boot::boot.ci(type = "bca") -> "ok <lower> <upper>"
suppressMessages({
  library(boot)
  library(coin)
})
input <- file("stdin", open = "r")
datasets <- list()
spearman_rho <- function(d, i) cor(d$x[i], d$y[i], method = "spearman")
repeat {
  line <- readLines(input, n = 1)
  if (length(line) == 0) break
  words <- strsplit(line, " ", fixed = TRUE)[[1]]
  answer <- tryCatch({
    if (words[1] == "load") {
      datasets[[words[2]]] <- read.csv(words[3])
      "ok"
    } else if (words[1] == "perm") {
      data <- datasets[[words[2]]]
      test <- spearman_test(y ~ x, data = data, distribution = approximate(nresample = 1e5))
      paste("ok", format(pvalue(test)[1], digits = 6))
    } else if (words[1] == "bca") {
      data <- datasets[[words[2]]]
      b <- boot(data, spearman_rho, R = 1e4)
      ci <- boot.ci(b, type = "bca")$bca
      paste("ok", format(ci[4], digits = 6), format(ci[5], digits = 6))
    } else {
      paste("error unknown command", words[1])
    }
  }, error = function(e) paste("error", gsub("\n", " ", conditionMessage(e))))
  cat(answer, "\n", sep = "")
  flush(stdout())
}
