package dev.negbench.experiment;

/**
 * Items a second at which a stage of a {@link CostEstimate} goes, and where that comes from: a
 * measurement of this project ({@link MeasuredRates}) or an assumption ({@link AssumedRates}).
 */
record Throughput(double perSecond, boolean measured, String basis) {}
