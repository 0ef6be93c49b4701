package dev.negbench.train;

import java.util.List;

/** One MNRL example as texts: a query, one of its positives, and hard negatives for it. */
public record TrainingExample(String query, String positive, List<String> negatives) {}
