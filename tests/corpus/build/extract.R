# Writes the corpus' R data sets as CSV: mlbench 2.1-3 (.rda files) and modeldata 1.1.0 (its lazy-load database,
# read without loading the package, so its tidyverse dependencies are not needed).
# Usage: Rscript extract.R <R site-library folder holding mlbench/ and modeldata/> <output folder>
args <- commandArgs(TRUE)
lib <- args[1]
out <- args[2]
dir.create(out, showWarnings = FALSE, recursive = TRUE)

save_csv <- function(d, name, sep = ",") {
  d <- as.data.frame(d)
  for (col in names(d)) if (inherits(d[[col]], "Date")) d[[col]] <- format(d[[col]], "%Y-%m-%d")
  write.table(d, file.path(out, paste0(name, ".csv")), sep = sep, row.names = FALSE, na = "", quote = TRUE,
              qmethod = "double", fileEncoding = "UTF-8")
  cat(sprintf("%s: %d rows x %d columns\n", name, nrow(d), ncol(d)))
}
mlbench <- function(n) { e <- new.env(); load(file.path(lib, "mlbench", "data", paste0(n, ".rda")), envir = e); get(n, e) }
modeldata <- new.env()
lazyLoad(file.path(lib, "modeldata", "data", "Rdata"), envir = modeldata)

# mlbench (UCI data sets)
save_csv(mlbench("LetterRecognition"), "letters")
save_csv(mlbench("Sonar"), "sonar")
save_csv(mlbench("DNA"), "dna")
ozone <- mlbench("Ozone")
names(ozone) <- c("month", "day_of_month", "day_of_week", "daily_max_ozone", "pressure_500mb", "wind_lax", "humidity_lax",
                  "temp_sandburg", "temp_el_monte", "inversion_base_height", "pressure_gradient", "inversion_base_temp", "visibility")
save_csv(ozone, "ozone", ";")
save_csv(mlbench("BostonHousing2"), "boston_housing_corrected")
save_csv(mlbench("Vehicle"), "vehicle", "\t")
save_csv(mlbench("Shuttle"), "shuttle")
zoo <- mlbench("Zoo")
save_csv(cbind(animal = rownames(zoo), zoo), "zoo")

# modeldata
save_csv(modeldata$ames, "ames")
save_csv(modeldata$Sacramento, "sacramento", ";")
save_csv(modeldata$credit_data, "credit_data")
save_csv(modeldata$attrition, "attrition", "|")
save_csv(modeldata$lending_club, "lending_club")
save_csv(modeldata$mlc_churn, "mlc_churn")
save_csv(modeldata$stackoverflow, "stackoverflow")
save_csv(modeldata$hpc_data, "hpc_data")
save_csv(modeldata$Chicago, "chicago_l")
