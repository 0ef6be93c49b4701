package dev.negbench.train;

import ai.djl.Device;
import dev.negbench.io.EnumNames;
import dev.negbench.model.DjlModel;

/**
 * A cross-encoder fine-tuned on each query's group: its positive first, then its hard negatives,
 * each pair read as {@code [CLS] query [SEP] passage [SEP]} (cut at {@link
 * TrainingSettings#maxDocLength()} tokens) and scored by a one-logit head ({@link
 * DjlModel#openCrossEncoder}). The loss is {@link CrossEncoderLoss}'s.
 */
public record CrossEncoderObjective(CrossEncoderLoss.Kind loss) implements Objective {
  public static CrossEncoderLoss.Kind parseLoss(String name) {
    return EnumNames.parse(CrossEncoderLoss.Kind.class, "loss", name);
  }

  @Override
  public String describe() {
    return "cross-encoder loss=" + EnumNames.label(loss);
  }

  @Override
  public boolean requiresPositives() {
    return true;
  }

  @Override
  public DjlModel open(String model, Device device, TrainingSettings settings) {
    return DjlModel.openCrossEncoder(model, device, settings.seed());
  }

  @Override
  public Step start(DjlModel model, TrainingSettings settings) {
    return new CrossEncoderStep(model, settings, loss);
  }
}
